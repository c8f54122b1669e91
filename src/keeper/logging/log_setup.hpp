#pragma once
// The process's loggers: one stderr sink (stdout carries only a command's
// output), the format of every line (text or JSON), a level per module.
// The daemon's own lines go through the default logger, module "keeper";
// parts that want a level of their own log through module_logger("alerts"),
// which shares the sink.
//
// Precedence: --log-format / --log-level on the command line, then the
// [log] section of keeper.toml, then text and info.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "core/result.hpp"
#include "keeper/logging/log_levels.hpp"

namespace keeper::log {

inline constexpr const char* default_module = "keeper";

// Installs the default logger (text format, info) on stderr. Idempotent.
void install_default();

// Removes --log-format X / --log-level X (also --flag=X) from argv[first..),
// shifting the rest down and lowering argc, and applies them. An invalid
// value is an error naming the flag; nothing is applied then.
Result<void> take_log_flags(int& argc, char** argv, int first);

// Applies keeper.toml's [log] values, each only where the command line gave none.
void apply_file_settings(std::optional<LogFormat> format, const std::optional<LogLevels>& levels);

// The logger of `module`, created on first use with the current format and the module's level.
std::shared_ptr<spdlog::logger> module_logger(std::string_view module);

LogFormat current_format();
LogLevels current_levels();

}  // namespace keeper::log

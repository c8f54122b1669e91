#pragma once
// `--log-level` and [log] levels: "info" (everything), or
// "warn,alerts=debug,rpc=trace" (a default plus levels per module; a module is
// the name of a logger: "keeper" for the daemon's own lines, "alerts",
// "metrics", "service", ...). Pure: parsing only.
#include <map>
#include <string>
#include <string_view>

#include <spdlog/common.h>

#include "core/result.hpp"

namespace keeper::log {

enum class LogFormat { text, json };

struct LogLevels {
    spdlog::level::level_enum default_level = spdlog::level::info;
    std::map<std::string, spdlog::level::level_enum, std::less<>> modules;

    spdlog::level::level_enum level_of(std::string_view module) const;
};

// Levels: trace, debug, info, warn, error, critical, off. Errors name the
// offending piece: "log level: unknown level 'verbose' for module 'alerts'".
Result<LogLevels> parse_log_levels(std::string_view text);
Result<LogFormat> parse_log_format(std::string_view text);  // "text" | "json"

}  // namespace keeper::log

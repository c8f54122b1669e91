#include "keeper/logging/log_setup.hpp"

#include <cstring>
#include <map>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "keeper/logging/json_formatter.hpp"

namespace keeper::log {
namespace {

// The text lines margin-keeper has always printed; module names show in JSON only.
constexpr const char* text_pattern = "%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v";

struct State {
    std::mutex mutex;
    std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> sink;
    std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> modules;  // the default logger too
    LogFormat format = LogFormat::text;
    LogLevels levels;
    bool format_from_cli = false;
    bool levels_from_cli = false;
};

State& state() {
    static State s;
    return s;
}

// Callers hold the mutex.
void apply_locked(State& s) {
    if (s.format == LogFormat::json)
        s.sink->set_formatter(std::make_unique<JsonFormatter>());
    else
        s.sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(text_pattern));
    for (auto& [name, logger] : s.modules) logger->set_level(s.levels.level_of(name));
}

std::shared_ptr<spdlog::logger> make_logger_locked(State& s, std::string_view module) {
    if (auto it = s.modules.find(module); it != s.modules.end()) return it->second;
    auto logger = std::make_shared<spdlog::logger>(std::string(module), s.sink);
    logger->set_level(s.levels.level_of(module));
    logger->flush_on(spdlog::level::warn);
    s.modules.emplace(std::string(module), logger);
    return logger;
}

void install_default_locked(State& s) {
    if (s.sink) return;
    s.sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    s.sink->set_level(spdlog::level::trace);  // the loggers decide
    spdlog::set_default_logger(make_logger_locked(s, default_module));
    apply_locked(s);
}

// "--flag value" or "--flag=value" at argv[i]: the value and how many slots it takes.
std::optional<std::pair<std::string, int>> flag_value(int argc, char** argv, int i, std::string_view flag) {
    const std::string_view arg = argv[i];
    if (arg == flag) {
        if (i + 1 >= argc) return std::pair<std::string, int>{"", 1};
        return std::pair<std::string, int>{argv[i + 1], 2};
    }
    if (arg.size() > flag.size() && arg.starts_with(flag) && arg[flag.size()] == '=')
        return std::pair<std::string, int>{std::string(arg.substr(flag.size() + 1)), 1};
    return std::nullopt;
}

}  // namespace

void install_default() {
    State& s = state();
    std::lock_guard lock(s.mutex);
    install_default_locked(s);
}

Result<void> take_log_flags(int& argc, char** argv, int first) {
    std::optional<LogFormat> format;
    std::optional<LogLevels> levels;
    int out = first;
    for (int i = first; i < argc;) {
        if (auto v = flag_value(argc, argv, i, "--log-format")) {
            auto parsed = parse_log_format(v->first);
            if (!parsed) return fail("--log-format: " + parsed.error().message);
            format = *parsed;
            i += v->second;
        } else if (auto l = flag_value(argc, argv, i, "--log-level")) {
            auto parsed = parse_log_levels(l->first);
            if (!parsed) return fail("--log-level: " + parsed.error().message);
            levels = std::move(*parsed);
            i += l->second;
        } else {
            argv[out++] = argv[i++];
        }
    }
    argc = out;
    State& s = state();
    std::lock_guard lock(s.mutex);
    install_default_locked(s);
    if (format) {
        s.format = *format;
        s.format_from_cli = true;
    }
    if (levels) {
        s.levels = std::move(*levels);
        s.levels_from_cli = true;
    }
    apply_locked(s);
    return {};
}

void apply_file_settings(std::optional<LogFormat> format, const std::optional<LogLevels>& levels) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    install_default_locked(s);
    if (format && !s.format_from_cli) s.format = *format;
    if (levels && !s.levels_from_cli) s.levels = *levels;
    apply_locked(s);
}

std::shared_ptr<spdlog::logger> module_logger(std::string_view module) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    install_default_locked(s);
    return make_logger_locked(s, module);
}

LogFormat current_format() {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return s.format;
}

LogLevels current_levels() {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return s.levels;
}

}  // namespace keeper::log

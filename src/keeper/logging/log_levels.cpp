#include "keeper/logging/log_levels.hpp"

#include <array>
#include <utility>

namespace keeper::log {
namespace {

constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> level_names{{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
    {"critical", spdlog::level::critical},
    {"off", spdlog::level::off},
}};

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool valid_module(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) return false;
    return true;
}

Result<spdlog::level::level_enum> level_named(std::string_view name, std::string_view module) {
    for (const auto& [text, level] : level_names)
        if (text == name) return level;
    std::string message = "log level: unknown level '" + std::string(name.substr(0, 32)) + "'";
    if (!module.empty()) message += " for module '" + std::string(module) + "'";
    return fail(message + " (expected trace, debug, info, warn, error, critical or off)");
}

}  // namespace

spdlog::level::level_enum LogLevels::level_of(std::string_view module) const {
    auto it = modules.find(module);
    return it == modules.end() ? default_level : it->second;
}

Result<LogLevels> parse_log_levels(std::string_view text) {
    LogLevels levels;
    bool default_seen = false;
    while (true) {
        const auto comma = text.find(',');
        const std::string_view item = trimmed(text.substr(0, comma));
        if (item.empty()) return fail("log level: empty entry in '" + std::string(text.substr(0, 64)) + "'");
        if (const auto eq = item.find('='); eq != std::string_view::npos) {
            const std::string_view module = trimmed(item.substr(0, eq));
            if (!valid_module(module))
                return fail("log level: '" + std::string(module.substr(0, 32)) +
                            "' is not a module name (lowercase letters, digits, _ - .)");
            auto level = level_named(trimmed(item.substr(eq + 1)), module);
            if (!level) return std::unexpected(level.error());
            levels.modules.insert_or_assign(std::string(module), *level);
        } else {
            if (default_seen) return fail("log level: two default levels ('" + std::string(item) + "')");
            auto level = level_named(item, "");
            if (!level) return std::unexpected(level.error());
            levels.default_level = *level;
            default_seen = true;
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return levels;
}

Result<LogFormat> parse_log_format(std::string_view text) {
    if (text == "text") return LogFormat::text;
    if (text == "json") return LogFormat::json;
    return fail("log format: expected \"text\" or \"json\", got '" + std::string(text.substr(0, 32)) + "'");
}

}  // namespace keeper::log

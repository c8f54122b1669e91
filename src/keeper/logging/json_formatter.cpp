#include "keeper/logging/json_formatter.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

namespace keeper::log {
namespace {

thread_local std::vector<std::pair<std::string, std::string>> thread_fields;

const char* level_name(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace: return "trace";
        case spdlog::level::debug: return "debug";
        case spdlog::level::info: return "info";
        case spdlog::level::warn: return "warn";
        case spdlog::level::err: return "error";
        case spdlog::level::critical: return "critical";
        default: return "off";
    }
}

bool fixed_key(const std::string& key) { return key == "ts" || key == "level" || key == "module" || key == "msg"; }

}  // namespace

std::string iso8601_utc_ms(spdlog::log_clock::time_point time) {
    const auto since_epoch = time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    const std::time_t t = static_cast<std::time_t>(seconds.count());
    std::tm utc{};
    gmtime_r(&t, &utc);
    char out[96];
    std::snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
    return out;
}

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    // nlohmann's ordered_json keeps the fixed keys first, as documented.
    nlohmann::ordered_json line;
    line["ts"] = iso8601_utc_ms(msg.time);
    line["level"] = level_name(msg.level);
    line["module"] = std::string(msg.logger_name.data(), msg.logger_name.size());
    line["msg"] = std::string(msg.payload.data(), msg.payload.size());
    for (const auto& [key, value] : thread_fields)
        if (!fixed_key(key) && !line.contains(key)) line[key] = value;
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonFormatter::clone() const { return std::make_unique<JsonFormatter>(); }

LogFields::LogFields(std::vector<std::pair<std::string, std::string>> fields) : added_(fields.size()) {
    for (auto& field : fields) thread_fields.push_back(std::move(field));
}

LogFields::~LogFields() { thread_fields.resize(thread_fields.size() - added_); }

}  // namespace keeper::log

#pragma once
// --log-format json: one JSON object per line with fixed keys first,
//   {"ts":"2026-12-07T00:21:46.123Z","level":"info","module":"keeper","msg":"..."}
// then the fields of every LogFields scope open on the logging thread, in
// the order opened ({"protocol":"aave-v3","block":"1234"}). A field never
// replaces a fixed key (it is skipped). Invalid UTF-8 in a message is
// replaced, never thrown on.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/formatter.h>

namespace keeper::log {

class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

// Fields added to every line this thread logs while the scope lives (JSON
// format only; the text format ignores them).
class LogFields {
public:
    explicit LogFields(std::vector<std::pair<std::string, std::string>> fields);
    ~LogFields();
    LogFields(const LogFields&) = delete;
    LogFields& operator=(const LogFields&) = delete;

private:
    std::size_t added_;
};

// "2026-12-07T00:21:46.123Z" (UTC, milliseconds).
std::string iso8601_utc_ms(spdlog::log_clock::time_point time);

}  // namespace keeper::log

#include "chain/transport_failure.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

namespace keeper::chain {
namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool contains_any(const std::string& text, std::initializer_list<std::string_view> phrases) {
    return std::any_of(phrases.begin(), phrases.end(), [&](std::string_view p) { return text.find(p) != std::string::npos; });
}

// -32005 is also what some providers return for "query returned more than
// 10000 results": that is an answer about the range, not a reason to wait.
bool is_rate_limit_error(const nlohmann::json& error) {
    if (!error.is_object()) return false;
    const auto code = error.value("code", std::int64_t{0});
    const std::string message = error.contains("message") && error["message"].is_string()
                                    ? lowercase(error["message"].get<std::string>())
                                    : std::string();
    if (code == 429) return true;
    const bool says_rate = contains_any(message, {"rate limit", "too many requests", "capacity", "throughput", "slow down"});
    return says_rate || (code == -32005 && !contains_any(message, {"result", "range", "response size"}));
}

}  // namespace

FailureKind classify_transport_error(const Error& error) {
    const std::string text = lowercase(error.message);
    if (contains_any(text, {"http status 429", "too many requests"})) return FailureKind::rate_limited;
    return FailureKind::unavailable;
}

FailureKind classify_response(std::string_view body) {
    // Every answer passes here: validate without building a document, and
    // build one only when there is an error object to look into.
    if (!nlohmann::json::accept(body)) return FailureKind::unavailable;
    if (body.find("\"error\"") == std::string_view::npos) return FailureKind::none;
    const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    auto check = [](const nlohmann::json& item) {
        return item.is_object() && item.contains("error") && is_rate_limit_error(item["error"]);
    };
    if (doc.is_array()) {
        if (std::any_of(doc.begin(), doc.end(), check)) return FailureKind::rate_limited;
        return FailureKind::none;
    }
    return check(doc) ? FailureKind::rate_limited : FailureKind::none;
}

}  // namespace keeper::chain

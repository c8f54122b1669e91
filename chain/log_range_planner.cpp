#include "chain/log_range_planner.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace keeper::chain {

LogRangePlanner::LogRangePlanner(std::uint64_t from, std::uint64_t to, RangeLimits limits)
    : from_(from), to_(to), next_(from), limits_(limits) {
    limits_.min_span = std::max<std::uint64_t>(limits_.min_span, 1);
    limits_.max_span = std::max(limits_.max_span, limits_.min_span);
    span_ = std::clamp(limits_.initial_span, limits_.min_span, limits_.max_span);
}

std::optional<BlockRange> LogRangePlanner::next() const {
    if (next_ > to_ || from_ > to_) return std::nullopt;
    const std::uint64_t last = (to_ - next_ < span_ - 1) ? to_ : next_ + span_ - 1;
    return BlockRange{next_, last};
}

void LogRangePlanner::on_success(const BlockRange& range, std::uint64_t elapsed_ms, std::size_t log_count) {
    if (range.from != next_) return;  // a stale answer for a range already re-planned
    next_ = range.to + 1;
    // Grow only from a full-span success: a short final range says nothing.
    if (range.size() >= span_ && elapsed_ms < limits_.fast_ms && log_count < limits_.comfortable_logs)
        span_ = std::min(limits_.max_span, span_ * 2);
}

Result<void> LogRangePlanner::on_too_large(const BlockRange& range) {
    if (range.size() <= limits_.min_span)
        return fail("log sync: the node refuses even " + std::to_string(range.size()) + " block(s) at " +
                    std::to_string(range.from) + "; use a node without a log limit");
    span_ = std::max(limits_.min_span, range.size() / 2);
    return {};
}

double LogRangePlanner::progress() const {
    if (from_ > to_) return 1.0;
    const double total = static_cast<double>(to_ - from_ + 1);
    return static_cast<double>(std::min(next_, to_ + 1) - from_) / total;
}

bool is_range_too_large_error(int code, std::string_view message) {
    std::string lower(message);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static constexpr std::array<std::string_view, 10> phrases = {
        "more than",        "response size",  "too many",         "range is too",  "block range",
        "exceed maximum",   "limit exceeded", "range too large",  "timeout",       "timed out",
    };
    if (code == -32005) return true;  // EIP-1474 "limit exceeded"
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](std::string_view p) { return lower.find(p) != std::string::npos; });
}

}  // namespace keeper::chain

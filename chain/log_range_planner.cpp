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
    ++successes_since_refusal_;
    if (refused_ && successes_since_refusal_ < limits_.successes_before_regrowth) return;
    // Grow only from a full-span success: a short final range says nothing.
    if (range.size() >= span_ && elapsed_ms < limits_.fast_ms && log_count < limits_.comfortable_logs) {
        span_ = std::min(limits_.max_span, span_ * 2);
        successes_since_refusal_ = 0;
    }
}

Result<void> LogRangePlanner::on_too_large(const BlockRange& range) {
    if (range.size() <= limits_.min_span)
        return fail("log sync: the node refuses even " + std::to_string(range.size()) + " block(s) at " +
                    std::to_string(range.from) + "; use a node without a log limit");
    span_ = std::max(limits_.min_span, range.size() / 2);
    refused_ = true;
    successes_since_refusal_ = 0;
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
    auto says = [&](std::string_view phrase) { return lower.find(phrase) != std::string::npos; };
    // Not about the size of the range: waiting (rate limits) or a range past
    // the node's head (a lagging backend) are not cured by asking for less.
    static constexpr std::array<std::string_view, 8> other_causes = {
        "rate limit", "rate exceeded", "request rate", "too many requests",
        "daily request", "beyond current head", "after last accepted", "invalid block range",
    };
    if (std::any_of(other_causes.begin(), other_causes.end(), says)) return false;
    if (code == -32005) return true;  // EIP-1474 "limit exceeded"
    // How providers and clients word "ask for a smaller range" (each phrase is
    // a test vector in tests/unit/chain/log_range_planner_test.cpp):
    static constexpr std::array<std::string_view, 20> phrases = {
        "more than",          // Infura, geth-based L2s: "query returned more than 10000 results"
        "response size",      // Alchemy "Log response size exceeded"; 1RPC
        "response too large", // Optimism proxyd "backend response too large"
        "too many",           // Avalanche "requested too many blocks from ..."
        "block range",        // Alchemy "up to a 2K block range", Ankr "block range is too wide", Reth, Base, Chainstack
        "range is too",       // "eth_getLogs range is too large, max is 10k blocks"
        "range too large",
        "exceed maximum",     // geth-based (BSC, PublicNode) "exceed maximum block range: 5000"
        "exceeds max",        // Reth, Ankr, LlamaRPC "query exceeds max results 20000"
        "exceeds limit",      // Infura "range 1000000 exceeds limit of 10000", Arbitrum "exceeds limit of 10000"
        "limit exceeded",
        "limited to",         // QuickNode "eth_getLogs is limited to a 10,000 range", BlockPI
        "max range",          // Cloudflare "Max range: 800", erigon "max range: 1000"
        "maximum allowed",    // thirdweb "Maximum allowed number of requested blocks is 1000"
        "range allowed",      // Blast "exceeds the range allowed for your plan"
        "limit the query",    // Coinbase "please limit the query to at most 1000 blocks"
        "blocks distance",    // Ankr "maximum [from, to] blocks distance: 10000"
        "smaller than size",  // Harmony "query must be smaller than size 1024"
        "timeout",
        "timed out",
    };
    return std::any_of(phrases.begin(), phrases.end(), says);
}

}  // namespace keeper::chain

#pragma once
// Plans the eth_getLogs block ranges of a historical sync: shrinks the span
// when a node refuses a range ("too many results", size limits, timeouts) and
// grows it again while answers come back fast and small. Pure: elapsed time is
// measured by the caller and passed in.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace keeper::chain {

struct BlockRange {
    std::uint64_t from = 0;  // inclusive
    std::uint64_t to = 0;    // inclusive
    std::uint64_t size() const { return to - from + 1; }
    friend bool operator==(const BlockRange&, const BlockRange&) = default;
};

struct RangeLimits {
    std::uint64_t initial_span = 2'000;
    std::uint64_t min_span = 1;
    std::uint64_t max_span = 100'000;
    std::uint64_t fast_ms = 1'500;        // an answer faster than this lets the span grow
    std::size_t comfortable_logs = 5'000;  // ... when it also carried fewer logs than this
    // After a refusal the span grows again only after this many answered
    // ranges in a row: a provider with a fixed range limit would otherwise
    // refuse every other request.
    unsigned successes_before_regrowth = 8;
};

class LogRangePlanner {
public:
    LogRangePlanner(std::uint64_t from, std::uint64_t to, RangeLimits limits = {});

    // The next range to request, or nullopt when the sync is complete.
    std::optional<BlockRange> next() const;
    // The range was fetched and its logs applied.
    void on_success(const BlockRange& range, std::uint64_t elapsed_ms, std::size_t log_count);
    // The node refused the range as too large or timed out on it. An error
    // when even a single block cannot be fetched: retrying will not help.
    Result<void> on_too_large(const BlockRange& range);

    std::uint64_t next_block() const { return next_; }
    std::uint64_t span() const { return span_; }
    // Share of the blocks done, 0..1, for progress reports.
    double progress() const;

private:
    std::uint64_t from_;
    std::uint64_t to_;
    std::uint64_t next_;
    std::uint64_t span_;
    RangeLimits limits_;
    bool refused_ = false;              // the node has refused a range in this sync
    unsigned successes_since_refusal_ = 0;
};

// Whether a JSON-RPC error (or a transport error carrying the provider's
// answer, e.g. an HTTP 400/413 body) means "ask for a smaller range".
// Providers word it differently: Infura "query returned more than 10000
// results" or "range 1000000 exceeds limit of 10000", Alchemy "Log response
// size exceeded" or "up to a 2K block range", QuickNode "eth_getLogs is
// limited to a 10,000 range", others "block range is too wide" or -32005.
// Rate limits are not: asking for less does not help there.
bool is_range_too_large_error(int code, std::string_view message);

}  // namespace keeper::chain

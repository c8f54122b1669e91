#pragma once
// Gets a contract's events from the node without losing or doubling one:
// a historical sync over adaptive block ranges, then live following of the
// head in which a reorg rolls back the blocks it removed before the new ones
// are applied.
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "chain/block_tracker.hpp"
#include "chain/log_range_planner.hpp"
#include "chain/rpc_client.hpp"

namespace keeper::chain {

struct LogFilter {
    std::vector<Address> addresses;   // empty: any contract
    std::vector<Bytes32> any_topic0;  // empty: any event
    nlohmann::json params(const BlockRange& range) const;
};

// eth_getLogs over one range, checked: every log has a block number and hash.
RpcResult<std::vector<Log>> get_logs(JsonRpcClient& client, const LogFilter& filter, const BlockRange& range);

struct SyncProgress {
    std::uint64_t synced_through = 0;  // last block whose logs were applied
    std::uint64_t target = 0;
    double fraction = 0;
    std::uint64_t logs = 0;
    std::uint64_t requests = 0;
    std::uint64_t refused_ranges = 0;  // "too many results" answers that shrank the span
};

using Clock = std::function<std::chrono::steady_clock::time_point()>;
// Receives one range's logs in chain order; once it returns, the range counts
// as applied (a daemon persists "synced through range.to" here).
using RangeSink = std::function<Result<void>(const BlockRange& range, std::vector<Log> logs)>;
using ProgressSink = std::function<void(const SyncProgress&)>;

// Syncs [from, to]. Stops at the first error (the sink has everything up to
// the progress reported last), so a restart resumes from there.
Result<SyncProgress> sync_logs(JsonRpcClient& client, const LogFilter& filter, std::uint64_t from, std::uint64_t to,
                               const RangeSink& sink, const ProgressSink& progress = {}, RangeLimits limits = {},
                               Clock clock = {});

// How LogFollower crosses a head gap (the node was unreachable for a while):
// a head more than `header_walk` blocks past the tip is not walked header by
// header (thousands of reads each poll) with one eth_getLogs over the whole
// gap (which providers with a range limit refuse, every poll, forever); its
// logs come through sync_logs' adaptive ranges, one header per range, up to
// `tail` blocks below the head, and only the tail is walked block by block.
// The logs of a walk also go through sync_logs, so a provider whose limit is
// below `header_walk` (some free tiers allow 10 blocks) is asked in pieces.
struct GapPolicy {
    std::uint64_t header_walk = 64;  // at most this many headers read one by one in a poll
    std::uint64_t tail = 16;         // ranges stop this far below the head, where reorgs happen
    RangeLimits ranges;
};

// Follows the head by polling. Each poll() reads the head, resolves gaps and
// reorgs through the BlockTracker, tells the handler which blocks were rolled
// back (newest first) and then hands it each new block's logs in order. A poll
// that fails leaves the follower where it was: the next poll redoes the work.
class LogFollower {
public:
    struct Handler {
        std::function<Result<void>(const std::vector<BlockRef>& removed)> on_rollback;
        std::function<Result<void>(const BlockRef& block, std::vector<Log> logs)> on_block;
        // A head gap's logs, one range at a time in chain order; `end` is the
        // block range.to (a daemon persists "synced through end" here). Once it
        // returns, the follower's tip is `end`. Without it a gap is walked
        // header by header (fine for nodes without a range limit).
        std::function<Result<void>(const BlockRange& range, std::vector<Log> logs, const BlockRef& end)> on_range = {};
        ProgressSink on_progress = {};  // optional: how far a gap's catch-up got
    };

    LogFollower(JsonRpcClient& client, LogFilter filter, BlockRef start, std::size_t reorg_window = 256,
                GapPolicy gap = {});
    Result<ChainUpdate> poll(const Handler& handler);
    // poll() with a head the caller already has (a websocket newHeads
    // notification): the logs of every block that joins still come from
    // eth_getLogs over the whole added range, so heads missed in between
    // (a dropped connection) are backfilled by construction.
    Result<ChainUpdate> follow_head(const BlockRef& head, const Handler& handler);
    const BlockTracker& tracker() const { return tracker_; }

private:
    // Rolls back what a reorg replaced below the tip, then syncs [tip + 1, to]
    // by ranges, re-anchoring the tracker at the end of each applied range.
    Result<ChainUpdate> catch_up_gap(std::uint64_t to, const Handler& handler);
    Result<ChainUpdate> follow_blocks(const BlockRef& head, const Handler& handler);
    Result<BlockRef> canonical_at(std::uint64_t number);

    JsonRpcClient& client_;
    LogFilter filter_;
    BlockTracker tracker_;
    GapPolicy gap_;
};

// The block reference of a header read from the node.
BlockRef block_ref(const BlockHeader& header);

}  // namespace keeper::chain

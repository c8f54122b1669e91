#pragma once
// Follows the canonical head and says exactly which blocks joined and which
// were rolled back, so state derived from events can be undone on a reorg.
// Pure: the canonical chain is read through a caller-supplied lookup (a real
// node in the daemon, a map in tests), never fetched here.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "chain/log_range_planner.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"

namespace keeper::chain {

struct BlockRef {
    std::uint64_t number = 0;
    Bytes32 hash;
    Bytes32 parent_hash;
    friend bool operator==(const BlockRef&, const BlockRef&) = default;
};

struct ChainUpdate {
    std::vector<BlockRef> removed;  // rolled back, newest first
    std::vector<BlockRef> added;    // now canonical, oldest first
    // Blocks applied range by range, below `added`, without a BlockRef each:
    // a head gap (after an outage) that LogFollower caught up through eth_getLogs ranges.
    std::optional<BlockRange> ranged;
    bool empty() const { return removed.empty() && added.empty() && !ranged; }
};

// The canonical block at a height, as the node sees it now.
using CanonicalLookup = std::function<Result<BlockRef>(std::uint64_t number)>;

class BlockTracker {
public:
    // `window` recent blocks are remembered; a reorg deeper than that is an
    // error the caller must handle by re-syncing (it cannot be undone safely).
    explicit BlockTracker(std::size_t window = 256);

    // Starts tracking at a known block (after a historical sync or a restart).
    void reset(const BlockRef& start);

    // Feeds the head the node reported. Fills gaps and resolves reorgs with
    // `canonical_at`; returns the blocks removed and added since the last call.
    Result<ChainUpdate> advance(const BlockRef& head, const CanonicalLookup& canonical_at);

    // The remembered blocks that are no longer canonical, newest first: what a
    // reorg removed below a head too far ahead to walk to. Asks `canonical_at`
    // from the tip down and stops at the first block that still is canonical
    // (one lookup when nothing changed). An error when none is (deeper than the window).
    Result<std::vector<BlockRef>> stale_blocks(const CanonicalLookup& canonical_at) const;

    // Step-by-step commits for a caller applying an update piece by piece:
    // forget every block above `number`, or add one block on top of the tip.
    void truncate_after(std::uint64_t number);
    Result<void> append(const BlockRef& block);

    std::optional<BlockRef> tip() const;
    std::optional<BlockRef> at(std::uint64_t number) const;
    std::size_t window() const { return window_; }

private:
    std::size_t window_;
    std::deque<BlockRef> blocks_;  // contiguous, oldest first
};

}  // namespace keeper::chain

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
    bool empty() const { return removed.empty() && added.empty(); }
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

#include "chain/block_tracker.hpp"

#include <algorithm>
#include <string>

namespace keeper::chain {

BlockTracker::BlockTracker(std::size_t window) : window_(std::max<std::size_t>(window, 2)) {}

void BlockTracker::reset(const BlockRef& start) {
    blocks_.clear();
    blocks_.push_back(start);
}

void BlockTracker::truncate_after(std::uint64_t number) {
    while (!blocks_.empty() && blocks_.back().number > number) blocks_.pop_back();
}

Result<void> BlockTracker::append(const BlockRef& block) {
    if (!blocks_.empty() && (block.number != blocks_.back().number + 1 || block.parent_hash != blocks_.back().hash))
        return fail("block tracker: block " + std::to_string(block.number) + " does not extend the tip " +
                    std::to_string(blocks_.back().number));
    blocks_.push_back(block);
    if (blocks_.size() > window_) blocks_.pop_front();
    return {};
}

std::optional<BlockRef> BlockTracker::tip() const {
    if (blocks_.empty()) return std::nullopt;
    return blocks_.back();
}

std::optional<BlockRef> BlockTracker::at(std::uint64_t number) const {
    if (blocks_.empty() || number < blocks_.front().number || number > blocks_.back().number) return std::nullopt;
    return blocks_[static_cast<std::size_t>(number - blocks_.front().number)];
}

Result<std::vector<BlockRef>> BlockTracker::stale_blocks(const CanonicalLookup& canonical_at) const {
    std::vector<BlockRef> stale;
    if (blocks_.empty()) return stale;
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) {
        auto canonical = canonical_at(it->number);
        if (!canonical) return std::unexpected(context("block tracker: lookup of block " + std::to_string(it->number), canonical.error()));
        if (canonical->hash == it->hash) return stale;
        stale.push_back(*it);
    }
    return fail("block tracker: reorg deeper than the " + std::to_string(blocks_.size()) +
                " remembered blocks; a re-sync from an older block is needed");
}

Result<ChainUpdate> BlockTracker::advance(const BlockRef& head, const CanonicalLookup& canonical_at) {
    ChainUpdate update;
    if (blocks_.empty()) {
        blocks_.push_back(head);
        update.added.push_back(head);
        return update;
    }
    if (head == blocks_.back()) return update;
    if (head.number == blocks_.back().number + 1 && head.parent_hash == blocks_.back().hash) {
        // The usual case, one new block on top: no lookup needed.
        if (auto linked = append(head); !linked) return std::unexpected(linked.error());
        update.added.push_back(head);
        return update;
    }

    // Work on a copy and commit only on success: a lookup that fails half-way
    // must leave the tracker where it was, or the caller would miss the blocks
    // already moved past.
    std::deque<BlockRef> chain = blocks_;

    // Roll back every remembered block that is no longer canonical. A head at
    // or below our tip is a reorg to a shorter (or equal) chain; the lookup
    // tells us, height by height, where the two chains meet again.
    while (!chain.empty()) {
        const BlockRef ours = chain.back();
        if (ours.number > head.number) {
            update.removed.push_back(ours);
            chain.pop_back();
            continue;
        }
        auto canonical = ours.number == head.number ? Result<BlockRef>(head) : canonical_at(ours.number);
        if (!canonical) return std::unexpected(context("block tracker: lookup of block " + std::to_string(ours.number), canonical.error()));
        if (canonical->hash == ours.hash) break;
        update.removed.push_back(ours);
        chain.pop_back();
    }
    if (chain.empty())
        return fail("block tracker: reorg deeper than the " + std::to_string(window_) +
                    " remembered blocks; a re-sync from an older block is needed");

    // Walk forward from the common ancestor to the head, checking each link so
    // a head that changed under us while we were reading is caught, not glued on.
    for (std::uint64_t n = chain.back().number + 1; n <= head.number; ++n) {
        auto next = n == head.number ? Result<BlockRef>(head) : canonical_at(n);
        if (!next) return std::unexpected(context("block tracker: lookup of block " + std::to_string(n), next.error()));
        if (next->number != n)
            return fail("block tracker: asked for block " + std::to_string(n) + ", node returned " +
                        std::to_string(next->number));
        if (next->parent_hash != chain.back().hash)
            return fail("block tracker: block " + std::to_string(n) + " does not extend " +
                        chain.back().hash.hex() + " (the chain moved during the update; retry)");
        chain.push_back(*next);
        update.added.push_back(*next);
    }
    while (chain.size() > window_) chain.pop_front();
    blocks_ = std::move(chain);
    return update;
}

}  // namespace keeper::chain

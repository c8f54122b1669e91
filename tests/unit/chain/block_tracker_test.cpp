#include <gtest/gtest.h>

#include <map>

#include "chain/block_tracker.hpp"

using keeper::Bytes32;
using keeper::chain::BlockRef;
using keeper::chain::BlockTracker;

namespace block_tracker_test {

// A node's view of the chain: height -> block, with forks made by changing
// the "fork tag" mixed into each hash.
class FakeChain {
public:
    static Bytes32 hash_of(std::uint64_t number, std::uint8_t fork) {
        Bytes32 h;
        h.bytes[0] = fork;
        for (int i = 0; i < 8; ++i) h.bytes[31 - i] = static_cast<std::uint8_t>(number >> (8 * i));
        return h;
    }
    // Canonical blocks 0..tip, switching to `fork` from `fork_at` upwards.
    void build(std::uint64_t tip, std::uint64_t fork_at = UINT64_MAX, std::uint8_t fork = 0) {
        blocks.clear();
        for (std::uint64_t n = 0; n <= tip; ++n) {
            const std::uint8_t tag = n >= fork_at ? fork : 0;
            const std::uint8_t parent_tag = (n - 1) >= fork_at && n > 0 ? fork : 0;
            blocks[n] = BlockRef{n, hash_of(n, tag), n == 0 ? Bytes32{} : hash_of(n - 1, parent_tag)};
        }
    }
    BlockRef head() const { return blocks.rbegin()->second; }
    keeper::chain::CanonicalLookup lookup() {
        return [this](std::uint64_t n) -> keeper::Result<BlockRef> {
            ++lookups;
            auto it = blocks.find(n);
            if (it == blocks.end()) return keeper::fail("no block " + std::to_string(n));
            return it->second;
        };
    }
    std::map<std::uint64_t, BlockRef> blocks;
    int lookups = 0;
};

TEST(BlockTracker, ExtendsOneBlockAtATimeWithoutLookups) {
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    tracker.reset(node.blocks[10]);
    node.build(11);
    auto update = tracker.advance(node.head(), node.lookup());
    ASSERT_TRUE(update.has_value()) << update.error().message;
    EXPECT_TRUE(update->removed.empty());
    ASSERT_EQ(update->added.size(), 1u);
    EXPECT_EQ(update->added[0].number, 11u);
    EXPECT_EQ(node.lookups, 0);
    EXPECT_EQ(tracker.tip()->number, 11u);
}

TEST(BlockTracker, FillsAGapInOrder) {
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    tracker.reset(node.blocks[10]);
    node.build(14);
    auto update = tracker.advance(node.head(), node.lookup());
    ASSERT_TRUE(update.has_value());
    ASSERT_EQ(update->added.size(), 4u);
    EXPECT_EQ(update->added.front().number, 11u);
    EXPECT_EQ(update->added.back().number, 14u);
}

TEST(BlockTracker, ReportsTheRolledBackBlocksOfAReorg) {
    // Blocks 8, 9, 10 are replaced by a fork that is one block longer (8'..11').
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    for (std::uint64_t n = 5; n <= 10; ++n) {
        if (n == 5) tracker.reset(node.blocks[5]);
        else ASSERT_TRUE(tracker.advance(node.blocks[n], node.lookup()).has_value());
    }
    node.build(11, 8, 7);
    auto update = tracker.advance(node.head(), node.lookup());
    ASSERT_TRUE(update.has_value()) << update.error().message;
    ASSERT_EQ(update->removed.size(), 3u);
    EXPECT_EQ(update->removed[0].number, 10u);  // newest first
    EXPECT_EQ(update->removed[2].number, 8u);
    EXPECT_EQ(update->removed[2].hash, FakeChain::hash_of(8, 0));
    ASSERT_EQ(update->added.size(), 4u);
    EXPECT_EQ(update->added[0].hash, FakeChain::hash_of(8, 7));
    EXPECT_EQ(tracker.at(9)->hash, FakeChain::hash_of(9, 7));
}

TEST(BlockTracker, HandlesAReorgToAShorterChain) {
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    tracker.reset(node.blocks[7]);
    for (std::uint64_t n = 8; n <= 10; ++n) ASSERT_TRUE(tracker.advance(node.blocks[n], node.lookup()).has_value());
    node.build(9, 9, 3);  // 9' replaces 9 and 10
    auto update = tracker.advance(node.head(), node.lookup());
    ASSERT_TRUE(update.has_value());
    EXPECT_EQ(update->removed.size(), 2u);
    ASSERT_EQ(update->added.size(), 1u);
    EXPECT_EQ(update->added[0].hash, FakeChain::hash_of(9, 3));
    EXPECT_EQ(tracker.tip()->number, 9u);
}

TEST(BlockTracker, RefusesAReorgDeeperThanItsWindow) {
    FakeChain node;
    node.build(20);
    BlockTracker tracker(4);
    tracker.reset(node.blocks[15]);
    for (std::uint64_t n = 16; n <= 20; ++n) ASSERT_TRUE(tracker.advance(node.blocks[n], node.lookup()).has_value());
    node.build(21, 10, 9);
    auto update = tracker.advance(node.head(), node.lookup());
    ASSERT_FALSE(update.has_value());
    EXPECT_NE(update.error().message.find("reorg deeper than the 4 remembered blocks"), std::string::npos);
}

TEST(BlockTracker, AFailedLookupLeavesTheTrackerUnchanged) {
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    tracker.reset(node.blocks[10]);
    node.build(13);
    node.blocks.erase(12);  // the node cannot serve block 12 right now
    auto update = tracker.advance(node.blocks[13], node.lookup());
    ASSERT_FALSE(update.has_value());
    EXPECT_EQ(tracker.tip()->number, 10u);  // nothing half-applied
    node.build(13);
    update = tracker.advance(node.head(), node.lookup());
    ASSERT_TRUE(update.has_value());
    EXPECT_EQ(update->added.size(), 3u);  // 11, 12, 13: none lost
}

TEST(BlockTracker, CatchesAHeadThatDoesNotLinkUp) {
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    tracker.reset(node.blocks[10]);
    node.build(12);
    BlockRef stray = node.blocks[12];
    stray.parent_hash = FakeChain::hash_of(11, 5);  // a head from a fork the lookup does not serve
    auto update = tracker.advance(stray, node.lookup());
    ASSERT_FALSE(update.has_value());
    EXPECT_NE(update.error().message.find("does not extend"), std::string::npos);
}

// A head gap far ahead is not walked: stale_blocks only says which remembered
// blocks a reorg replaced while we could not look, asking from the tip down.
TEST(BlockTracker, StaleBlocksAreTheRememberedBlocksAReorgReplacedNewestFirst) {
    FakeChain node;
    node.build(10);
    BlockTracker tracker;
    tracker.reset(node.blocks[5]);
    for (std::uint64_t n = 6; n <= 10; ++n) ASSERT_TRUE(tracker.advance(node.blocks[n], node.lookup()).has_value());

    node.build(5'000);  // the same chain, far longer: nothing is stale, one lookup
    node.lookups = 0;
    auto none = tracker.stale_blocks(node.lookup());
    ASSERT_TRUE(none.has_value()) << none.error().message;
    EXPECT_TRUE(none->empty());
    EXPECT_EQ(node.lookups, 1);

    node.build(5'000, 9, 4);  // 9 and 10 were replaced during the gap
    auto stale = tracker.stale_blocks(node.lookup());
    ASSERT_TRUE(stale.has_value()) << stale.error().message;
    ASSERT_EQ(stale->size(), 2u);
    EXPECT_EQ((*stale)[0].number, 10u);
    EXPECT_EQ((*stale)[1].number, 9u);
    EXPECT_EQ((*stale)[1].hash, FakeChain::hash_of(9, 0));
    EXPECT_EQ(tracker.tip()->number, 10u) << "a question, not a change";

    node.build(5'000, 3, 8);  // deeper than every remembered block
    auto too_deep = tracker.stale_blocks(node.lookup());
    ASSERT_FALSE(too_deep.has_value());
    EXPECT_NE(too_deep.error().message.find("reorg deeper than"), std::string::npos);
}

}  // namespace block_tracker_test

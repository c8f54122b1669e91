// StateStore: protocol binding and the Morpho Blue markets/positions/cursor.
#include <vector>

#include "state_test_support.hpp"

namespace keeper::state {
namespace morpho_state_test {

using testing::address_n;
using testing::big_value;
using testing::hash_n;
using testing::kMorpho;

MorphoMarketRow market(std::uint8_t n, U256 lltv_wad) {
    return MorphoMarketRow{hash_n(n), morpho::MarketParams{address_n(1), address_n(2), address_n(3), address_n(4), lltv_wad}};
}

MorphoPositionRow position(std::uint8_t market_n, std::uint8_t account_n, U256 supply, U256 borrow, U256 collateral) {
    return MorphoPositionRow{hash_n(market_n), address_n(account_n), morpho::Position{supply, borrow, collateral}};
}

class MorphoState : public testing::StateDirTest {
protected:
    void SetUp() override {
        StateDirTest::SetUp();
        store_.emplace(open_store());
        auto bound = store_->bind_protocol(kMorpho);
        ASSERT_TRUE(bound.has_value()) << bound.error().message;
    }
    StateStore& store() { return *store_; }

    MorphoSnapshot load() {
        auto snapshot = store_->load_morpho(kMorpho.key);
        if (!snapshot) ADD_FAILURE() << snapshot.error().message;
        return snapshot.value_or(MorphoSnapshot{});
    }

    std::optional<StateStore> store_;
};

TEST_F(MorphoState, BindingIsCreatedThenResumedWithTheSameStartBlockAndHash) {
    auto again = store().bind_protocol(kMorpho);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, BindOutcome::resumed);
    auto other = store().bind_protocol({"morpho-blue@0x00000000000000000000000000000000000000bb", 0, hash_n(0)});
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(*other, BindOutcome::created);
}

TEST_F(MorphoState, ANewStartBlockHashWipesThatProtocolsRowsButKeepsTheJournalAndOtherProtocols) {
    const ProtocolBinding other{"morpho-blue@0x00000000000000000000000000000000000000bb", 0, hash_n(0)};
    ASSERT_TRUE(store().bind_protocol(other).has_value());
    std::vector markets{market(7, U256(860) * U256::pow10(15))};
    std::vector positions{position(7, 9, 0, 5, 10)};
    ASSERT_TRUE(store().commit_morpho(kMorpho.key, {150, hash_n(150)}, markets, positions).has_value());
    ASSERT_TRUE(store().commit_morpho(other.key, {150, hash_n(150)}, markets, positions).has_value());
    JournalEntry entry;
    entry.work_key = "morpho-blue:0x07:0x09";
    ASSERT_TRUE(store().journal_intent(entry).has_value());

    // A fresh anvil at the same addresses: same start block, another hash.
    auto rebound = store().bind_protocol({kMorpho.key, 100, hash_n(101)});
    ASSERT_TRUE(rebound.has_value());
    EXPECT_EQ(*rebound, BindOutcome::discarded);

    auto snapshot = load();
    EXPECT_FALSE(snapshot.cursor.has_value());
    EXPECT_TRUE(snapshot.markets.empty());
    EXPECT_TRUE(snapshot.positions.empty());
    auto journal = store().recent_journal(10);
    ASSERT_TRUE(journal.has_value());
    ASSERT_EQ(journal->size(), 1u);
    auto untouched = store().load_morpho(other.key);
    ASSERT_TRUE(untouched.has_value());
    EXPECT_EQ(untouched->positions.size(), 1u);

    // The new binding is what resumes from now on; a new start block discards too.
    EXPECT_EQ(store().bind_protocol({kMorpho.key, 100, hash_n(101)}).value(), BindOutcome::resumed);
    EXPECT_EQ(store().bind_protocol({kMorpho.key, 200, hash_n(101)}).value(), BindOutcome::discarded);
}

TEST_F(MorphoState, CommitThenLoadReturnsEveryValueExactlyIncludingFullWidthWords) {
    std::vector markets{market(1, U256(945) * U256::pow10(15)), market(2, big_value())};
    std::vector positions{position(1, 10, big_value(), 0, U256::max()),
                          position(2, 11, 0, U256(123456789), big_value())};
    auto committed = store().commit_morpho(kMorpho.key, {150, hash_n(150)}, markets, positions);
    ASSERT_TRUE(committed.has_value()) << committed.error().message;

    auto snapshot = load();
    ASSERT_TRUE(snapshot.cursor.has_value());
    EXPECT_EQ(*snapshot.cursor, (BlockCursor{150, hash_n(150)}));
    ASSERT_EQ(snapshot.markets.size(), 2u);
    EXPECT_EQ(snapshot.markets[0].id, hash_n(1));
    EXPECT_EQ(snapshot.markets[0].params.loan_token, address_n(1));
    EXPECT_EQ(snapshot.markets[0].params.collateral_token, address_n(2));
    EXPECT_EQ(snapshot.markets[0].params.oracle, address_n(3));
    EXPECT_EQ(snapshot.markets[0].params.irm, address_n(4));
    EXPECT_EQ(snapshot.markets[0].params.lltv_wad.to_dec(), "945000000000000000");
    EXPECT_EQ(snapshot.markets[1].params.lltv_wad, big_value());
    ASSERT_EQ(snapshot.positions.size(), 2u);
    EXPECT_EQ(snapshot.positions[0].market, hash_n(1));
    EXPECT_EQ(snapshot.positions[0].account, address_n(10));
    EXPECT_EQ(snapshot.positions[0].position,
              (morpho::Position{big_value(), U256(0), U256::max()}));
    EXPECT_EQ(snapshot.positions[0].position.supply_shares.to_dec(),
              "57896044618658097711785492504343953926634992332820282019728792003956564819969");
    EXPECT_EQ(snapshot.positions[1].position, (morpho::Position{U256(0), U256(123456789), big_value()}));
}

TEST_F(MorphoState, LaterCommitsUpdateRowsInPlaceAndAZeroPositionIsDeleted) {
    std::vector markets{market(1, 100)};
    std::vector first{position(1, 10, 0, 500, 1000), position(1, 11, 0, 7, 8)};
    ASSERT_TRUE(store().commit_morpho(kMorpho.key, {150, hash_n(150)}, markets, first).has_value());

    // Block 151: account 10 repaid and withdrew everything; account 11 borrowed more.
    std::vector second{position(1, 10, 0, 0, 0), position(1, 11, 0, 9, 8)};
    ASSERT_TRUE(store().commit_morpho(kMorpho.key, {151, hash_n(151)}, {}, second).has_value());

    auto snapshot = load();
    EXPECT_EQ(snapshot.cursor->number, 151u);
    EXPECT_EQ(snapshot.markets.size(), 1u);  // not repeated in the second commit, still there
    ASSERT_EQ(snapshot.positions.size(), 1u);
    EXPECT_EQ(snapshot.positions[0].account, address_n(11));
    EXPECT_EQ(snapshot.positions[0].position, (morpho::Position{U256(0), U256(9), U256(8)}));

    // Deleting a position that was never stored is not an error.
    std::vector never{position(1, 12, 0, 0, 0)};
    EXPECT_TRUE(store().commit_morpho(kMorpho.key, {152, hash_n(152)}, {}, never).has_value());
}

TEST_F(MorphoState, ACommitThatFailsMidwayLeavesThePreviousStateWhole) {
    std::vector markets{market(1, 100)};
    std::vector positions{position(1, 10, 0, 500, 1000)};
    ASSERT_TRUE(store().commit_morpho(kMorpho.key, {150, hash_n(150)}, markets, positions).has_value());

    // The markets and positions are written first; the cursor, last, cannot be
    // stored (above 2^63 - 1), so the transaction fails after the rows went in.
    std::vector more_markets{market(2, 200)};
    std::vector changed{position(1, 10, 0, 1, 1), position(2, 20, 0, 3, 4)};
    auto failed = store().commit_morpho(kMorpho.key, {std::uint64_t{1} << 63, hash_n(99)}, more_markets, changed);
    ASSERT_FALSE(failed.has_value());
    EXPECT_NE(failed.error().message.find("cursor"), std::string::npos) << failed.error().message;

    auto snapshot = load();
    EXPECT_EQ(*snapshot.cursor, (BlockCursor{150, hash_n(150)}));
    ASSERT_EQ(snapshot.markets.size(), 1u);
    EXPECT_EQ(snapshot.markets[0].id, hash_n(1));
    ASSERT_EQ(snapshot.positions.size(), 1u);
    EXPECT_EQ(snapshot.positions[0].position, (morpho::Position{U256(0), U256(500), U256(1000)}));

    // The connection is usable afterwards: nothing is left half-open.
    EXPECT_TRUE(store().commit_morpho(kMorpho.key, {151, hash_n(151)}, more_markets, changed).has_value());
    EXPECT_EQ(load().positions.size(), 2u);
}

TEST_F(MorphoState, CommittingForAnUnboundProtocolIsRefused) {
    auto refused = store().commit_morpho("morpho-blue@0xunbound", {1, hash_n(1)}, {}, {});
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message.find("not bound"), std::string::npos) << refused.error().message;
}

TEST_F(MorphoState, AnUnknownProtocolLoadsAsEmpty) {
    auto snapshot = store().load_morpho("morpho-blue@0xnothing");
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_FALSE(snapshot->cursor.has_value());
    EXPECT_TRUE(snapshot->markets.empty());
    EXPECT_TRUE(snapshot->positions.empty());
}

TEST_F(MorphoState, ResetForgetsRowsAndCursorButKeepsTheBinding) {
    std::vector markets{market(1, 100)};
    std::vector positions{position(1, 10, 0, 500, 1000)};
    ASSERT_TRUE(store().commit_morpho(kMorpho.key, {150, hash_n(150)}, markets, positions).has_value());
    ASSERT_TRUE(store().reset_protocol(kMorpho.key).has_value());

    auto snapshot = load();
    EXPECT_FALSE(snapshot.cursor.has_value());
    EXPECT_TRUE(snapshot.markets.empty());
    EXPECT_TRUE(snapshot.positions.empty());
    EXPECT_EQ(store().bind_protocol(kMorpho).value(), BindOutcome::resumed);
}

TEST_F(MorphoState, EverythingSurvivesCloseAndReopen) {
    std::vector markets{market(1, big_value())};
    std::vector positions{position(1, 10, 0, 500, big_value())};
    ASSERT_TRUE(store().commit_morpho(kMorpho.key, {150, hash_n(150)}, markets, positions).has_value());
    store_.reset();  // the process exits

    auto reopened = StateStore::open(dir_, 31337);
    ASSERT_TRUE(reopened.has_value());
    EXPECT_EQ(reopened->store.bind_protocol(kMorpho).value(), BindOutcome::resumed);
    auto snapshot = reopened->store.load_morpho(kMorpho.key);
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_EQ(*snapshot->cursor, (BlockCursor{150, hash_n(150)}));
    ASSERT_EQ(snapshot->markets.size(), 1u);
    EXPECT_EQ(snapshot->markets[0].params.lltv_wad, big_value());
    ASSERT_EQ(snapshot->positions.size(), 1u);
    EXPECT_EQ(snapshot->positions[0].position.collateral, big_value());
}

}  // namespace morpho_state_test
}  // namespace keeper::state

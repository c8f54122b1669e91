// MorphoBook: positions kept from Morpho Blue events, undone exactly on a
// reorg. One WETH/USDC market walked through a borrower's life:
//   block 10  CreateMarket
//   block 11  alice supplies 1000 USDC (1000e12 shares); bob posts 1 WETH
//   block 12  bob borrows 500 USDC (500e12 borrow shares)
//   block 13  bob repays 100 USDC (100e12 shares)           -> 400e12
//   block 14  carol liquidates 300e12 shares, seizes 0.4 WETH -> 100e12, 0.6 WETH
#include <gtest/gtest.h>

#include "margin/morpho_book.hpp"

namespace keeper::morpho {
namespace morpho_book_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }

const U256 kE12 = n("1000000000000");
const U256 kE6 = n("1000000");
const U256 kE17 = n("100000000000000000");

MarketParams weth_usdc() {
    MarketParams p;
    p.loan_token = addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    p.collateral_token = addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    p.oracle = addr("0xDddd770BADd886dF3864029e4B377B5F6a2B6b83");
    p.irm = addr("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC");
    p.lltv_wad = n("860000000000000000");
    return p;
}

const Address kAlice = addr("0x00000000000000000000000000000000000a11ce");
const Address kBob = addr("0x0000000000000000000000000000000000000b0b");
const Address kCarol = addr("0x00000000000000000000000000000000000ca201");

TEST(MorphoMarketId, IsKeccakOfTheAbiEncodedParams) {
    // cast keccak $(cast abi-encode "f(address,address,address,address,uint256)"
    //   0xA0b8...eB48 0xC02a...6Cc2 0xdddd...6b83 0x870a...00BC 860000000000000000)
    EXPECT_EQ(market_id(weth_usdc()).hex(), "0x9cd7e77c4da7cb0216f7525af26271a2281f5fca5f16f78b83f36043d6e0a194");

    // A market without interest: irm is the zero address. Same recipe with
    // 0x..01, 0x..02, 0x..03, 0x0, 945000000000000000.
    MarketParams p;
    p.loan_token = addr("0x0000000000000000000000000000000000000001");
    p.collateral_token = addr("0x0000000000000000000000000000000000000002");
    p.oracle = addr("0x0000000000000000000000000000000000000003");
    p.lltv_wad = n("945000000000000000");
    EXPECT_EQ(market_id(p).hex(), "0x8b885f5effe8e47e4cfe1073b3c4e44b32ff66f5e51f2b8e03caa9337f91e753");
}

TEST(MorphoEvents, NameTheirMarket) {
    const MarketId id = market_id(weth_usdc());
    EXPECT_EQ(event_market(Event(SupplyEvent{id, kAlice, 1, 2})), id);
    EXPECT_EQ(event_market(Event(SetFeeEvent{id, 5})), id);
    EXPECT_STREQ(event_name(Event(LiquidateEvent{})), "Liquidate");
    EXPECT_STREQ(event_name(Event(WithdrawCollateralEvent{})), "WithdrawCollateral");
}

class MorphoBookWalk : public ::testing::Test {
protected:
    const MarketId id = market_id(weth_usdc());
    MorphoBook book;

    void apply(std::uint64_t block, const Event& event) {
        auto r = book.apply(block, event);
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

    // Blocks 10..14 of the header comment.
    void walk() {
        apply(10, CreateMarketEvent{id, weth_usdc()});
        apply(11, SupplyEvent{id, kAlice, 1000 * kE6, 1000 * kE12});
        apply(11, SupplyCollateralEvent{id, kBob, 10 * kE17});
        apply(12, BorrowEvent{id, kBob, 500 * kE6, 500 * kE12});
        apply(13, RepayEvent{id, kBob, 100 * kE6, 100 * kE12});
        apply(14, LiquidateEvent{id, kCarol, kBob, 300 * kE6, 300 * kE12, 4 * kE17, 0, 0});
    }

    Position bob() const {
        const Position* p = book.position(id, kBob);
        return p ? *p : Position{};
    }
};

TEST_F(MorphoBookWalk, FollowsEveryEventOfTheWalk) {
    walk();
    ASSERT_NE(book.market(id), nullptr);
    EXPECT_TRUE(same_params(*book.market(id), weth_usdc()));
    EXPECT_EQ(book.markets().size(), 1u);
    EXPECT_EQ(book.position_count(), 2u);
    EXPECT_EQ(*book.position(id, kAlice), (Position{1000 * kE12, 0, 0}));
    EXPECT_EQ(bob(), (Position{0, 100 * kE12, 6 * kE17}));
    EXPECT_EQ(book.position(id, kCarol), nullptr);  // the liquidator's own position does not move

    std::size_t visited = 0;
    book.for_each_position([&](const MarketId& m, const Address&, const Position&) {
        EXPECT_EQ(m, id);
        ++visited;
    });
    EXPECT_EQ(visited, 2u);
}

TEST_F(MorphoBookWalk, BadDebtLiquidationEmptiesThePositionAndErasesIt) {
    walk();
    // Seize the last 0.6 WETH for 60e12 shares; the 40e12 left become bad debt.
    apply(15, LiquidateEvent{id, kCarol, kBob, 60 * kE6, 60 * kE12, 6 * kE17, 40 * kE6, 40 * kE12});
    EXPECT_EQ(book.position(id, kBob), nullptr);
    EXPECT_EQ(book.position_count(), 1u);
}

TEST_F(MorphoBookWalk, AccrualAndFeeEventsMoveNoPosition) {
    walk();
    // Fee shares go to the fee recipient, whom no event names: ignored.
    apply(15, AccrueInterestEvent{id, n("1585489599"), 3 * kE6, 7 * kE12});
    apply(15, SetFeeEvent{id, n("100000000000000000")});
    EXPECT_EQ(book.position_count(), 2u);
    EXPECT_EQ(bob(), (Position{0, 100 * kE12, 6 * kE17}));
}

TEST_F(MorphoBookWalk, RollbackRestoresEachEarlierBlockExactly) {
    walk();
    book.rollback_after(13);  // undo the liquidation
    EXPECT_EQ(bob(), (Position{0, 400 * kE12, 10 * kE17}));
    book.rollback_after(12);  // undo the repay
    EXPECT_EQ(bob(), (Position{0, 500 * kE12, 10 * kE17}));
    book.rollback_after(11);  // undo the borrow
    EXPECT_EQ(bob(), (Position{0, 0, 10 * kE17}));
    book.rollback_after(10);  // undo both deposits: no positions left
    EXPECT_EQ(book.position_count(), 0u);
    EXPECT_NE(book.market(id), nullptr);
    book.rollback_after(9);  // undo the market itself
    EXPECT_EQ(book.market(id), nullptr);
    EXPECT_EQ(book.undo_size(), 0u);
}

TEST_F(MorphoBookWalk, RollbackOfAnErasedPositionBringsItBack) {
    walk();
    apply(15, LiquidateEvent{id, kCarol, kBob, 60 * kE6, 60 * kE12, 6 * kE17, 40 * kE6, 40 * kE12});
    book.rollback_after(14);
    EXPECT_EQ(bob(), (Position{0, 100 * kE12, 6 * kE17}));
}

TEST_F(MorphoBookWalk, AfterARollbackTheNewForkAppliesFromTheForkPoint) {
    walk();
    book.rollback_after(12);
    // The new block 13 carries a different repay; block 13 again is not "going backwards".
    apply(13, RepayEvent{id, kBob, 250 * kE6, 250 * kE12});
    EXPECT_EQ(bob(), (Position{0, 250 * kE12, 10 * kE17}));
}

TEST_F(MorphoBookWalk, ForgottenBlocksCanNoLongerBeRolledBack) {
    walk();
    EXPECT_EQ(book.undo_size(), 6u);  // one record per event
    book.forget_undo_through(12);
    EXPECT_EQ(book.undo_size(), 2u);  // blocks 13 and 14
    book.rollback_after(9);           // undoes what it still can: 14, then 13
    EXPECT_EQ(bob(), (Position{0, 500 * kE12, 10 * kE17}));
    EXPECT_NE(book.market(id), nullptr);
    EXPECT_EQ(book.undo_size(), 0u);
}

TEST_F(MorphoBookWalk, TakeChangesListsEachTouchedKeyOnceThenClears) {
    walk();
    auto changes = book.take_changes();
    EXPECT_EQ(changes.markets, std::vector<MarketId>{id});
    // Sorted by (market, account): bob 0x…000b0b before alice 0x…0a11ce.
    const std::vector<PositionKey> both{{id, kBob}, {id, kAlice}};
    EXPECT_EQ(changes.positions, both);

    auto none = book.take_changes();
    EXPECT_TRUE(none.markets.empty());
    EXPECT_TRUE(none.positions.empty());

    // An emptied position is reported (the store deletes what position() no longer finds).
    apply(15, LiquidateEvent{id, kCarol, kBob, 60 * kE6, 60 * kE12, 6 * kE17, 40 * kE6, 40 * kE12});
    changes = book.take_changes();
    EXPECT_TRUE(changes.markets.empty());
    EXPECT_EQ(changes.positions, (std::vector<PositionKey>{{id, kBob}}));
    EXPECT_EQ(book.position(id, kBob), nullptr);

    // A rollback is a change too: down to block 10 touches both positions and not the market.
    book.rollback_after(10);
    changes = book.take_changes();
    EXPECT_TRUE(changes.markets.empty());
    EXPECT_EQ(changes.positions, both);
    book.rollback_after(9);
    EXPECT_EQ(book.take_changes().markets, std::vector<MarketId>{id});
}

// An inconsistent stream is an error and leaves the book as it was.
TEST_F(MorphoBookWalk, InconsistentEventsAreErrorsAndChangeNothing) {
    walk();
    (void)book.take_changes();
    const std::size_t undo_before = book.undo_size();
    const MarketId other = market_id(MarketParams{});

    struct Case {
        const char* what;
        std::uint64_t block;
        Event event;
        const char* message_part;
    };
    const Case cases[] = {
        {"withdraw more than supplied", 15, WithdrawEvent{id, kAlice, 1, 1000 * kE12 + 1}, "supply shares below zero"},
        {"repay more than borrowed", 15, RepayEvent{id, kBob, 1, 100 * kE12 + 1}, "borrow shares below zero"},
        {"repay with no position", 15, RepayEvent{id, kCarol, 1, 1}, "borrow shares below zero"},
        {"withdraw collateral not held", 15, WithdrawCollateralEvent{id, kBob, 6 * kE17 + 1}, "collateral below zero"},
        {"liquidate more shares than owed", 15, LiquidateEvent{id, kCarol, kBob, 0, 60 * kE12, 0, 0, 40 * kE12 + 1},
         "borrow shares below zero"},
        {"liquidate more collateral than held", 15, LiquidateEvent{id, kCarol, kBob, 0, 1, 6 * kE17 + 1, 0, 0},
         "collateral below zero"},
        {"supply overflowing 2^256", 15, SupplyEvent{id, kAlice, 1, U256::max()}, "supply shares overflows"},
        {"event of a market never created", 15, SupplyEvent{other, kAlice, 1, 1}, "unknown market"},
        {"accrual of a market never created", 15, AccrueInterestEvent{other, 1, 1, 0}, "unknown market"},
        {"market created twice", 15, CreateMarketEvent{id, weth_usdc()}, "market already created"},
        {"id not matching the params", 15, CreateMarketEvent{other, weth_usdc()}, "id is not keccak256"},
        {"block going backwards", 13, SupplyEvent{id, kAlice, 1, 1}, "block 13 after block 14"},
    };
    for (const Case& c : cases) {
        auto r = book.apply(c.block, c.event);
        ASSERT_FALSE(r.has_value()) << c.what;
        EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << c.what << ": " << r.error().message;
        EXPECT_EQ(r.error().message.rfind("morpho book: block ", 0), 0u) << r.error().message;
    }
    EXPECT_EQ(*book.position(id, kAlice), (Position{1000 * kE12, 0, 0}));
    EXPECT_EQ(bob(), (Position{0, 100 * kE12, 6 * kE17}));
    EXPECT_EQ(book.position(id, kCarol), nullptr);
    EXPECT_EQ(book.markets().size(), 1u);
    EXPECT_EQ(book.undo_size(), undo_before);
    EXPECT_TRUE(book.take_changes().positions.empty());
}

TEST(MorphoBookFilter, IgnoresEventsOfMarketsItDoesNotFollow) {
    const MarketId followed = market_id(weth_usdc());
    MarketParams other_params = weth_usdc();
    other_params.lltv_wad = n("945000000000000000");
    const MarketId other = market_id(other_params);

    MorphoBook book({followed});
    EXPECT_TRUE(book.follows(followed));
    EXPECT_FALSE(book.follows(other));
    ASSERT_TRUE(book.apply(1, CreateMarketEvent{other, other_params}).has_value());
    ASSERT_TRUE(book.apply(2, SupplyCollateralEvent{other, kBob, 5}).has_value());
    // Not even "unknown market": the whole market is out of scope.
    ASSERT_TRUE(book.apply(2, RepayEvent{other, kBob, 1, 1}).has_value());
    EXPECT_TRUE(book.markets().empty());
    EXPECT_EQ(book.position_count(), 0u);
    EXPECT_EQ(book.undo_size(), 0u);

    ASSERT_TRUE(book.apply(3, CreateMarketEvent{followed, weth_usdc()}).has_value());
    ASSERT_TRUE(book.apply(3, SupplyCollateralEvent{followed, kBob, 5}).has_value());
    EXPECT_EQ(*book.position(followed, kBob), (Position{0, 0, 5}));
}

TEST(MorphoBookRestore, LoadsStateWithoutUndoOrChanges) {
    const MarketId id = market_id(weth_usdc());
    MorphoBook book;
    book.restore_market(id, weth_usdc());
    book.restore_position(id, kBob, Position{0, 100 * kE12, 6 * kE17});
    book.restore_position(id, kAlice, Position{});  // empty: not kept
    EXPECT_EQ(book.position_count(), 1u);
    EXPECT_EQ(book.undo_size(), 0u);
    const auto changes = book.take_changes();
    EXPECT_TRUE(changes.markets.empty());
    EXPECT_TRUE(changes.positions.empty());

    // Events continue from the restored state, and a rollback stops at it.
    ASSERT_TRUE(book.apply(20, RepayEvent{id, kBob, 100 * kE6, 100 * kE12}).has_value());
    EXPECT_EQ(*book.position(id, kBob), (Position{0, 0, 6 * kE17}));
    book.rollback_after(0);
    EXPECT_EQ(*book.position(id, kBob), (Position{0, 100 * kE12, 6 * kE17}));
    EXPECT_NE(book.market(id), nullptr);
}

TEST(MorphoBookRestore, SkipsMarketsOutsideTheFilter) {
    MarketParams other_params = weth_usdc();
    other_params.lltv_wad = n("945000000000000000");
    const MarketId other = market_id(other_params);
    MorphoBook book({market_id(weth_usdc())});
    book.restore_market(other, other_params);
    book.restore_position(other, kBob, Position{0, 1, 1});
    EXPECT_TRUE(book.markets().empty());
    EXPECT_EQ(book.position_count(), 0u);
}

}  // namespace morpho_book_test
}  // namespace keeper::morpho

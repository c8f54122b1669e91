#include <gtest/gtest.h>

#include "margin/perp_margin.hpp"

using namespace keeper::margin;

namespace perp_margin_test {

constexpr PerpMarketId btc{0};
constexpr PerpCollateralId usdc{0};
constexpr PerpCollateralId eth{1};

// BTC-PERP: MMF 5 %, IMF 10 %; USDC at 1.00 weight 1.0; ETH at 3,000 weight 0.8.
PerpBook book_at(double btc_mark, double funding_index = 0.0) {
    return PerpBook{{PerpMarket{btc_mark, 0.05, 0.10, funding_index}},
                    {PerpCollateralAsset{1.0, 1.0}, PerpCollateralAsset{3000.0, 0.8}}};
}

PerpAccount ten_btc_long() {
    return PerpAccount{{PerpCollateralBalance{usdc, 50000}}, {PerpPosition{btc, 10, 60000, 0}}};
}

TEST(PerpMargin, TenBtcLongUnderwaterIsLiquidatable) {
    // 50,000 USDC + 10 x (57,000 - 60,000) = 20,000 equity; 10 x 57,000 x 5 % = 28,500 maintenance.
    const auto s = evaluate_perp_account(ten_btc_long(), book_at(57000)).value();
    EXPECT_DOUBLE_EQ(s.collateral_value_usd, 50000);
    EXPECT_DOUBLE_EQ(s.unrealized_pnl_usd, -30000);
    EXPECT_DOUBLE_EQ(s.equity_usd, 20000);
    EXPECT_DOUBLE_EQ(s.maintenance_usd, 28500);
    EXPECT_DOUBLE_EQ(s.initial_usd, 57000);
    EXPECT_DOUBLE_EQ(s.free_collateral_usd, -37000);
    EXPECT_NEAR(s.health, 0.701754386, 1e-9);
    EXPECT_EQ(s.state, HealthState::liquidatable);
}

TEST(PerpMargin, FundingAndHaircutsEnterEquity) {
    PerpAccount account = ten_btc_long();
    account.collateral.push_back(PerpCollateralBalance{eth, 1.0});  // 3,000 x 0.8 = 2,400
    account.positions[0].funding_index_at_open_usd = 100;
    // Index 100 -> 150 USD per BTC: the long owes 10 x 50 = 500.
    const auto s = evaluate_perp_account(account, book_at(60000, 150)).value();
    EXPECT_DOUBLE_EQ(s.collateral_value_usd, 52400);
    EXPECT_DOUBLE_EQ(s.funding_owed_usd, 500);
    EXPECT_DOUBLE_EQ(s.equity_usd, 51900);
    EXPECT_DOUBLE_EQ(s.maintenance_usd, 30000);
    EXPECT_EQ(s.state, HealthState::healthy);
    // A short receives what a long pays.
    account.positions[0].size_base = -10;
    EXPECT_DOUBLE_EQ(evaluate_perp_account(account, book_at(60000, 150)).value().funding_owed_usd, -500);
}

TEST(PerpMargin, NegativeEquityIsInsolvent) {
    // Mark 54,000: 50,000 - 60,000 = -10,000.
    const auto s = evaluate_perp_account(ten_btc_long(), book_at(54000)).value();
    EXPECT_DOUBLE_EQ(s.equity_usd, -10000);
    EXPECT_EQ(s.state, HealthState::insolvent);
}

TEST(PerpMargin, UnknownIdsAndDuplicateMarketsAreErrors) {
    PerpAccount account = ten_btc_long();
    account.positions[0].market = PerpMarketId{7};
    EXPECT_EQ(evaluate_perp_account(account, book_at(60000)).error().message, "perp: unknown market 7");
    account = ten_btc_long();
    account.collateral[0].asset = PerpCollateralId{9};
    EXPECT_FALSE(evaluate_perp_account(account, book_at(60000)).has_value());
    account = ten_btc_long();
    account.positions.push_back(account.positions[0]);
    EXPECT_EQ(evaluate_perp_account(account, book_at(60000)).error().message, "perp: two positions in market 0");
}

TEST(PerpMargin, OpeningNewRiskNeedsInitialMargin) {
    const PerpAccount cash_only{{PerpCollateralBalance{usdc, 50000}}, {}};
    // 8 BTC x 60,000 x 10 % = 48,000 <= 50,000; 9 BTC needs 54,000.
    const auto eight = check_perp_order(cash_only, book_at(60000), PerpOrder{btc, 8, 60000}).value();
    EXPECT_TRUE(eight.allowed);
    EXPECT_DOUBLE_EQ(eight.initial_after_usd, 48000);
    EXPECT_DOUBLE_EQ(eight.maintenance_after_usd, 24000);
    EXPECT_FALSE(check_perp_order(cash_only, book_at(60000), PerpOrder{btc, 9, 60000}).value().allowed);
    // Paying 100 over mark costs 800 of equity: 49,200 still covers 48,000.
    const auto slipped = check_perp_order(cash_only, book_at(60000), PerpOrder{btc, 8, 60100}).value();
    EXPECT_DOUBLE_EQ(slipped.equity_after_usd, 49200);
    EXPECT_TRUE(slipped.allowed);
    // Slipping 300 leaves 47,600 < 48,000.
    EXPECT_FALSE(check_perp_order(cash_only, book_at(60000), PerpOrder{btc, 8, 60300}).value().allowed);
}

TEST(PerpMargin, ReducingRiskIsAllowedWhileItDoesNotLiquidate) {
    // The liquidatable account (20,000 equity vs 28,500) may sell 5 BTC at mark:
    // maintenance falls to 14,250.
    const auto sell = check_perp_order(ten_btc_long(), book_at(57000), PerpOrder{btc, -5, 57000}).value();
    EXPECT_TRUE(sell.reduces_risk);
    EXPECT_DOUBLE_EQ(sell.maintenance_after_usd, 14250);
    EXPECT_TRUE(sell.allowed);
    const auto buy = check_perp_order(ten_btc_long(), book_at(57000), PerpOrder{btc, 1, 57000}).value();
    EXPECT_FALSE(buy.reduces_risk);
    EXPECT_FALSE(buy.allowed);
    // Flipping from +10 to -10 is new risk, not a reduction.
    EXPECT_FALSE(check_perp_order(ten_btc_long(), book_at(57000), PerpOrder{btc, -20, 57000}).value().reduces_risk);
}

TEST(PerpMargin, PriceMoveToLiquidationClosedForm) {
    // Mark 60,000: equity 50,000, maintenance 30,000.
    // m = (30,000 - 50,000) / (600,000 - 30,000) = -0.0350877 -> 57,894.74.
    const auto long_move = perp_move_to_liquidation(ten_btc_long(), book_at(60000), btc).value();
    ASSERT_TRUE(long_move.has_value());
    EXPECT_NEAR(*long_move, -20000.0 / 570000.0, 1e-15);
    const auto at = evaluate_perp_account(ten_btc_long(), book_at(60000 * (1 + *long_move))).value();
    EXPECT_NEAR(at.equity_usd, at.maintenance_usd, 1e-6);
    // 10 BTC short: m = -20,000 / (-600,000 - 30,000) = +0.031746 -> 61,904.76.
    PerpAccount short_account = ten_btc_long();
    short_account.positions[0].size_base = -10;
    EXPECT_NEAR(perp_move_to_liquidation(short_account, book_at(60000), btc).value().value(), 20000.0 / 630000.0,
                1e-15);
    EXPECT_EQ(perp_move_to_liquidation(ten_btc_long(), book_at(57000), btc).value().value(), 0.0);
    const PerpAccount flat{{PerpCollateralBalance{usdc, 50000}}, {}};
    EXPECT_FALSE(perp_move_to_liquidation(flat, book_at(60000), btc).value().has_value());
}

TEST(PerpMargin, ClosedFormMoveAgreesWithTheNumericSolver) {
    // Two markets: the BTC move is solved with ETH fixed.
    PerpBook book = book_at(60000);
    book.markets.push_back(PerpMarket{3000, 0.05, 0.10, 0});
    const PerpAccount account{{PerpCollateralBalance{usdc, 40000}},
                              {PerpPosition{btc, 5, 61000, 0}, PerpPosition{PerpMarketId{1}, -20, 2900, 0}}};
    const double closed = perp_move_to_liquidation(account, book, btc).value().value();
    auto health_at = [&](double m) {
        PerpBook moved = book;
        moved.markets[0].mark_price_usd *= 1 + m;
        return evaluate_perp_account(account, moved).value().health;
    };
    EXPECT_NEAR(solve_move_to_liquidation(health_at, -0.99).value(), closed, 1e-8);
    // 40,000 - 5,000 - 2,000 = 33,000 equity; maintenance 15,000 + 3,000 = 18,000;
    // m = (18,000 - 33,000) / (300,000 - 15,000) = -0.0526316.
    EXPECT_NEAR(closed, -15000.0 / 285000.0, 1e-15);
}

}  // namespace perp_margin_test

#include <gtest/gtest.h>

#include "margin/health_state.hpp"

using namespace keeper::margin;

TEST(HealthState, LendingClassifiesByHealthAndBadDebt) {
    // 10,000 of collateral at a 0.80 liquidation threshold = 8,000 weighted.
    EXPECT_EQ(lending_health_state(8000, 10000, 7000), HealthState::healthy);       // 1.1429
    EXPECT_EQ(lending_health_state(8000, 10000, 7800), HealthState::warning);       // 1.0256 < 1.05
    EXPECT_EQ(lending_health_state(8000, 10000, 8000), HealthState::warning);       // exactly 1.0 is not liquidatable
    EXPECT_EQ(lending_health_state(8000, 10000, 8500), HealthState::liquidatable);  // 0.9412
    EXPECT_EQ(lending_health_state(8000, 10000, 10500), HealthState::insolvent);    // collateral < debt
    EXPECT_EQ(lending_health_state(0, 0, 0), HealthState::healthy);                 // nothing borrowed
    EXPECT_EQ(lending_health_state(8000, 10000, 7800, HealthThresholds{.warning_distance = 0.01}),
              HealthState::healthy);
}

TEST(HealthState, MarginClassifiesEquityAgainstMaintenance) {
    EXPECT_EQ(margin_health_state(20000, 28500), HealthState::liquidatable);
    EXPECT_EQ(margin_health_state(29000, 28500), HealthState::warning);   // 1.0175
    EXPECT_EQ(margin_health_state(50000, 30000), HealthState::healthy);
    EXPECT_EQ(margin_health_state(-1, 28500), HealthState::insolvent);
    EXPECT_EQ(margin_health_state(0, 0), HealthState::healthy);
    EXPECT_DOUBLE_EQ(margin_health(20000, 28500), 20000.0 / 28500.0);
    EXPECT_EQ(to_string(HealthState::insolvent), "insolvent");
}

TEST(HealthState, SingleCollateralDropIsOneMinusInverseHealth) {
    // 10 ETH at 2,000, threshold 0.825 -> 16,500 weighted; debt 13,200 -> health 1.25.
    // A 20 % drop to 1,600 leaves 13,200 weighted = the debt.
    EXPECT_NEAR(lending_price_drop_to_liquidation(1.25).value(), 0.20, 1e-15);
    EXPECT_NEAR(lending_price_drop_to_liquidation(2.0).value(), 0.50, 1e-15);
    EXPECT_EQ(lending_price_drop_to_liquidation(0.9).value(), 0.0);
    EXPECT_FALSE(lending_price_drop_to_liquidation(0.0).has_value());
}

TEST(HealthState, ClosedFormMoveForOneOfSeveralAssets) {
    // USDC 5,000 weighted + ETH 16,500 weighted against 18,000 of USDC debt:
    // ETH must fall to 13,000 weighted: m = 13,000 / 16,500 - 1 = -0.212121...
    const auto drop = lending_move_to_liquidation(5000, 18000, 16500, 0);
    ASSERT_TRUE(drop.has_value());
    EXPECT_NEAR(*drop, 13000.0 / 16500.0 - 1.0, 1e-15);
    // 20,000 of collateral against 16,000 of ETH debt: ETH must rise 25 %.
    EXPECT_NEAR(lending_move_to_liquidation(20000, 0, 0, 16000).value(), 0.25, 1e-15);
    // An asset the account does not hold never triggers it.
    EXPECT_FALSE(lending_move_to_liquidation(20000, 16000, 0, 0).has_value());
    // Collateral-only asset whose fall cannot reach the debt (other collateral covers it).
    EXPECT_FALSE(lending_move_to_liquidation(20000, 16000, 5000, 0).has_value());
    // Already below.
    EXPECT_EQ(lending_move_to_liquidation(1000, 16000, 5000, 0).value(), 0.0);
}

TEST(HealthState, NumericSolverAgreesWithTheClosedForms) {
    auto eth_falls = [](double m) { return (5000.0 + 16500.0 * (1.0 + m)) / 18000.0; };
    EXPECT_NEAR(solve_move_to_liquidation(eth_falls, -0.99).value(), 13000.0 / 16500.0 - 1.0, 1e-8);
    auto debt_rises = [](double m) { return 20000.0 / (16000.0 * (1.0 + m)); };
    EXPECT_NEAR(solve_move_to_liquidation(debt_rises, 10.0).value(), 0.25, 1e-8);
    // Wrong direction: a falling debt asset only helps.
    EXPECT_FALSE(solve_move_to_liquidation(debt_rises, -0.99).has_value());
    auto already = [](double) { return 0.95; };
    EXPECT_EQ(solve_move_to_liquidation(already, -0.99).value(), 0.0);
}

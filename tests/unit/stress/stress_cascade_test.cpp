// The liquidation cascade, worked by hand on one Morpho Blue market:
// WETH (18 decimals) collateral, USDC (6 decimals) loan, LLTV 86 %, oracle
// 2000 USDC per WETH (2e27). 4.4M USDC borrowed as 4.4e18 shares: 1e6 shares
// per USDC unit, so repaid assets are exact. Liquidation incentive
// 1e36 / 0.958e18 = 1043841336116910229.
//
// WETH is valued at $2000 a token and moves 300 bps per $1M sold in a round.
//   Alice  1000 WETH, 1.6M USDC   liquidatable below 1860.47 (1.6M / 860)
//   Bob    1000 WETH, 1.5M USDC   liquidatable below 1744.19
//   Carol  1000 WETH, 1.3M USDC   liquidatable below 1511.63
//
// Scenario WETH -10 % (price 1800):
//   round 0  Alice liquidated: repays 1.6e12, seizes
//            1.6e12 x LIF / 1e18 = 1670146137787, x 1e36 / 1.8e27
//            = 927858965437222222222 wei = 927.86 WETH, sold at $1800:
//            $1,670,146.14 -> 300 x 1.670146 = 501.04 -> -501 bps
//   round 1  WETH -15.01 % (1699.80): Bob liquidated, seizes
//            1.5e12 x LIF / 1e18 = 1565762004175, x 1e36 / 1.6998e27
//            = 921144843025650076479 wei, sold at $1699.80: $1,565,762.00
//            -> 469.73 -> -470 bps
//   round 2  WETH -19.71 % (1605.80): Carol's max borrow 1,380,988 >= 1.3M:
//            nobody new, nothing sold: stable after 3 rounds.
#include <gtest/gtest.h>

#include "margin/stress_cascade.hpp"

namespace keeper::margin::stress {
namespace stress_cascade_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(unsigned char last) {
    Address a;
    a.bytes[19] = last;
    return a;
}
const Address kWeth = addr(0xee), kUsdc = addr(0xcc);
const Address kAlice = addr(0xa1), kBob = addr(0xb0), kCarol = addr(0xca);

StressBook book() {
    MorphoStressMarket m;
    m.protocol = "morpho-blue@0x01";
    m.id.bytes[31] = 7;
    m.params.loan_token = kUsdc;
    m.params.collateral_token = kWeth;
    m.params.lltv_wad = n("860000000000000000");
    m.accrued.total_supply_assets = n("10000000000000");
    m.accrued.total_supply_shares = n("10000000000000000000");
    m.accrued.total_borrow_assets = n("4400000000000");
    m.accrued.total_borrow_shares = n("4400000000000000000");
    m.price_1e36 = n("2000000000000000000000000000");
    const U256 thousand_weth = n("1000000000000000000000");
    m.positions = {{kAlice, morpho::Position{U256(), n("1600000000000000000"), thousand_weth}},
                   {kBob, morpho::Position{U256(), n("1500000000000000000"), thousand_weth}},
                   {kCarol, morpho::Position{U256(), n("1300000000000000000"), thousand_weth}}};
    StressBook b;
    b.morpho_markets.push_back(m);
    return b;
}

CascadeSpec weth_impact(std::size_t max_rounds = 10) {
    CascadeSpec spec;
    spec.valuations[kWeth] = AssetValuation{2000.0, 18, 300.0};
    spec.valuations[kUsdc] = AssetValuation{1.0, 6, 0.0};
    spec.max_rounds = max_rounds;
    return spec;
}

TEST(StressValuation, AnAmountIsWorthWholeTokensTimesTheMovedUsdPrice) {
    const AssetValuation weth{2000.0, 18, 300.0};
    // 1.5 WETH at $2000 moved -10 %: 1.5 x 2000 x 0.9 = $2700.
    EXPECT_DOUBLE_EQ(usd_value(n("1500000000000000000"), weth, -1000), 2700.0);
    // 2,500 USDC (6 decimals) at $1, unmoved.
    EXPECT_DOUBLE_EQ(usd_value(n("2500000000"), AssetValuation{1.0, 6, 0.0}, 0), 2500.0);
}

TEST(StressValuation, ImpactIsLinearInDollarsSoldRoundedToWholeBasisPoints) {
    const AssetValuation weth{2000.0, 18, 300.0};
    EXPECT_EQ(impact_bps(weth, 1'500'000.0), -450);               // 300 x 1.5
    EXPECT_EQ(impact_bps(weth, 1'670'146.14), -501);              // 501.04
    EXPECT_EQ(impact_bps(weth, 5'000.0), -2);                     // 1.5 rounds away from zero
    EXPECT_EQ(impact_bps(weth, 1'000.0), 0);                      // 0.3 bps: no move
    EXPECT_EQ(impact_bps(AssetValuation{1.0, 6, 0.0}, 1e12), 0);  // no impact configured
}

TEST(StressCascade, WethMinus10LiquidatesAliceThenBobThenStopsWithCarolHealthy) {
    const StressBook b = book();
    StressRunner runner(b);
    const auto out = run_cascade(runner, StressScenario{"WETH -10%", {{kWeth, -1000}}}, weth_impact());
    ASSERT_EQ(out.rounds.size(), 3u);
    EXPECT_TRUE(out.stable);

    const CascadeRound& r0 = out.rounds[0];
    EXPECT_EQ(r0.moves, (std::vector<AssetShock>{{kWeth, -1000}}));
    EXPECT_EQ(r0.liquidated, 1u);
    EXPECT_EQ(r0.insolvent, 0u);
    EXPECT_NEAR(r0.volume_usd, 1'670'146.137787, 1e-3);
    EXPECT_EQ(r0.impact, (std::vector<AssetShock>{{kWeth, -501}}));
    ASSERT_EQ(r0.totals.size(), 2u);  // sorted by asset: USDC (0x..cc) then WETH (0x..ee)
    EXPECT_EQ(r0.totals[0].asset, kUsdc);
    EXPECT_EQ(r0.totals[0].debt_repaid, n("1600000000000"));
    EXPECT_EQ(r0.totals[1].collateral_seized, n("927858965437222222222"));
    ASSERT_EQ(r0.positions.size(), 1u);
    EXPECT_EQ(r0.positions[0].account, kAlice);
    EXPECT_EQ(r0.positions[0].collateral_seized, n("927858965437222222222"));

    const CascadeRound& r1 = out.rounds[1];
    EXPECT_EQ(r1.moves, (std::vector<AssetShock>{{kWeth, -1501}}));
    EXPECT_EQ(r1.liquidated, 1u);
    EXPECT_NEAR(r1.volume_usd, 1'565'762.004175, 1e-3);
    EXPECT_EQ(r1.impact, (std::vector<AssetShock>{{kWeth, -470}}));
    EXPECT_EQ(r1.totals[0].debt_repaid, n("1500000000000"));
    EXPECT_EQ(r1.totals[1].collateral_seized, n("921144843025650076479"));
    ASSERT_EQ(r1.positions.size(), 1u);
    EXPECT_EQ(r1.positions[0].account, kBob);

    const CascadeRound& r2 = out.rounds[2];
    EXPECT_EQ(r2.moves, (std::vector<AssetShock>{{kWeth, -1971}}));
    EXPECT_EQ(r2.liquidated, 0u);
    EXPECT_EQ(r2.volume_usd, 0.0);
    EXPECT_TRUE(r2.impact.empty());

    EXPECT_EQ(out.liquidated, 2u);
    EXPECT_EQ(out.final_moves, (std::vector<AssetShock>{{kWeth, -1971}}));
    EXPECT_NEAR(out.volume_usd, 1'670'146.137787 + 1'565'762.004175, 1e-3);
    EXPECT_EQ(out.bad_debt_usd, 0.0);
    ASSERT_EQ(out.totals.size(), 2u);
    EXPECT_EQ(out.totals[0].debt_repaid, n("3100000000000"));
    EXPECT_EQ(out.totals[1].collateral_seized, n("1849003808462872298701"));
    EXPECT_TRUE(out.unvalued.empty());
}

TEST(StressCascade, RoundZeroIsThePlainScenario) {
    const StressBook b = book();
    StressRunner runner(b);
    const StressScenario scenario{"WETH -10%", {{kWeth, -1000}}};
    const auto plain = runner.run(scenario);
    const auto out = run_cascade(runner, scenario, weth_impact());
    EXPECT_EQ(out.rounds[0].liquidated, plain.liquidatable);
    EXPECT_EQ(out.rounds[0].totals, plain.totals);
}

TEST(StressCascade, TheRoundCapStopsItWhilePricesStillMove) {
    const StressBook b = book();
    StressRunner runner(b);
    const auto out = run_cascade(runner, StressScenario{"WETH -10%", {{kWeth, -1000}}}, weth_impact(2));
    ASSERT_EQ(out.rounds.size(), 2u);
    EXPECT_FALSE(out.stable);
    EXPECT_EQ(out.liquidated, 2u);
    EXPECT_EQ(out.final_moves, (std::vector<AssetShock>{{kWeth, -1501}}));
}

TEST(StressCascade, ARunnerThatListsNoAccountsStopsAfterTheShockRound) {
    const StressBook b = book();
    StressRunner runner(b, StressOptions{false});
    const auto out = run_cascade(runner, StressScenario{"WETH -10%", {{kWeth, -1000}}}, weth_impact());
    ASSERT_EQ(out.rounds.size(), 1u);
    EXPECT_FALSE(out.stable);  // Bob's round was not run
    EXPECT_EQ(out.rounds[0].liquidated, 1u);
    EXPECT_EQ(out.rounds[0].impact, (std::vector<AssetShock>{{kWeth, -501}}));
    EXPECT_TRUE(out.rounds[0].positions.empty());
}

TEST(StressCascade, WithoutImpactOnlyTheShockRoundRuns) {
    const StressBook b = book();
    StressRunner runner(b);
    CascadeSpec spec = weth_impact();
    spec.valuations[kWeth].impact_bps_per_million = 0.0;
    const auto out = run_cascade(runner, StressScenario{"WETH -10%", {{kWeth, -1000}}}, spec);
    ASSERT_EQ(out.rounds.size(), 1u);
    EXPECT_TRUE(out.stable);
    EXPECT_EQ(out.liquidated, 1u);
    EXPECT_NEAR(out.volume_usd, 1'670'146.137787, 1e-3);
}

TEST(StressCascade, UnvaluedCollateralIsNamedAndMovesNothing) {
    const StressBook b = book();
    StressRunner runner(b);
    CascadeSpec spec;  // no valuations
    const auto out = run_cascade(runner, StressScenario{"WETH -10%", {{kWeth, -1000}}}, spec);
    ASSERT_EQ(out.rounds.size(), 1u);
    EXPECT_EQ(out.volume_usd, 0.0);
    EXPECT_EQ(out.unvalued, (std::vector<Address>{kWeth}));
}

}  // namespace stress_cascade_test
}  // namespace keeper::margin::stress

// Monte-Carlo VaR and Expected Shortfall of one day's liquidation volume and
// bad debt, checked against numbers worked by hand and against the analytic
// quantile of a one-asset lognormal day.
#include <gtest/gtest.h>

#include <cmath>

#include "margin/stress_monte_carlo.hpp"

namespace keeper::margin::stress {
namespace stress_monte_carlo_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(unsigned char last) {
    Address a;
    a.bytes[19] = last;
    return a;
}
const Address kWeth = addr(0xee), kUsdc = addr(0xcc), kSteth = addr(0xe5);

// A ladder of 200 Morpho borrowers of 1,000 USDC each against WETH at 2000
// USDC, LLTV 50 % (liquidation incentive capped at 1.15): borrower i
// (1..200) holds 1 / (1 - (10 i - 0.5) / 10000) WETH (rounded up to the
// wei), so it is liquidatable exactly when WETH moves by -10 i bps or more. Every liquidation repays all
// 1,000 USDC and seizes 1,150 USDC worth of WETH (collateral stays >= 1.6 x
// the debt within -20 %): the day's liquidation volume is $1,150 per
// borrower, and borrowers liquidated at a move m are floor(-m / 10).
StressBook ladder_book() {
    MorphoStressMarket m;
    m.protocol = "morpho-blue@0x01";
    m.id.bytes[31] = 9;
    m.params.loan_token = kUsdc;
    m.params.collateral_token = kWeth;
    m.params.lltv_wad = n("500000000000000000");
    m.accrued.total_supply_assets = n("1000000000000");
    m.accrued.total_supply_shares = n("1000000000000000000");
    m.accrued.total_borrow_assets = n("200000000000");
    m.accrued.total_borrow_shares = n("200000000000000000");
    m.price_1e36 = n("2000000000000000000000000000");
    for (unsigned i = 1; i <= 200; ++i) {
        const U256 collateral = (U256::pow10(23) + U256(100'000 - 100 * i + 5 - 1)) / U256(100'000 - 100 * i + 5);
        Address who;
        who.bytes[18] = static_cast<unsigned char>(i >> 8);
        who.bytes[19] = static_cast<unsigned char>(i & 0xff);
        who.bytes[0] = 0xb0;
        m.positions.push_back({who, morpho::Position{U256(), n("1000000000000000"), collateral}});
    }
    StressBook b;
    b.morpho_markets.push_back(m);
    return b;
}

CascadeSpec valued() {
    CascadeSpec spec;
    spec.valuations[kWeth] = AssetValuation{2000.0, 18, 0.0};
    spec.valuations[kUsdc] = AssetValuation{1.0, 6, 0.0};
    spec.max_rounds = 1;
    return spec;
}

CovarianceSpec weth_only(double daily_vol) { return CovarianceSpec{{kWeth}, {daily_vol}, {1.0}}; }

TEST(StressTailRisk, VarIsTheQuantileAndEsTheMeanOfTheTail) {
    std::vector<double> losses;
    for (int i = 20; i >= 1; --i) losses.push_back(i);  // 1..20, any order
    // 95 %: k = ceil(0.95 x 20) = 19 -> 19; the ceil(0.05 x 20) = 1 largest: 20.
    EXPECT_EQ(tail_risk(losses, 9'500).var, 19.0);
    EXPECT_EQ(tail_risk(losses, 9'500).es, 20.0);
    // 90 %: k = 18 -> 18; the 2 largest: (19 + 20) / 2.
    EXPECT_EQ(tail_risk(losses, 9'000).var, 18.0);
    EXPECT_EQ(tail_risk(losses, 9'000).es, 19.5);
    // 99 % of 20: k = ceil(19.8) = 20, m = ceil(0.2) = 1.
    EXPECT_EQ(tail_risk(losses, 9'900).var, 20.0);
    EXPECT_EQ(tail_risk(std::vector<double>{}, 9'900).var, 0.0);
}

TEST(StressMonteCarlo, LogReturnsBecomeWholeBasisPointMoves) {
    EXPECT_EQ(log_return_to_move_bps(0.0), 0);
    EXPECT_EQ(log_return_to_move_bps(std::log(0.7)), -3000);  // exp(ln 0.7) - 1 = -30 %
    EXPECT_EQ(log_return_to_move_bps(std::log(1.00005)), 1);  // 0.5 bps rounds away from zero
    EXPECT_EQ(log_return_to_move_bps(-50.0), kMinMoveBps);    // a price stays above 0
}

TEST(StressMonteCarlo, TheLadderBookIsWhatItSays) {
    const StressBook b = ladder_book();
    StressRunner runner(b);
    EXPECT_EQ(runner.run(StressScenario{"", {{kWeth, -9}}}).liquidatable, 0u);
    EXPECT_EQ(runner.run(StressScenario{"", {{kWeth, -10}}}).liquidatable, 1u);
    EXPECT_EQ(runner.run(StressScenario{"", {{kWeth, -889}}}).liquidatable, 88u);
    const auto at_20 = run_cascade(runner, StressScenario{"", {{kWeth, -2000}}}, valued());
    EXPECT_EQ(at_20.liquidated, 200u);
    EXPECT_NEAR(at_20.volume_usd, 200 * 1150.0, 1e-6);
    EXPECT_EQ(at_20.bad_debt_usd, 0.0);
}

TEST(StressMonteCarlo, OneAssetVarMatchesTheLognormalQuantile) {
    // WETH's daily log return ~ N(0, 4 %). Its 1 % quantile:
    // exp(-2.326348 x 0.04) - 1 = -8.887 %: borrowers 1..88, $101,200.
    // Its 5 % quantile: exp(-1.644854 x 0.04) - 1 = -6.368 %: 63, $72,450.
    // 4,000 draws (the sanitised run pays ~4 ms a draw): the 1 % quantile's
    // standard error is sqrt(0.01 x 0.99 / 4000) / phi(2.326) x 4 % = 24 bps,
    // the 5 %'s 13 bps; 9 borrowers (90 bps) and 5 (50 bps) are > 3 standard
    // errors plus the ladder's 10 bps step.
    const StressBook b = ladder_book();
    StressRunner runner(b);
    const auto mc = run_monte_carlo(runner, weth_only(0.04), valued(), MonteCarloSpec{1, 4'000});
    ASSERT_TRUE(mc.has_value()) << mc.error().message;
    EXPECT_EQ(mc->draws, 4'000u);
    EXPECT_NEAR(mc->volume.at_99.var, 88 * 1150.0, 9 * 1150.0);
    EXPECT_NEAR(mc->volume.at_95.var, 63 * 1150.0, 5 * 1150.0);
    EXPECT_NEAR(mc->liquidations.at_99.var, 88.0, 9.0);
    // The shortfall lies beyond the VaR, within the book.
    EXPECT_GT(mc->volume.at_99.es, mc->volume.at_99.var);
    EXPECT_LE(mc->volume.at_99.es, 200 * 1150.0);
    // Liquidations are whole borrowers of $1,150 each.
    for (std::size_t d = 0; d < mc->draws; ++d)
        ASSERT_NEAR(mc->volume_usd[d], mc->liquidated[d] * 1150.0, 1e-6) << "draw " << d;
    EXPECT_EQ(mc->bad_debt.at_99.var, 0.0);  // nobody insolvent within a day's move
}

TEST(StressMonteCarlo, TheSameSeedGivesTheSameFiguresDrawForDraw) {
    const StressBook b = ladder_book();
    StressRunner runner(b);
    const auto first = run_monte_carlo(runner, weth_only(0.05), valued(), MonteCarloSpec{123, 300});
    const auto again = run_monte_carlo(runner, weth_only(0.05), valued(), MonteCarloSpec{123, 300});
    const auto other = run_monte_carlo(runner, weth_only(0.05), valued(), MonteCarloSpec{124, 300});
    ASSERT_TRUE(first && again && other);
    EXPECT_EQ(first->volume_usd, again->volume_usd);
    EXPECT_EQ(first->liquidated, again->liquidated);
    EXPECT_EQ(first->volume.at_99.var, again->volume.at_99.var);
    EXPECT_EQ(first->volume.at_99.es, again->volume.at_99.es);
    EXPECT_NE(first->volume_usd, other->volume_usd);
}

TEST(StressMonteCarlo, ARunnerThatListsNoAccountsGivesTheSameFiguresWithoutACascade) {
    const StressBook b = ladder_book();
    StressRunner listing(b), totals_only(b, StressOptions{false});
    const auto a = run_monte_carlo(listing, weth_only(0.05), valued(), MonteCarloSpec{9, 200});
    const auto c = run_monte_carlo(totals_only, weth_only(0.05), valued(), MonteCarloSpec{9, 200});
    ASSERT_TRUE(a && c);
    EXPECT_EQ(a->volume_usd, c->volume_usd);
    EXPECT_EQ(a->liquidated, c->liquidated);
    EXPECT_EQ(a->bad_debt_usd, c->bad_debt_usd);
}

TEST(StressMonteCarlo, CorrelatedDrawsHaveTheFilesVolatilitiesAndCorrelation) {
    // WETH 4 %, stETH 2 % a day, correlation 0.8. 50,000 draws: standard
    // errors ~0.0002 on the vols (0.5 %), (1 - 0.64) / sqrt(50000) = 0.0016 on rho.
    const auto sampler = ReturnSampler::make(CovarianceSpec{{kWeth, kSteth}, {0.04, 0.02}, {1.0, 0.8, 0.8, 1.0}});
    ASSERT_TRUE(sampler.has_value()) << sampler.error().message;
    NormalSource normals(5);
    constexpr int kN = 50'000;
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    std::vector<double> r(2);
    for (int i = 0; i < kN; ++i) {
        sampler->log_returns(normals, r);
        sx += r[0], sy += r[1], sxx += r[0] * r[0], syy += r[1] * r[1], sxy += r[0] * r[1];
    }
    const double vx = sxx / kN - (sx / kN) * (sx / kN), vy = syy / kN - (sy / kN) * (sy / kN);
    const double cxy = sxy / kN - (sx / kN) * (sy / kN);
    EXPECT_NEAR(std::sqrt(vx), 0.04, 0.001);
    EXPECT_NEAR(std::sqrt(vy), 0.02, 0.0005);
    EXPECT_NEAR(cxy / std::sqrt(vx * vy), 0.8, 0.008);
}

TEST(StressMonteCarlo, ACovarianceThatIsNoneIsRefused) {
    EXPECT_FALSE(ReturnSampler::make(CovarianceSpec{{kWeth}, {0.04, 0.02}, {1.0}}).has_value());  // sizes
    EXPECT_FALSE(ReturnSampler::make(CovarianceSpec{{kWeth}, {-0.04}, {1.0}}).has_value());       // negative vol
    EXPECT_FALSE(ReturnSampler::make(CovarianceSpec{{kWeth, kSteth}, {0.04, 0.02}, {1.0, 0.8, 0.7, 1.0}})
                     .has_value());  // not symmetric
    EXPECT_FALSE(ReturnSampler::make(CovarianceSpec{{kWeth, kSteth}, {0.04, 0.02}, {1.0, 1.2, 1.2, 1.0}})
                     .has_value());  // |rho| > 1
    EXPECT_FALSE(
        ReturnSampler::make(CovarianceSpec{{kWeth, kWeth}, {0.04, 0.02}, {1.0, 0.0, 0.0, 1.0}}).has_value());  // twice
}

}  // namespace stress_monte_carlo_test
}  // namespace keeper::margin::stress

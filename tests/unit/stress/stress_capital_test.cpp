// The keeper's own capital to clear a scenario (margin/stress_capital.hpp):
// own funds = the debt repaid, per asset; flash loans = Aave's premium per
// liquidation (percentMul, half up); profit after the premium in USD.
#include <gtest/gtest.h>

#include "keeper/config/stress_scenario_file.hpp"
#include "margin/stress_capital.hpp"

namespace keeper::margin::stress {
namespace stress_capital_test {

Address named(unsigned char last) {
    Address a;
    a.bytes[19] = last;
    return a;
}
const Address kColl = named(1), kLoan = named(2), kOther = named(3);
const U256 kWad = U256::pow10(18);

StressedPosition liquidation(const Address& debt, const U256& repaid, const U256& seized) {
    StressedPosition p;
    p.debt_asset = debt;
    p.debt_repaid = repaid;
    p.collateral_asset = kColl;
    p.collateral_seized = seized;
    return p;
}

TEST(StressCapital, FlashPremiumIsPercentMulHalfUp) {
    EXPECT_EQ(flash_premium(U256(10'000), 5), U256(5));            // 5.0
    EXPECT_EQ(flash_premium(U256(11'000), 5), U256(6));            // 5.5 -> 6
    EXPECT_EQ(flash_premium(U256(1'000), 5), U256(1));             // 0.5 -> 1
    EXPECT_EQ(flash_premium(U256(999), 5), U256(0));               // 0.4995 -> 0
    EXPECT_EQ(flash_premium(kWad, 9), U256(900'000'000'000'000));  // 9 bps of 1e18
    EXPECT_EQ(flash_premium(kWad, 0), U256(0));
}

TEST(StressCapital, OwnFundsVsFlashLoansAndProfitAfterThePremium) {
    // COLL falls 20 % from $1, LOAN stays at $1, both 18 decimals; 5 bps.
    //   A repays 1,000 LOAN, seizes 1,100 COLL: 880 - (1,000 + 0.5) = -120.5   unprofitable
    //   B repays   500 LOAN, seizes   700 COLL: 560 - (500 + 0.25) =   59.75   profitable
    //   C would revert: left out
    //   D repays 10 OTHER (no [valuation]):                                    unjudged
    // Own funds: LOAN 1,500 ($1,500), OTHER 10 (unvalued); premiums LOAN 0.75 ($0.75), OTHER 0.005.
    StressScenario scenario{"COLL -20%", {AssetShock{kColl, -2000}}};
    ScenarioOutcome outcome;
    outcome.accounts = {liquidation(kLoan, U256(1000) * kWad, U256(1100) * kWad),
                        liquidation(kLoan, U256(500) * kWad, U256(700) * kWad), liquidation(kLoan, U256(0), U256(0)),
                        liquidation(kOther, U256(10) * kWad, U256(1) * kWad)};
    outcome.accounts[2].error = "reverts";
    Valuations valuations{{kColl, AssetValuation{1.0, 18, 0.0}}, {kLoan, AssetValuation{1.0, 18, 0.0}}};
    const ScenarioCapital c = capital_needed(scenario, outcome, valuations, CapitalSpec{});
    ASSERT_EQ(c.accounts.size(), 4u);
    EXPECT_EQ(c.accounts[0].flash_premium, U256(5) * U256::pow10(17));
    EXPECT_NEAR(c.accounts[0].profit_usd.value_or(0), -120.5, 1e-9);
    EXPECT_NEAR(c.accounts[1].profit_usd.value_or(0), 59.75, 1e-9);
    EXPECT_FALSE(c.accounts[2].profit_usd.has_value());
    EXPECT_EQ(c.accounts[2].flash_premium, U256(0));
    EXPECT_FALSE(c.accounts[3].profit_usd.has_value());
    EXPECT_EQ(c.profitable, 1u);
    EXPECT_EQ(c.unprofitable, 1u);
    EXPECT_EQ(c.unjudged, 1u);
    ASSERT_EQ(c.assets.size(), 2u);
    EXPECT_EQ(c.assets[0].asset, kLoan);
    EXPECT_EQ(c.assets[0].own_funds, U256(1500) * kWad);
    EXPECT_EQ(c.assets[0].flash_premium, U256(75) * U256::pow10(16));
    EXPECT_NEAR(c.assets[0].own_funds_usd.value_or(0), 1500.0, 1e-9);
    EXPECT_NEAR(c.own_funds_usd, 1500.0, 1e-9);
    EXPECT_NEAR(c.flash_premium_usd, 0.75, 1e-12);
    EXPECT_EQ(c.assets[1].flash_premium, U256(5) * U256::pow10(15));
    ASSERT_EQ(c.unvalued.size(), 1u);
    EXPECT_EQ(c.unvalued[0], kOther);
    // At 0 bps (a lender with free flash loans) B stays profitable by exactly 60.
    const ScenarioCapital free = capital_needed(scenario, outcome, valuations, CapitalSpec{0});
    EXPECT_NEAR(free.accounts[1].profit_usd.value_or(0), 60.0, 1e-9);
}

TEST(StressCapital, ScenarioFileSetsThePremium) {
    const auto file = config::parse_stress_scenarios("[grid]\n[capital]\nflash_premium_bps = 9\n", "s.toml");
    ASSERT_TRUE(file.has_value()) << file.error().message;
    EXPECT_EQ(file->capital.flash_premium_bps, 9u);
    EXPECT_TRUE(file->capital_given);  // the pools' FLASHLOAN_PREMIUM_TOTAL is not used then
    const auto defaults = config::parse_stress_scenarios("[grid]\n", "s.toml");
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->capital.flash_premium_bps, 5u);
    EXPECT_FALSE(defaults->capital_given);
    const auto bad = config::parse_stress_scenarios("[grid]\n[capital]\nflash_premium_bps = 20000\nfee = 1\n",
                                                    "s.toml");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("s.toml:3: capital.flash_premium_bps"), std::string::npos)
        << bad.error().message;
    EXPECT_NE(bad.error().message.find("unknown key 'capital.fee'"), std::string::npos) << bad.error().message;
}

}  // namespace stress_capital_test
}  // namespace keeper::margin::stress

// The keeper's capital in `stress` output: every scenario line's `capital`
// object and each liquidation's `flash_premium` / `profit_after_premium_usd`,
// and the table's capital section, on the report fixture's Morpho book
// (WETH collateral at $2,000, USDC debt at $1, both valued).
#include <gtest/gtest.h>

#include "stress_report_fixture.hpp"

namespace keeper::app {
namespace stress_capital_report_test {

using stress_report_fixture::kFixtureUsdc;
using stress_report_fixture::StressReportFixture;

TEST(StressCapitalReport, ScenarioLineCarriesOwnFundsFlashPremiumAndProfit) {
    StressReportFixture f;  // not const: the context gets the valuations and a 9 bps premium
    f.context.valuations = &f.cascade.valuations;
    f.context.capital.flash_premium_bps = 9;
    // The deepest WETH fall of the ladder: the scenario with the most debt repaid.
    std::size_t at = 0;
    for (std::size_t i = 0; i < f.outcomes.size(); ++i)
        if (f.outcomes[i].liquidatable > f.outcomes[at].liquidatable) at = i;
    const auto& outcome = f.outcomes[at];
    ASSERT_GT(outcome.liquidatable, 0u);
    const nlohmann::json j = stress_scenario_json(f.context, f.scenarios[at], outcome);
    const auto& capital = j["capital"];
    EXPECT_EQ(capital["flash_premium_bps"], 9);
    // Own funds are the scenario's USDC debt repaid; the premium is each
    // liquidation's 9 bps (half up), summed.
    U256 repaid, premiums;
    for (const auto& a : outcome.accounts) {
        repaid += a.debt_repaid;
        premiums += (a.debt_repaid * U256(9) + U256(5000)) / U256(10000);
    }
    ASSERT_EQ(capital["assets"].size(), 1u);
    EXPECT_EQ(capital["assets"][0]["asset"], kFixtureUsdc.checksummed());
    EXPECT_EQ(capital["assets"][0]["label"], "USDC");
    EXPECT_EQ(capital["assets"][0]["own_funds"], repaid.to_dec());
    EXPECT_EQ(capital["assets"][0]["flash_premium"], premiums.to_dec());
    EXPECT_NEAR(capital["own_funds_usd"].get<double>(), std::stod(repaid.to_dec()) / 1e6, 1e-6);
    EXPECT_EQ(capital["unvalued"].size(), 0u);
    EXPECT_EQ(capital["profitable"].get<std::size_t>() + capital["unprofitable"].get<std::size_t>(),
              outcome.accounts.size());
    EXPECT_EQ(capital["unjudged"], 0);
    // Each liquidation: its premium, its profit (seized WETH at the scenario's price minus repaid USDC and premium).
    const auto& first = j["accounts"][0];
    const auto& a = outcome.accounts[0];
    EXPECT_EQ(first["flash_premium"], ((a.debt_repaid * U256(9) + U256(5000)) / U256(10000)).to_dec());
    const double weth_price = 2000.0 * (10000 + f.scenarios[at].move_bps_of(a.collateral_asset)) / 10000.0;
    const double expected = std::stod(a.collateral_seized.to_dec()) / 1e18 * weth_price -
                            std::stod((a.debt_repaid + (a.debt_repaid * U256(9) + U256(5000)) / U256(10000)).to_dec()) /
                                1e6;
    EXPECT_NEAR(first["profit_after_premium_usd"].get<double>(), expected, 1e-6 * std::fabs(expected) + 1e-6);
    EXPECT_EQ(first["profitable"], expected > 0.0);

    const std::string table = stress_capital_table(f.context, f.scenarios, f.outcomes);
    EXPECT_NE(table.find("keeper capital to clear each scenario in one round (own funds vs flash loans at 9 bps; "
                         "gas not counted):"),
              std::string::npos)
        << table;
    EXPECT_NE(table.find("  " + f.scenarios[at].name + ": own funds USDC " + repaid.to_dec()), std::string::npos)
        << table;
}

}  // namespace stress_capital_report_test
}  // namespace keeper::app

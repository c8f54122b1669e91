#pragma once
// A stress report built from a hand-made book, for the HTML page's tests (the
// structure here, the rendering in headless Chromium in
// tests/integration/stress_html/). One Morpho Blue market, WETH (18
// decimals) collateral against USDC (6 decimals) at 2000 USDC per WETH,
// LLTV 86 %, 1e6 shares per USDC unit:
//   - three whales of 1000 WETH borrowing 1.6M, 1.5M and 1.3M USDC (the
//     cascade of tests/unit/stress/stress_cascade_test.cpp: WETH -10 %
//     liquidates the first, its sale at 300 bps per $1M the second);
//   - 40 borrowers of 1 WETH borrowing 1000..1780 USDC in steps of 20 (health
//     1.72 .. 0.97), so every shock liquidates some and the large ones leave
//     bad debt.
// The default ladder over WETH and USDC (42 scenarios), every one as a cascade,
// and a Monte-Carlo run of 2000 draws (WETH 5 %, USDC 0.1 % a day, seed 7).
#include <string>
#include <vector>

#include "keeper/daemon/stress_html.hpp"
#include "margin/stress_grid.hpp"

namespace keeper::stress_report_fixture {

using namespace keeper::margin::stress;

inline Address fixture_address(unsigned char first, unsigned char last) {
    Address a;
    a.bytes[0] = first;
    a.bytes[19] = last;
    return a;
}
inline const Address kFixtureWeth = fixture_address(0xee, 0x01), kFixtureUsdc = fixture_address(0xcc, 0x02);

struct StressReportFixture {
    StressBook book;
    app::StressReportContext context;
    std::vector<StressScenario> scenarios;
    std::vector<ScenarioOutcome> outcomes;
    std::vector<CascadeOutcome> cascades;
    CascadeSpec cascade;
    CovarianceSpec covariance;
    MonteCarloOutcome monte_carlo;

    StressReportFixture() {
        const auto n = [](const char* dec) { return U256::from_dec(dec).value(); };
        MorphoStressMarket m;
        m.protocol = "morpho-blue@0x01";
        m.id.bytes[31] = 7;
        m.params.loan_token = kFixtureUsdc;
        m.params.collateral_token = kFixtureWeth;
        m.params.lltv_wad = n("860000000000000000");
        m.price_1e36 = n("2000000000000000000000000000");
        U256 borrowed;
        const auto add = [&](unsigned char who, const U256& collateral, const U256& usdc_units) {
            m.positions.push_back(
                {fixture_address(0xb0, who), morpho::Position{U256(), usdc_units * U256(1'000'000), collateral}});
            borrowed += usdc_units;
        };
        const U256 weth = U256::pow10(18), usdc = U256::pow10(6);
        add(1, weth * U256(1000), usdc * U256(1'600'000));
        add(2, weth * U256(1000), usdc * U256(1'500'000));
        add(3, weth * U256(1000), usdc * U256(1'300'000));
        for (unsigned i = 0; i < 40; ++i) add(static_cast<unsigned char>(10 + i), weth, usdc * U256(1000 + 20 * i));
        m.accrued.total_borrow_assets = borrowed;
        m.accrued.total_borrow_shares = borrowed * U256(1'000'000);
        m.accrued.total_supply_assets = borrowed * U256(2);
        m.accrued.total_supply_shares = borrowed * U256(2'000'000);
        book.morpho_markets.push_back(m);

        context.block = 15;
        context.book = &book;
        context.labels = {{kFixtureWeth, "WETH"}, {kFixtureUsdc, "USDC"}};
        const auto assets = book.assets();
        scenarios = default_grid(assets, context.labels, StressGridSpec{}).value();
        outcomes = run_stress(book, scenarios).value();
        cascade.valuations[kFixtureWeth] = AssetValuation{2000.0, 18, 300.0};
        cascade.valuations[kFixtureUsdc] = AssetValuation{1.0, 6, 0.0};
        cascade.max_rounds = 10;
        StressRunner runner(book);
        for (const auto& s : scenarios) cascades.push_back(run_cascade(runner, s, cascade));
        covariance = CovarianceSpec{{kFixtureWeth, kFixtureUsdc}, {0.05, 0.001}, {1.0, 0.0, 0.0, 1.0}};
        monte_carlo = run_monte_carlo(runner, covariance, cascade, MonteCarloSpec{7, 2000}).value();
    }

    std::string page() const {
        app::StressHtmlInput in;
        in.context = &context;
        in.scenarios = &scenarios;
        in.outcomes = &outcomes;
        in.cascades = &cascades;
        in.valuations = &cascade.valuations;
        in.covariance = &covariance;
        in.monte_carlo = &monte_carlo;
        return app::stress_html(in);
    }
};

}  // namespace keeper::stress_report_fixture

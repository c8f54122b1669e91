// The stress engine on an Aave v3.6 pool, worked by hand from
// LiquidationLogic and GenericLogic of aave-v3-origin 3.6.0. Prices in 1e8
// base units: WETH $2000 (18 decimals, LT 82.5 %, bonus 5 %, protocol fee 10 %
// of the bonus), USDC $1 (6 decimals). Indexes are 1 ray, so balances are the
// scaled balances.
#include <gtest/gtest.h>

#include "margin/stress_engine.hpp"
#include "margin/stress_grid.hpp"

namespace keeper::margin::stress {
namespace stress_aave_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(unsigned char last) {
    Address a;
    a.bytes[19] = last;
    return a;
}
const Address kWeth = addr(0xee), kUsdc = addr(0xcc), kDave = addr(0xda), kErin = addr(0xe1);
constexpr unsigned kWethId = 0, kUsdcId = 1;
const U256 kRay = U256::pow10(27);

aave::ReserveConfig cfg(std::uint16_t lt, std::uint16_t bonus, std::uint8_t decimals, std::uint16_t fee) {
    aave::ReserveConfig c;
    c.ltv_bps = static_cast<std::uint16_t>(lt - 250);
    c.liquidation_threshold_bps = lt;
    c.liquidation_bonus_bps = bonus;
    c.decimals = decimals;
    c.active = true;
    c.borrowing_enabled = true;
    c.liquidation_protocol_fee_bps = fee;
    return c;
}

AaveStressAccount weth_against_usdc(const Address& who, const char* weth_wei, const char* usdc_debt) {
    AaveStressAccount a;
    a.account = who;
    a.input.config = aave::UserConfig().with_collateral(kWethId, true).with_borrowing(kUsdcId, true);
    a.input.reserves = {
        aave::ReserveSnapshot{kWethId, cfg(8250, 10500, 18, 1000), n("200000000000"), kRay, kRay, n(weth_wei), 0, 0},
        aave::ReserveSnapshot{kUsdcId, cfg(8000, 10450, 6, 0), n("100000000"), kRay, kRay, 0, n(usdc_debt), 0}};
    return a;
}

// Dave: 10 WETH ($20000) against 14000 USDC: HF 20000 x 0.825 / 14000 = 1.1786.
// Erin: 10 WETH against 8000 USDC: HF 2.0625.
StressBook pool_book() {
    AaveStressPool pool;
    pool.protocol = "aave-v3@0x02";
    pool.pool = addr(0x02);
    pool.rules = aave::PoolRules::V3_6;
    pool.reserves = {{kWethId, kWeth}, {kUsdcId, kUsdc}};
    pool.accounts = {weth_against_usdc(kDave, "10000000000000000000", "14000000000"),
                     weth_against_usdc(kErin, "10000000000000000000", "8000000000")};
    StressBook book;
    book.aave_pools.push_back(pool);
    return book;
}

TEST(StressAave, WethMinus30TakesAllOfDavesCollateralAndLeavesADeficit) {
    // WETH $1400: Dave's collateral 14000e8 base, HF 14000 x 0.825 / 14000 = 0.825 <= 0.95: close factor
    // 100 %. Covering all 14000 USDC needs 10 WETH x 105 % = 10.5 WETH > 10, so all 10 WETH:
    // debt needed = percentDivCeil(14000e6, 10500) = 13333333334 USDC; the bonus part
    // 10e18 - percentDiv(10e18, 10500) = 476190476190476190 pays a 10 % fee 47619047619047619 to the
    // treasury; the liquidator gets 9952380952380952381 wei. No collateral left: the other
    // 14000e6 - 13333333334 = 666666666 USDC become the reserve's deficit.
    // Erin: HF 14000 x 0.825 / 8000 = 1.44, healthy.
    const StressScenario scenario{"WETH -30%", {{kWeth, -3000}}};
    const auto out = run_stress(pool_book(), std::span(&scenario, 1));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    const ScenarioOutcome& o = (*out)[0];
    EXPECT_EQ(o.positions, 2u);
    EXPECT_EQ(o.liquidatable, 1u);
    EXPECT_EQ(o.insolvent, 0u);  // 14000 of collateral against 14000 of debt is not below it
    ASSERT_EQ(o.accounts.size(), 1u);
    const StressedPosition& dave = o.accounts[0];
    EXPECT_EQ(dave.account, kDave);
    EXPECT_EQ(dave.kind, "aave-v3");
    EXPECT_EQ(dave.health_wad, n("825000000000000000"));
    EXPECT_EQ(dave.debt_asset, kUsdc);
    EXPECT_EQ(dave.debt_repaid, n("13333333334"));
    EXPECT_EQ(dave.collateral_asset, kWeth);
    EXPECT_EQ(dave.collateral_seized, n("9952380952380952381"));
    ASSERT_EQ(dave.bad_debt.size(), 1u);
    EXPECT_EQ(dave.bad_debt[0], (AssetAmount{kUsdc, n("666666666")}));
}

TEST(StressAave, DebtAssetRisingIsAShockToo) {
    // USDC +50 %: Dave's debt is worth 21000e8 base against 20000e8 of WETH: HF 0.7857, insolvent.
    const StressScenario scenario{"USDC +50%", {{kUsdc, 5000}}};
    const auto out = run_stress(pool_book(), std::span(&scenario, 1));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ((*out)[0].liquidatable, 1u);
    EXPECT_EQ((*out)[0].insolvent, 1u);
    EXPECT_TRUE((*out)[0].accounts[0].insolvent);
}

TEST(StressAave, ScreenNeverDisagreesWithTheExactHealthFactor) {
    const StressBook book = pool_book();
    for (std::int32_t bps = -9000; bps <= 3000; bps += 41) {
        const StressScenario scenario{"x", {{kWeth, bps}}};
        const auto out = run_stress(book, std::span(&scenario, 1));
        ASSERT_TRUE(out.has_value());
        std::size_t expected = 0;
        for (const auto& account : book.aave_pools[0].accounts) {
            aave::UserAccount shocked = account.input;
            shocked.reserves[0].price = shocked_price(shocked.reserves[0].price, bps);
            if (aave::calculate_user_account_data(aave::PoolRules::V3_6, shocked)->liquidatable()) ++expected;
        }
        EXPECT_EQ((*out)[0].liquidatable, expected) << bps;
    }
}

TEST(StressGrid, EveryAssetAloneFromMinus50ToPlus50InStepsOf5) {
    const Address assets[] = {kUsdc, kWeth, addr(0x57)};
    const auto grid = default_grid(assets, {{kWeth, "WETH"}});
    ASSERT_TRUE(grid.has_value());
    ASSERT_EQ(grid->size(), 63u);  // 3 assets x 21 moves
    EXPECT_EQ((*grid)[21].name, "WETH -50%");
    EXPECT_EQ((*grid)[21].shocks, (std::vector<AssetShock>{{kWeth, -5000}}));
    EXPECT_EQ((*grid)[31].name, "WETH 0%");
    EXPECT_TRUE((*grid)[31].shocks.empty());
    EXPECT_EQ((*grid)[41].name, "WETH +50%");
    EXPECT_EQ((*grid)[0].name, kUsdc.checksummed() + " -50%");
    EXPECT_FALSE(default_grid(assets, {}, StressGridSpec{5000, 300}).has_value());
}

TEST(StressGrid, MovesAreNamedAsPercentages) {
    EXPECT_EQ(move_text(-3000), "-30%");
    EXPECT_EQ(move_text(250), "+2.5%");
    EXPECT_EQ(move_text(-3333), "-33.33%");
    EXPECT_EQ(move_text(5), "+0.05%");
    EXPECT_EQ(move_text(0), "0%");
}

TEST(StressTotals, MorphoAndAaveAddUpPerAsset) {
    // The grid over both books at once: every scenario's totals are the sums
    // of its accounts' amounts.
    StressBook book = pool_book();
    const auto assets = book.assets();
    ASSERT_EQ(assets.size(), 2u);
    const auto grid = default_grid(assets);
    const auto out = run_stress(book, *grid);
    ASSERT_TRUE(out.has_value());
    for (const auto& o : *out) {
        U256 repaid, seized;
        for (const auto& a : o.accounts) {
            repaid += a.debt_repaid;
            seized += a.collateral_seized;
        }
        U256 total_repaid, total_seized;
        for (const auto& t : o.totals) {
            total_repaid += t.debt_repaid;
            total_seized += t.collateral_seized;
        }
        EXPECT_EQ(repaid, total_repaid) << o.name;
        EXPECT_EQ(seized, total_seized) << o.name;
    }
}

}  // namespace stress_aave_test
}  // namespace keeper::margin::stress

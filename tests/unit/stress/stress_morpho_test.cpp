// The stress engine on a Morpho Blue book, worked by hand from Morpho.sol:
// WETH (18 decimals) collateral, USDC (6 decimals) loan, LLTV 86 %, oracle
// 2000 USDC per WETH = 2000e6 x 1e36 / 1e18 = 2e27. The market has 10,000
// USDC borrowed as 1e16 shares: exactly 1e6 shares per USDC unit, virtual
// shares included, so share <-> asset conversions are exact.
// Liquidation incentive: 1e36 / (1e18 - 0.3e18 x 0.14) = 1043841336116910229.
#include <gtest/gtest.h>

#include "margin/stress_engine.hpp"

namespace keeper::margin::stress {
namespace stress_morpho_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(unsigned char last) {
    Address a;
    a.bytes[19] = last;
    return a;
}
const Address kWeth = addr(0xee), kUsdc = addr(0xcc);
const Address kAlice = addr(0xa1), kBob = addr(0xb0), kCarol = addr(0xca);

morpho::Position borrower(const char* collateral, const char* shares) {
    return morpho::Position{U256(), n(shares), n(collateral)};
}

// Alice: 1 WETH against 1500 USDC (health 1720/1500 = 1.1467).
// Bob:   1 WETH against 1000 USDC (1.72).
// Carol: 10 WETH against 1000 USDC (17.2).
StressBook weth_usdc_book() {
    MorphoStressMarket m;
    m.protocol = "morpho-blue@0x01";
    m.id.bytes[31] = 7;
    m.params.loan_token = kUsdc;
    m.params.collateral_token = kWeth;
    m.params.lltv_wad = n("860000000000000000");
    m.accrued.total_supply_assets = n("20000000000");
    m.accrued.total_supply_shares = n("20000000000000000");
    m.accrued.total_borrow_assets = n("10000000000");
    m.accrued.total_borrow_shares = n("10000000000000000");
    m.price_1e36 = n("2000000000000000000000000000");
    m.positions = {{kAlice, borrower("1000000000000000000", "1500000000000000")},
                   {kBob, borrower("1000000000000000000", "1000000000000000")},
                   {kCarol, borrower("10000000000000000000", "1000000000000000")}};
    StressBook book;
    book.morpho_markets.push_back(m);
    return book;
}

StressScenario weth_moves(std::int32_t bps) { return StressScenario{"WETH", {{kWeth, bps}}}; }

TEST(StressPrices, ShockedPricesRoundDownLikeAnIntegerOracle) {
    EXPECT_EQ(shocked_price(n("200000000000"), -3000), n("140000000000"));
    EXPECT_EQ(shocked_price(n("3"), -5000), n("1"));  // 1.5 rounds down
    EXPECT_EQ(shocked_price(n("12345"), 0), n("12345"));
    // Collateral and loan move together: the relative price does not change.
    EXPECT_EQ(shocked_morpho_price(n("2000000000000000000000000000"), -3000, -3000), n("2000000000000000000000000000"));
    // USDC +30 %: 2e27 x 10000 / 13000.
    EXPECT_EQ(shocked_morpho_price(n("2000000000000000000000000000"), 0, 3000), n("1538461538461538461538461538"));
}

TEST(StressMorpho, UnmovedBookHasNothingLiquidatable) {
    const StressScenario unmoved{"none", {}};
    const auto out = run_stress(weth_usdc_book(), std::span(&unmoved, 1));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ((*out)[0].positions, 3u);
    EXPECT_EQ((*out)[0].liquidatable, 0u);
    EXPECT_TRUE((*out)[0].totals.empty());
}

TEST(StressMorpho, WethMinus30LiquidatesAliceWithAllHerCollateralAndBadDebt) {
    // Price 1.4e27: Alice's 1 WETH is worth 1400 USDC, max borrow 1204 USDC < 1500: liquidatable and
    // insolvent. Repaying all 1.5e15 shares would seize 1500e6 x LIF / 1e18 = 1565762004 USDC worth
    // = 1.118 WETH > 1 WETH: reverts, so all collateral: repaid = wDivUp(1400e6, LIF) = 1341200001,
    // shares 1341200001e6, and the 158799999e6 shares left are bad debt = 158799999 USDC.
    // Bob (max borrow 1204 >= 1000) and Carol stay healthy.
    const auto scenario = weth_moves(-3000);
    const auto out = run_stress(weth_usdc_book(), std::span(&scenario, 1));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    const ScenarioOutcome& o = (*out)[0];
    EXPECT_EQ(o.liquidatable, 1u);
    EXPECT_EQ(o.insolvent, 1u);
    ASSERT_EQ(o.accounts.size(), 1u);
    const StressedPosition& alice = o.accounts[0];
    EXPECT_EQ(alice.account, kAlice);
    EXPECT_EQ(alice.health_wad, n("802666666666666666"));  // 1204e6 / 1500e6
    EXPECT_TRUE(alice.insolvent);
    EXPECT_EQ(alice.debt_asset, kUsdc);
    EXPECT_EQ(alice.debt_repaid, n("1341200001"));
    EXPECT_EQ(alice.collateral_asset, kWeth);
    EXPECT_EQ(alice.collateral_seized, n("1000000000000000000"));
    ASSERT_EQ(alice.bad_debt.size(), 1u);
    EXPECT_EQ(alice.bad_debt[0], (AssetAmount{kUsdc, n("158799999")}));
    ASSERT_EQ(o.totals.size(), 2u);  // sorted by address: USDC (..cc) then WETH (..ee)
    EXPECT_EQ(o.totals[0].asset, kUsdc);
    EXPECT_EQ(o.totals[0].debt_repaid, n("1341200001"));
    EXPECT_EQ(o.totals[0].bad_debt, n("158799999"));
    EXPECT_EQ(o.totals[1].asset, kWeth);
    EXPECT_EQ(o.totals[1].collateral_seized, n("1000000000000000000"));
}

TEST(StressMorpho, WethMinus50AddsBobLiquidatableButNotInsolvent) {
    // Price 1e27: Bob's 1 WETH is worth exactly his 1000 USDC (not insolvent), max borrow 860 < 1000.
    // All shares would seize 1043841336 USDC worth > 1 WETH, so all collateral: repaid
    // wDivUp(1000e6, LIF) = 958000001, the contract writes off 41999999.
    const auto scenario = weth_moves(-5000);
    const auto out = run_stress(weth_usdc_book(), std::span(&scenario, 1));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    const ScenarioOutcome& o = (*out)[0];
    EXPECT_EQ(o.liquidatable, 2u);
    EXPECT_EQ(o.insolvent, 1u);  // Alice only
    ASSERT_EQ(o.accounts.size(), 2u);
    const StressedPosition& bob = o.accounts[1];
    EXPECT_EQ(bob.account, kBob);
    EXPECT_FALSE(bob.insolvent);
    EXPECT_EQ(bob.debt_repaid, n("958000001"));
    EXPECT_EQ(bob.collateral_seized, n("1000000000000000000"));
    ASSERT_EQ(bob.bad_debt.size(), 1u);
    EXPECT_EQ(bob.bad_debt[0].amount, n("41999999"));
}

TEST(StressMorpho, LoanTokenRisingLiquidatesLikeCollateralFalling) {
    // USDC +30 %: price 1538461538461538461538461538, Alice's WETH worth 1538461538 USDC (solvent),
    // max borrow 1323076922 < 1500e6. All shares would seize 1.0177 WETH > 1: all collateral,
    // repaid wDivUp(1538461539, LIF) = 1473846155 (the seize rounds the value up), bad debt 26153845.
    const StressScenario scenario{"USDC +30%", {{kUsdc, 3000}}};
    const auto out = run_stress(weth_usdc_book(), std::span(&scenario, 1));
    ASSERT_TRUE(out.has_value()) << out.error().message;
    ASSERT_EQ((*out)[0].accounts.size(), 1u);
    const StressedPosition& alice = (*out)[0].accounts[0];
    EXPECT_FALSE(alice.insolvent);
    EXPECT_EQ(alice.debt_repaid, n("1473846155"));
    EXPECT_EQ(alice.bad_debt[0].amount, n("26153845"));
}

TEST(StressMorpho, EngineAgreesWithTheExactModelOnEveryStepOfTheLadder) {
    // The screen skips positions it judges certainly healthy: on a fine ladder
    // every position's verdict must equal the exact model's.
    StressBook book = weth_usdc_book();
    for (std::int32_t bps = -9000; bps <= 2000; bps += 37) {
        const auto scenario = weth_moves(bps);
        const auto out = run_stress(book, std::span(&scenario, 1));
        ASSERT_TRUE(out.has_value());
        const U256 price = shocked_price(book.morpho_markets[0].price_1e36, bps);
        std::size_t expected = 0;
        for (const auto& p : book.morpho_markets[0].positions) {
            const auto h = morpho::health(book.morpho_markets[0].params, book.morpho_markets[0].accrued, p.position,
                                          price);
            ASSERT_TRUE(h.has_value());
            if (!h->healthy) ++expected;
        }
        EXPECT_EQ((*out)[0].liquidatable, expected) << bps;
    }
}

TEST(StressMorpho, ExactlyAtTheThresholdIsHealthyAsInTheContract) {
    // Bob at 1000 USDC debt is liquidatable below a price where 1 WETH x 0.86 = 1000 USDC:
    // 1000e6 / 0.86 = 1162.79 USDC per WETH. -41.86 % gives 1162.8 (healthy, 1000.008 max borrow),
    // -41.87 % gives 1162.6 (max borrow 999.836: liquidatable).
    const StressScenario healthy{"a", {{kWeth, -4186}}};
    const StressScenario liquidatable{"b", {{kWeth, -4187}}};
    const StressScenario both[] = {healthy, liquidatable};
    const auto out = run_stress(weth_usdc_book(), both);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ((*out)[0].liquidatable, 1u);  // Alice
    EXPECT_EQ((*out)[1].liquidatable, 2u);  // Alice and Bob
}

TEST(StressScenarios, BadScenariosAreRefusedNamingThem) {
    const StressScenario zero_price{"crash", {{kWeth, -10000}}};
    const auto a = run_stress(weth_usdc_book(), std::span(&zero_price, 1));
    ASSERT_FALSE(a.has_value());
    EXPECT_NE(a.error().message.find("scenario \"crash\""), std::string::npos) << a.error().message;
    const StressScenario twice{"twice", {{kWeth, -100}, {kWeth, -200}}};
    const auto b = run_stress(weth_usdc_book(), std::span(&twice, 1));
    ASSERT_FALSE(b.has_value());
    EXPECT_NE(b.error().message.find("shocked twice"), std::string::npos) << b.error().message;
}

}  // namespace stress_morpho_test
}  // namespace keeper::margin::stress

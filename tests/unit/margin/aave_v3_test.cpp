// Aave V3 model: configuration bitmaps, getUserAccountData and liquidation
// amounts, worked out from GenericLogic / LiquidationLogic (core-v3 1.19,
// origin v3.3 and v3.5) with every intermediate written down.
#include <gtest/gtest.h>

#include <random>

#include "margin/aave_v3.hpp"

namespace keeper::aave {
namespace aave_v3_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kRay = U256::pow10(27);
const U256 kMax = U256::max();

TEST(AaveReserveConfig, DecodesEveryField) {
    // Assembled from WETH's published Ethereum-market parameters: LTV 80.50%,
    // LT 83%, bonus 5%, 18 decimals, active, borrowable, flash loans, RF 15%,
    // caps 1.4M/1.8M, protocol fee 10%, eMode 1, virtual accounting.
    const U256 word = U256::from_hex("0x100000000000000000000103e80001b7740000155cc005dc85122904206c1f72").value();
    const ReserveConfig c = ReserveConfig::decode(word);
    EXPECT_EQ(c.ltv_bps, 8050);
    EXPECT_EQ(c.liquidation_threshold_bps, 8300);
    EXPECT_EQ(c.liquidation_bonus_bps, 10500);
    EXPECT_EQ(c.decimals, 18);
    EXPECT_TRUE(c.active);
    EXPECT_FALSE(c.frozen);
    EXPECT_TRUE(c.borrowing_enabled);
    EXPECT_FALSE(c.stable_borrowing_enabled);
    EXPECT_FALSE(c.paused);
    EXPECT_FALSE(c.borrowable_in_isolation);
    EXPECT_FALSE(c.siloed_borrowing);
    EXPECT_TRUE(c.flash_loan_enabled);
    EXPECT_EQ(c.reserve_factor_bps, 1500);
    EXPECT_EQ(c.borrow_cap, 1'400'000u);
    EXPECT_EQ(c.supply_cap, 1'800'000u);
    EXPECT_EQ(c.liquidation_protocol_fee_bps, 1000);
    EXPECT_EQ(c.emode_category, 1);
    EXPECT_EQ(c.unbacked_mint_cap, 0u);
    EXPECT_EQ(c.debt_ceiling, 0u);
    EXPECT_TRUE(c.virtual_accounting_active);
}

TEST(AaveUserConfig, TwoBitsPerReserve) {
    const UserConfig c(U256(0x1a));  // 0b11010: collateral 0, collateral 1, borrowing 2
    EXPECT_FALSE(c.is_borrowing(0));
    EXPECT_TRUE(c.is_using_as_collateral(0));
    EXPECT_TRUE(c.is_using_as_collateral(1));
    EXPECT_TRUE(c.is_borrowing(2));
    EXPECT_FALSE(c.is_using_as_collateral(2));
    EXPECT_FALSE(c.is_using_as_collateral_or_borrowing(3));
    EXPECT_EQ(UserConfig().with_collateral(0, true).with_collateral(1, true).with_borrowing(2, true).word(), U256(0x1a));
    EXPECT_TRUE(c.with_borrowing(2, false).is_using_as_collateral(1));
    EXPECT_FALSE(c.with_borrowing(2, false).is_borrowing(2));
    const UserConfig top = UserConfig().with_borrowing(127, true);
    EXPECT_TRUE(top.is_borrowing(127));
    EXPECT_EQ(top.word(), U256(1) << 254);
}

ReserveConfig cfg(std::uint16_t ltv, std::uint16_t lt, std::uint16_t bonus, std::uint8_t decimals,
                  std::uint16_t fee = 0) {
    ReserveConfig c;
    c.ltv_bps = ltv;
    c.liquidation_threshold_bps = lt;
    c.liquidation_bonus_bps = bonus;
    c.decimals = decimals;
    c.active = true;
    c.liquidation_protocol_fee_bps = fee;
    return c;
}

// WETH (18) and USDC (6) supplied as collateral, WBTC (8) borrowed.
// Prices in 1e8 USD: WETH 2000, USDC 1.0001, WBTC 60000.
UserAccount three_reserve_account(const U256& btc_price) {
    UserAccount a;
    a.config = UserConfig(U256(0x1a));
    ReserveSnapshot weth{0, cfg(8000, 8250, 10500, 18, 1000), n("200000000000"),
                         n("1020000000123456789012345678"), kRay, n("1500000000000000000"), 0, 0};
    ReserveSnapshot usdc{1, cfg(7700, 8000, 10450, 6), n("100010000"), n("1050000000000000000000000001"), kRay,
                         n("3000000000"), 0, 0};
    ReserveSnapshot wbtc{2, cfg(7300, 7800, 10500, 8, 1000), btc_price, kRay, n("1100000000000000000000000007"), 0,
                         n("8000000"), 0};
    a.reserves = {wbtc, weth, usdc};  // order does not matter
    return a;
}

TEST(AaveAccountData, TwoCollateralsOneDebtEarlyV3) {
    // WETH: rayMul(1.5e18, 1.020000000123456789012345678e27) = 1530000000185185184 (half-up)
    //       * 2000e8 / 1e18 = 306000000037
    // USDC: rayMul(3000e6, 1.05e27 + 1) = 3150000000 * 100010000 / 1e6 = 315031500000
    // WBTC debt: rayMul(0.08e8, 1.1e27 + 7) = 8800000 * 6000000000000 / 1e8 = 528000000000
    // avgLT = (306000000037 * 8250 + 315031500000 * 8000) / 621031500037 = 8123
    // HF = wadDiv(percentMul(621031500037, 8123), 528000000000) = 955424029318181818
    const auto d = calculate_user_account_data(PoolRules::EarlyV3, three_reserve_account(n("6000000000000")));
    ASSERT_TRUE(d.has_value()) << d.error().message;
    EXPECT_EQ(d->total_collateral_base, n("621031500037"));
    EXPECT_EQ(d->total_debt_base, n("528000000000"));
    EXPECT_EQ(d->avg_ltv_bps, U256(7847));
    EXPECT_EQ(d->avg_liquidation_threshold_bps, U256(8123));
    EXPECT_EQ(d->health_factor_wad, n("955424029318181818"));
    EXPECT_TRUE(d->liquidatable());
    // v3.3 computes the same numbers for this account.
    const auto d33 = calculate_user_account_data(PoolRules::V3_3, three_reserve_account(n("6000000000000")));
    ASSERT_TRUE(d33.has_value());
    EXPECT_EQ(d33->health_factor_wad, d->health_factor_wad);
}

TEST(AaveAccountData, V35RoundsInTheProtocolsFavour) {
    // aToken floor: 1530000000185185183; debt ceil: rayMulCeil(8e6, 1.1e27+7) = 8800001,
    // debt base mulDivCeil(8800001, 6000e8, 1e8) = 528000060000.
    // HF = wadDiv(306000000037*8250 + 315031500000*8000, 528000060000) / 1e4.
    const UserAccount a = three_reserve_account(n("6000000000000"));
    const auto d = calculate_user_account_data(PoolRules::V3_5, a);
    ASSERT_TRUE(d.has_value()) << d.error().message;
    EXPECT_EQ(d->total_collateral_base, n("621031500037"));
    EXPECT_EQ(d->total_debt_base, n("528000060000"));
    EXPECT_EQ(d->health_factor_wad, n("955445346029932269"));
    EXPECT_EQ(atoken_balance(PoolRules::V3_5, a.reserves[1]).value(), n("1530000000185185183"));
    EXPECT_EQ(atoken_balance(PoolRules::EarlyV3, a.reserves[1]).value(), n("1530000000185185184"));
    EXPECT_EQ(debt_balance(PoolRules::V3_5, a.reserves[0]).value(), n("8800001"));
}

TEST(AaveAccountData, NoDebtAndEmptyConfig) {
    UserAccount empty;
    const auto d = calculate_user_account_data(PoolRules::EarlyV3, empty);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->health_factor_wad, kMax);
    UserAccount only_collateral = three_reserve_account(n("6000000000000"));
    only_collateral.config = UserConfig(U256(0x0a));
    const auto c = calculate_user_account_data(PoolRules::EarlyV3, only_collateral);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->total_debt_base, U256(0));
    EXPECT_EQ(c->health_factor_wad, kMax);
    EXPECT_FALSE(c->liquidatable());
    UserAccount missing = three_reserve_account(n("6000000000000"));
    missing.reserves.pop_back();
    EXPECT_FALSE(calculate_user_account_data(PoolRules::EarlyV3, missing).has_value());
}

TEST(AaveAccountData, EModeOverridesThresholds) {
    UserAccount a = three_reserve_account(n("6000000000000"));
    a.emode_category_id = 1;
    a.emode.ltv_bps = 9000;
    a.emode.liquidation_threshold_bps = 9300;
    a.emode.liquidation_bonus_bps = 10100;
    a.reserves[1].config.emode_category = 1;      // WETH in category 1 (early v3)
    a.emode.collateral_bitmap = U256(1);          // WETH (id 0) in the bitmap (v3.2+)
    // avgLT = (306000000037 * 9300 + 315031500000 * 8000) / 621031500037 = 8640
    for (PoolRules rules : {PoolRules::EarlyV3, PoolRules::V3_3}) {
        const auto d = calculate_user_account_data(rules, a);
        ASSERT_TRUE(d.has_value());
        EXPECT_EQ(d->avg_liquidation_threshold_bps, U256(8640));
    }
}

TEST(AaveLiquidation, CloseFactorHalfAboveNinetyFivePercent) {
    // HF 0.9554 > 0.95: close factor 50%, 8800000 sats -> 4400000.
    // base collateral = 6000e8 * 4400000 * 1e18 / (2000e8 * 1e8) = 1.32e18, * 1.05 = 1.386e18 WETH,
    // protocol fee = (1.386e18 - 1.32e18) * 10% = 0.0066e18; liquidator gets 1.3794e18.
    const auto q = quote_liquidation(PoolRules::EarlyV3, three_reserve_account(n("6000000000000")),
                                     LiquidationCall{0, 2, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("955424029318181818"));
    EXPECT_EQ(q->user_debt_balance, n("8800000"));
    EXPECT_EQ(q->max_liquidatable_debt, n("4400000"));
    EXPECT_EQ(q->amounts.debt_to_repay, n("4400000"));
    EXPECT_EQ(q->amounts.collateral_to_liquidator, n("1379400000000000000"));
    EXPECT_EQ(q->amounts.protocol_fee, n("6600000000000000"));
    EXPECT_EQ(q->liquidation_bonus_bps, 10500);
}

TEST(AaveLiquidation, CloseFactorFullAtOrBelowNinetyFivePercentAndCollateralShort) {
    // WBTC at 62000: HF = 0.9246 <= 0.95, close factor 100%: all 8800000 sats.
    // That would need 8800000 * 62000e8 * 1e18 / (2000e8 * 1e8) * 1.05 = 2.8644e18 WETH,
    // more than the 1530000000185185184 held, so all of it goes and the debt
    // covered shrinks: 1530000000185185184 * 2000e8 * 1e8 / (62000e8 * 1e18) = 4935483,
    // percentDiv 1.05 = 4700460 sats. Fee 10% of the bonus part.
    const auto q = quote_liquidation(PoolRules::EarlyV3, three_reserve_account(n("6200000000000")),
                                     LiquidationCall{0, 2, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("924603899340175953"));
    EXPECT_EQ(q->max_liquidatable_debt, n("8800000"));
    EXPECT_EQ(q->amounts.debt_to_repay, n("4700460"));
    EXPECT_EQ(q->amounts.collateral_to_liquidator, n("1522714285898589064"));
    EXPECT_EQ(q->amounts.protocol_fee, n("7285714286596120"));
    EXPECT_EQ(q->amounts.collateral_to_liquidator + q->amounts.protocol_fee, q->user_collateral_balance);

    // USDC collateral, no protocol fee: 3150000000 * 1.0001e8 * 1e8 / (62000e8 * 1e6) = 5081153
    // percentDiv 1.045 = 4862347 sats (v3.5's percentDivCeil: 4862348).
    const auto u = quote_liquidation(PoolRules::EarlyV3, three_reserve_account(n("6200000000000")),
                                     LiquidationCall{1, 2, kMax});
    ASSERT_TRUE(u.has_value()) << u.error().message;
    EXPECT_EQ(u->amounts.collateral_to_liquidator, n("3150000000"));
    EXPECT_EQ(u->amounts.debt_to_repay, n("4862347"));
    EXPECT_EQ(u->amounts.protocol_fee, U256(0));
    const auto u35 = quote_liquidation(PoolRules::V3_5, three_reserve_account(n("6200000000000")),
                                       LiquidationCall{1, 2, kMax});
    ASSERT_TRUE(u35.has_value()) << u35.error().message;
    EXPECT_EQ(u35->amounts.debt_to_repay, n("4862348"));
    EXPECT_EQ(u35->account.health_factor_wad, n("924624528416063486"));
}

TEST(AaveLiquidation, RevertsWhenHealthy) {
    const auto q = quote_liquidation(PoolRules::EarlyV3, three_reserve_account(n("5000000000000")),
                                     LiquidationCall{0, 2, kMax});
    ASSERT_FALSE(q.has_value());
    EXPECT_EQ(q.error().message, "aave: HEALTH_FACTOR_NOT_BELOW_THRESHOLD");
    // Not the dust rule: no smaller amount cures it.
    EXPECT_EQ(q.error().kind, ErrorKind::other);
    // Liquidating a reserve the user does not borrow.
    const auto wrong = quote_liquidation(PoolRules::EarlyV3, three_reserve_account(n("6200000000000")),
                                         LiquidationCall{0, 1, kMax});
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().message, "aave: SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER");
}

// One WETH collateral (2000e8, LT 82.5%, bonus 5%, fee 10%) and one USDC debt (1e8).
UserAccount weth_usdc(const char* weth_wei, const char* usdc_units) {
    UserAccount a;
    a.config = UserConfig(U256(0b0110));  // collateral 0, borrowing 1
    a.reserves = {ReserveSnapshot{0, cfg(8000, 8250, 10500, 18, 1000), n("200000000000"), kRay, kRay, n(weth_wei), 0, 0},
                  ReserveSnapshot{1, cfg(7700, 8000, 10450, 6), n("100000000"), kRay, kRay, 0, n(usdc_units), 0}};
    return a;
}

TEST(AaveLiquidation, AnAmountThatScalesToZeroRevertsAsTheTokensBurnWould) {
    // 1.5 WETH against 2500 USDC: HF = 3000e8 * 0.825 / 2500e8 = 0.99. Debt index 3 ray, so a
    // repayment of 1 unit scales to rayDiv(1, 3e27) = 0 (half-up of 0.33): the variable debt burn reverts.
    UserAccount a = weth_usdc("1500000000000000000", "2500000000");
    a.reserves[1].normalized_debt_ray = kRay * U256(3);
    a.reserves[1].scaled_variable_debt = n("833333334");  // 2500.000002 USDC at index 3
    const auto one = quote_liquidation(PoolRules::EarlyV3, a, LiquidationCall{0, 1, U256(1)});
    ASSERT_FALSE(one.has_value());
    EXPECT_EQ(one.error().message, "aave: INVALID_BURN_AMOUNT (debt)");
    // 2 units scale to rayDiv(2, 3e27) = 1 (0.67 rounds up): the burn goes through.
    EXPECT_TRUE(quote_liquidation(PoolRules::EarlyV3, a, LiquidationCall{0, 1, U256(2)}).has_value());

    // The collateral side: with an income index of 1e11 ray, the 525,000,000 wei
    // (1 unit = 100 base units, x 1.05, at 2000e8) a 1-unit repayment seizes scales
    // to 0 and the aToken burn reverts, unless the liquidator takes aTokens (a
    // transfer, no burn).
    UserAccount b = weth_usdc("15000000", "2500000000");
    b.reserves[0].normalized_income_ray = kRay * U256::pow10(11);  // balance 1.5 WETH again
    const auto burned = quote_liquidation(PoolRules::EarlyV3, b, LiquidationCall{0, 1, U256(1)});
    ASSERT_FALSE(burned.has_value());
    EXPECT_EQ(burned.error().message, "aave: INVALID_BURN_AMOUNT (collateral)");
    EXPECT_TRUE(quote_liquidation(PoolRules::EarlyV3, b, LiquidationCall{0, 1, U256(1), true}).has_value());

    // Collateral dust: 4e8 wei of WETH (80 base units) is less than one USDC unit is
    // worth, so the pool takes all of it for debtAmountNeeded = percentDiv(0, 10500) = 0
    // and burns 0 variable debt: the burn reverts even though the collateral burn is fine.
    // (Seen in the demo: an account liquidated down to 1 ppm of its collateral.)
    const UserAccount dust = weth_usdc("400000000", "2500000000");
    const auto zero = quote_liquidation(PoolRules::EarlyV3, dust, LiquidationCall{0, 1, U256(1)});
    ASSERT_FALSE(zero.has_value());
    EXPECT_EQ(zero.error().message, "aave: INVALID_BURN_AMOUNT (debt)");
}

TEST(AaveLiquidationV33, FiftyPercentOfTotalDebtForLargePositions) {
    // 10 WETH ($20000) vs 17000 USDC: HF 0.9706 > 0.95, both >= $2000, so at most
    // percentMul(17000e8, 50%) = 8500e8 base -> 8500 USDC.
    const auto q = quote_liquidation(PoolRules::V3_3, weth_usdc("10000000000000000000", "17000000000"),
                                     LiquidationCall{0, 1, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("970588235294117647"));
    EXPECT_EQ(q->max_liquidatable_debt, n("8500000000"));
    EXPECT_EQ(q->amounts.debt_to_repay, n("8500000000"));
    EXPECT_EQ(q->amounts.collateral_to_liquidator, n("4441250000000000000"));
    EXPECT_EQ(q->amounts.protocol_fee, n("21250000000000000"));
}

TEST(AaveLiquidationV33, SmallPositionsLiquidateFully) {
    // 0.9 WETH ($1800 < $2000) vs 1500 USDC, HF 0.99: v3.3 allows the whole debt,
    // early v3 only half.
    const UserAccount a = weth_usdc("900000000000000000", "1500000000");
    const auto v33 = quote_liquidation(PoolRules::V3_3, a, LiquidationCall{0, 1, kMax});
    ASSERT_TRUE(v33.has_value()) << v33.error().message;
    EXPECT_EQ(v33->account.health_factor_wad, n("990000000000000000"));
    EXPECT_EQ(v33->max_liquidatable_debt, n("1500000000"));
    EXPECT_EQ(v33->amounts.collateral_to_liquidator, n("783750000000000000"));
    EXPECT_EQ(v33->amounts.protocol_fee, n("3750000000000000"));
    const auto early = quote_liquidation(PoolRules::EarlyV3, a, LiquidationCall{0, 1, kMax});
    ASSERT_TRUE(early.has_value());
    EXPECT_EQ(early->max_liquidatable_debt, n("750000000"));
    EXPECT_EQ(early->amounts.collateral_to_liquidator, n("391875000000000000"));
}

TEST(AaveLiquidationV33, DustRule) {
    // 10 WETH vs 17500 USDC: HF 0.9429 <= 0.95, everything is liquidatable, but
    // covering 16600 leaves 900 USDC (< $1000) of debt: MUST_NOT_LEAVE_DUST.
    // Early v3 has no such rule.
    const UserAccount a = weth_usdc("10000000000000000000", "17500000000");
    const LiquidationCall partial{0, 1, n("16600000000")};
    const auto v33 = quote_liquidation(PoolRules::V3_3, a, partial);
    ASSERT_FALSE(v33.has_value());
    EXPECT_EQ(v33.error().message, "aave: MUST_NOT_LEAVE_DUST");
    // The planner retries smaller on this kind alone (no matching of the words).
    EXPECT_EQ(v33.error().kind, ErrorKind::leaves_dust);
    const auto early = quote_liquidation(PoolRules::EarlyV3, a, partial);
    ASSERT_TRUE(early.has_value());
    EXPECT_EQ(early->amounts.collateral_to_liquidator, n("8673500000000000000"));
    EXPECT_EQ(early->amounts.protocol_fee, n("41500000000000000"));
    // Covering everything is fine.
    EXPECT_TRUE(quote_liquidation(PoolRules::V3_3, a, LiquidationCall{0, 1, kMax}).has_value());
    // In the three-reserve account half the debt leaves 0.144 WETH ($288) behind.
    const auto three = quote_liquidation(PoolRules::V3_3, three_reserve_account(n("6000000000000")),
                                         LiquidationCall{0, 2, kMax});
    ASSERT_FALSE(three.has_value());
    EXPECT_EQ(three.error().message, "aave: MUST_NOT_LEAVE_DUST");
    EXPECT_EQ(three.error().kind, ErrorKind::leaves_dust);
}

// docs/3.7/liquidation-rounding.md: v3.7 rounds the three half-up steps of
// _calculateAvailableCollateralToLiquidate against the liquidator. Equal
// prices and decimals make baseCollateral = debtToCover; bonus 5%, fee 10%.
CollateralToLiquidate seize(PoolRules rules, const U256& debt_to_cover) {
    return calculate_available_collateral_to_liquidate(rules, n("100000000"), 18, n("100000000"), 18, debt_to_cover,
                                                       n("1000000000000000000000"), 10500, 1000)
        .value();
}

TEST(AaveLiquidationV37, EveryRoundingOfTheSeizeGoesAgainstTheLiquidator) {
    // 10 wei of debt: 10 * 1.05 = 10.5.
    // v3.5: percentMul half-up 11; base percentDiv(11) = 10 (10.48), bonus 1, fee percentMul(1, 10%) = 0.
    // v3.7: percentMulFloor 10; base percentDivFloor(10) = 9 (9.52), bonus 1, fee percentMulCeil = 1.
    const auto v35 = seize(PoolRules::V3_5, U256(10));
    EXPECT_EQ(v35.collateral_to_liquidator, U256(11));
    EXPECT_EQ(v35.protocol_fee, U256(0));
    const auto v37 = seize(PoolRules::V3_7, U256(10));
    EXPECT_EQ(v37.collateral_to_liquidator, U256(9));
    EXPECT_EQ(v37.protocol_fee, U256(1));
    EXPECT_EQ(v37.debt_to_repay, U256(10));

    // 1e18 + 10: max collateral 1.05e18 + 10.5 -> ...011 (v3.5) / ...010 (v3.7);
    // base part 1e18 + 10 / 1e18 + 9, bonus 5e16 + 1 either way;
    // fee 5e15 (half-up of 5e15 + 0.1) / 5e15 + 1 (ceil).
    const U256 debt = n("1000000000000000010");
    EXPECT_EQ(seize(PoolRules::V3_5, debt).collateral_to_liquidator, n("1045000000000000011"));
    EXPECT_EQ(seize(PoolRules::V3_5, debt).protocol_fee, n("5000000000000000"));
    EXPECT_EQ(seize(PoolRules::V3_7, debt).collateral_to_liquidator, n("1045000000000000009"));
    EXPECT_EQ(seize(PoolRules::V3_7, debt).protocol_fee, n("5000000000000001"));
    // The account arithmetic is v3.5's.
    const UserAccount a = three_reserve_account(n("6000000000000"));
    EXPECT_EQ(calculate_user_account_data(PoolRules::V3_7, a)->health_factor_wad,
              calculate_user_account_data(PoolRules::V3_5, a)->health_factor_wad);
}

// Property: a falling collateral price never raises the health factor.
TEST(AaveProperties, HealthFactorMonotoneInCollateralPrice) {
    std::mt19937_64 rng(99);
    for (int i = 0; i < 300; ++i) {
        const std::string weth = std::to_string(1 + rng() % 10'000'000'000'000'000'000ULL);
        const std::string usdc = std::to_string(1 + rng() % 100'000'000'000ULL);
        UserAccount a = weth_usdc(weth.c_str(), usdc.c_str());
        a.reserves[0].normalized_income_ray = kRay + U256(rng() % 1'000'000'000'000'000'000ULL) * U256(1'000'000);
        a.reserves[1].normalized_debt_ray = kRay + U256(rng() % 1'000'000'000'000'000'000ULL) * U256(1'000'000);
        U256 price = U256(1 + rng() % 1'000'000'000'000ULL);
        for (PoolRules rules : {PoolRules::EarlyV3, PoolRules::V3_3, PoolRules::V3_5, PoolRules::V3_7}) {
            U256 p = price;
            U256 previous = kMax;
            for (int step = 0; step < 6; ++step) {
                a.reserves[0].price = p;
                const auto d = calculate_user_account_data(rules, a);
                ASSERT_TRUE(d.has_value());
                ASSERT_LE(d->health_factor_wad, previous);
                previous = d->health_factor_wad;
                p = p - p / U256(2 + rng() % 8);
            }
        }
    }
}

// Property: v3.5 balances bracket the early half-up ones (floor <= half-up <= ceil).
TEST(AaveProperties, V35BalancesRoundTowardTheProtocol) {
    std::mt19937_64 rng(5);
    for (int i = 0; i < 300; ++i) {
        ReserveSnapshot r;
        r.scaled_atoken_balance = U256(rng());
        r.scaled_variable_debt = U256(rng());
        r.normalized_income_ray = kRay + U256(rng()) * U256(rng() % 1000);
        r.normalized_debt_ray = kRay + U256(rng()) * U256(rng() % 1000);
        ASSERT_LE(atoken_balance(PoolRules::V3_5, r).value(), atoken_balance(PoolRules::V3_3, r).value());
        ASSERT_GE(debt_balance(PoolRules::V3_5, r).value(), debt_balance(PoolRules::V3_3, r).value());
    }
}

}  // namespace aave_v3_test
}  // namespace keeper::aave

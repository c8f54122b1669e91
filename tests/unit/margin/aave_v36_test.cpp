// Aave v3.6 (POOL_REVISION 10, @aave-dao/aave-v3-origin 3.6.0) rules, each
// with a worked example whose intermediate numbers follow LiquidationLogic,
// GenericLogic, TokenMath and MathUtils of that release. Prices are in 1e8
// base units (USD); WETH has 18 decimals, USDC 6, DAI 18.
#include <gtest/gtest.h>

#include "margin/aave_interest.hpp"
#include "margin/aave_v3.hpp"

namespace keeper::aave {
namespace aave_v36_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kRay = U256::pow10(27);
const U256 kMax = U256::max();
constexpr unsigned kWeth = 0, kUsdc = 1, kDai = 2;

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

ReserveSnapshot weth(const char* supplied_wei) {
    return ReserveSnapshot{kWeth, cfg(8000, 8250, 10500, 18, 1000), n("200000000000"), kRay, kRay, n(supplied_wei), 0, 0};
}
ReserveSnapshot usdc(const char* supplied, const char* borrowed) {
    return ReserveSnapshot{kUsdc, cfg(7700, 8000, 10450, 6), n("100000000"), kRay, kRay, n(supplied), n(borrowed), 0};
}
ReserveSnapshot dai(const char* borrowed) {
    return ReserveSnapshot{kDai, cfg(7500, 8000, 10500, 18), n("100000000"), kRay, kRay, 0, n(borrowed), 0};
}

// WETH collateral, USDC debt (and DAI debt when given).
UserAccount weth_against(const char* weth_wei, const char* usdc_debt, const char* dai_debt = nullptr) {
    UserAccount a;
    a.config = UserConfig().with_collateral(kWeth, true).with_borrowing(kUsdc, true);
    a.reserves = {weth(weth_wei), usdc("0", usdc_debt)};
    if (dai_debt != nullptr) {
        a.config = a.config.with_borrowing(kDai, true);
        a.reserves.push_back(dai(dai_debt));
    }
    return a;
}

TEST(AaveRevision, RulesChosenByPoolRevisionUnknownOnesRefused) {
    EXPECT_EQ(rules_for_pool_revision(1).value(), PoolRules::EarlyV3);
    EXPECT_EQ(rules_for_pool_revision(2).value(), PoolRules::EarlyV3);
    EXPECT_EQ(rules_for_pool_revision(10).value(), PoolRules::V3_6);
    EXPECT_EQ(rules_for_pool_revision(11).value(), PoolRules::V3_7);
    for (std::uint64_t unknown : {0, 3, 7, 8, 9, 12}) {
        const auto r = rules_for_pool_revision(unknown);
        ASSERT_FALSE(r.has_value()) << unknown;
        EXPECT_EQ(r.error().message, "Aave pool revision " + std::to_string(unknown) +
                                         " is not supported (supported: 1 and 2 = Aave v3.0.x, 10 = v3.6, 11 = v3.7)");
    }
}

TEST(AaveV36CloseFactor, HalfOfTotalDebtAboveHf095ForLargePositions) {
    // 10 WETH ($20000) vs 17000 USDC: HF = wadDiv(20000e8 * 8250, 17000e8) / 1e4 = 0.970588235294117647 > 0.95,
    // collateral 20000e8 and debt 17000e8 >= 2000e8: at most percentMul(17000e8, 50%) = 8500e8 base
    // = 8500e8 * 1e6 / 1e8 = 8500 USDC. Seize: 8500e6 USDC = 4.25 WETH, * 105% = 4.4625 WETH; the fee is 10%
    // of the bonus part 0.2125 WETH = 0.02125 WETH; the liquidator gets 4.44125 WETH.
    const auto q = quote_liquidation(PoolRules::V3_6, weth_against("10000000000000000000", "17000000000"),
                                     LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("970588235294117647"));
    EXPECT_EQ(q->max_liquidatable_debt, n("8500000000"));
    EXPECT_EQ(q->amounts.debt_to_repay, n("8500000000"));
    EXPECT_EQ(q->amounts.collateral_to_liquidator, n("4441250000000000000"));
    EXPECT_EQ(q->amounts.protocol_fee, n("21250000000000000"));
    EXPECT_FALSE(q->has_no_collateral_left);
    EXPECT_TRUE(q->deficits.empty());
}

TEST(AaveV36CloseFactor, WholeDebtAtOrBelowHf095) {
    // 10 WETH vs 17500 USDC: HF = 16500 / 17500 = 0.942857142857142857 <= 0.95: the whole 17500 USDC.
    const auto q = quote_liquidation(PoolRules::V3_6, weth_against("10000000000000000000", "17500000000"),
                                     LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("942857142857142857"));
    EXPECT_EQ(q->max_liquidatable_debt, n("17500000000"));
}

TEST(AaveV36CloseFactor, WholeDebtWhenTheReserveIsWorthLessThan2000Base) {
    // 0.9 WETH ($1800 < 2000e8 base) vs 1500 USDC: HF 0.99 > 0.95, but the collateral reserve is below
    // MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD: the whole 1500 USDC may go (v3.0 allowed half).
    const auto q = quote_liquidation(PoolRules::V3_6, weth_against("900000000000000000", "1500000000"),
                                     LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("990000000000000000"));
    EXPECT_EQ(q->max_liquidatable_debt, n("1500000000"));
}

TEST(AaveV36CloseFactor, ADebtReserveAtMostHalfOfTheTotalIsWhollyLiquidatable) {
    // 10 WETH vs 10000 USDC + 7000 DAI: total debt 17000e8, HF 0.970588235294117647. Half the total is 8500e8.
    // USDC's 10000e8 > 8500e8: capped at 8500e8 * 1e6 / 1e8 = 8500 USDC (1500 USDC stay, above the 1000e8
    // leftover floor). DAI's 7000e8 <= 8500e8: all 7000 DAI.
    const UserAccount a = weth_against("10000000000000000000", "10000000000", "7000000000000000000000");
    const auto on_usdc = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, kMax});
    const auto on_dai = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kDai, kMax});
    ASSERT_TRUE(on_usdc.has_value()) << on_usdc.error().message;
    ASSERT_TRUE(on_dai.has_value()) << on_dai.error().message;
    EXPECT_EQ(on_usdc->account.health_factor_wad, n("970588235294117647"));
    EXPECT_EQ(on_usdc->max_liquidatable_debt, n("8500000000"));
    EXPECT_EQ(on_dai->max_liquidatable_debt, n("7000000000000000000000"));
    EXPECT_EQ(on_dai->amounts.debt_to_repay, n("7000000000000000000000"));
}

TEST(AaveV36MinLeftover, PartialLiquidationMustLeave1000BaseOfDebtAndCollateral) {
    // 10 WETH vs 20000 USDC, HF 0.825: everything liquidatable.
    const UserAccount a = weth_against("10000000000000000000", "20000000000");
    // Covering 18000 USDC seizes 9.45 WETH: 0.55 WETH ($1100) and 2000 USDC stay, both >= 1000e8: allowed.
    const auto ok = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, n("18000000000")});
    ASSERT_TRUE(ok.has_value()) << ok.error().message;
    EXPECT_EQ(ok->amounts.collateral_to_liquidator, n("9405000000000000000"));
    EXPECT_EQ(ok->amounts.protocol_fee, n("45000000000000000"));
    // Covering 18200 USDC seizes 9.555 WETH: 0.445 WETH = 890e8 base of collateral would stay (< 1000e8),
    // although 1800 USDC of debt would: MUST_NOT_LEAVE_DUST.
    const auto collateral_dust = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, n("18200000000")});
    ASSERT_FALSE(collateral_dust.has_value());
    EXPECT_EQ(collateral_dust.error().message, "aave: MUST_NOT_LEAVE_DUST");
    EXPECT_EQ(collateral_dust.error().kind, ErrorKind::leaves_dust);
    // 10 WETH vs 17500 USDC (HF 0.942857142857142857): covering 16600 USDC seizes 8.715 WETH, leaving
    // $2570 of collateral but 900 USDC (< 1000e8) of debt: dust too.
    const auto debt_dust = quote_liquidation(PoolRules::V3_6, weth_against("10000000000000000000", "17500000000"),
                                             LiquidationCall{kWeth, kUsdc, n("16600000000")});
    ASSERT_FALSE(debt_dust.has_value());
    EXPECT_EQ(debt_dust.error().message, "aave: MUST_NOT_LEAVE_DUST");
    EXPECT_EQ(debt_dust.error().kind, ErrorKind::leaves_dust);
    // Repaying all of it is always allowed.
    EXPECT_TRUE(quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, kMax}).has_value());
}

TEST(AaveV36Deficit, TakingTheLastCollateralWritesEveryRemainingDebtOff) {
    // 1 WETH ($2000) vs 2500 USDC + 100 DAI: debt 2600e8, HF = wadDiv(2000e8 * 8250, 2600e8) / 1e4
    // = 0.634615384615384615. 2500 USDC buys 1.25 WETH * 105% = 1.3125 WETH > 1 WETH held, so the whole
    // WETH goes and the debt it pays for is percentDivCeil(2000e6, 10500) = 1904761905 (1904761904.76 up).
    // The bonus part of 1 WETH is 1e18 - percentDiv(1e18, 10500) = 47619047619047619, its 10% fee
    // 4761904761904762, the liquidator gets 995238095238095238. The collateral liquidated is worth
    // 2000e8 = the user's whole collateral: hasNoCollateralLeft. The rest of the USDC debt,
    // 2500e6 - 1904761905 = 595238095, and all 100 DAI become the reserves' deficits.
    const UserAccount a = weth_against("1000000000000000000", "2500000000", "100000000000000000000");
    const auto q = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->account.health_factor_wad, n("634615384615384615"));
    EXPECT_EQ(q->amounts.debt_to_repay, n("1904761905"));
    EXPECT_EQ(q->amounts.collateral_to_liquidator, n("995238095238095238"));
    EXPECT_EQ(q->amounts.protocol_fee, n("4761904761904762"));
    EXPECT_EQ(q->amounts.collateral_base, n("200000000000"));
    EXPECT_TRUE(q->has_no_collateral_left);
    const std::vector<Deficit> expected{{kUsdc, n("595238095")}, {kDai, n("100000000000000000000")}};
    EXPECT_EQ(q->deficits, expected);
    // v3.7 judges "no collateral left" on the scaled aTokens consumed: at index 1 the same.
    const auto v37 = quote_liquidation(PoolRules::V3_7, a, LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(v37.has_value()) << v37.error().message;
    EXPECT_TRUE(v37->has_no_collateral_left);
    EXPECT_EQ(v37->deficits, expected);
    // Early v3 has no deficits: the debt stays on the account.
    const auto early = quote_liquidation(PoolRules::EarlyV3, a, LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(early.has_value());
    EXPECT_TRUE(early->deficits.empty());
}

TEST(AaveV36Deficit, NoneWhileOtherCollateralRemains) {
    // As above plus 500 USDC of collateral: taking all the WETH leaves $500, so no deficit.
    UserAccount a = weth_against("1000000000000000000", "2500000000", "100000000000000000000");
    a.config = a.config.with_collateral(kUsdc, true);
    a.reserves[1].scaled_atoken_balance = n("500000000");
    const auto q = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, kMax});
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_FALSE(q->has_no_collateral_left);
    EXPECT_TRUE(q->deficits.empty());
}

TEST(AaveV36TokenMath, DebtBurnRoundsDownSoTwoUnitsAtIndexThreeBurnNothing) {
    // 1.5 WETH vs 2500.000002 USDC at debt index 3 (HF 0.99). Repaying 2 units burns
    // rayDivFloor(2, 3e27) = 0 scaled tokens: INVALID_BURN_AMOUNT in v3.6, where v3.0's half-up rayDiv
    // burns round(0.67) = 1. Three units burn 1 in both.
    UserAccount a = weth_against("1500000000000000000", "833333334");
    a.reserves[1].normalized_debt_ray = kRay * U256(3);
    // The debt balance rounds up in v3.6: rayMulCeil(833333334, 3e27) = 2500000002.
    EXPECT_EQ(debt_balance(PoolRules::V3_6, a.reserves[1]).value(), n("2500000002"));
    const auto two = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, U256(2)});
    ASSERT_FALSE(two.has_value());
    EXPECT_EQ(two.error().message, "aave: INVALID_BURN_AMOUNT (debt)");
    EXPECT_TRUE(quote_liquidation(PoolRules::EarlyV3, a, LiquidationCall{kWeth, kUsdc, U256(2)}).has_value());
    EXPECT_TRUE(quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kWeth, kUsdc, U256(3)}).has_value());
}

TEST(AaveV36TokenMath, BalancesRoundForTheProtocol) {
    // aToken: rayMulFloor(1.5e18, 1.020000000123456789012345678e27) = 1530000000185185183 (v3.0 half-up: ...184);
    // debt: rayMulCeil(8000000, 1.1e27 + 7) = 8800001 (v3.0: 8800000).
    ReserveSnapshot r;
    r.scaled_atoken_balance = n("1500000000000000000");
    r.normalized_income_ray = n("1020000000123456789012345678");
    r.scaled_variable_debt = n("8000000");
    r.normalized_debt_ray = n("1100000000000000000000000007");
    EXPECT_EQ(atoken_balance(PoolRules::V3_6, r).value(), n("1530000000185185183"));
    EXPECT_EQ(atoken_balance(PoolRules::EarlyV3, r).value(), n("1530000000185185184"));
    EXPECT_EQ(debt_balance(PoolRules::V3_6, r).value(), n("8800001"));
    EXPECT_EQ(debt_balance(PoolRules::EarlyV3, r).value(), n("8800000"));
}

// WETH collateral, plus USDC flagged as collateral though its threshold is 0, against DAI.
UserAccount with_zero_threshold_collateral(const char* dai_debt) {
    UserAccount a;
    a.config = UserConfig().with_collateral(kWeth, true).with_collateral(kUsdc, true).with_borrowing(kDai, true);
    ReserveSnapshot zero = usdc("1000000000", "0");  // 1000 USDC
    zero.config = cfg(0, 0, 10450, 6);
    a.reserves = {weth("1000000000000000000"), zero, dai(dai_debt)};
    return a;
}

TEST(AaveV36AccountData, CollateralWithThresholdZeroCountsInTheTotal) {
    // 1 WETH ($2000, LTV 80%, LT 82.5%) + 1000 USDC (LTV 0, LT 0) against 1000 DAI.
    // v3.6: total collateral 3000e8; avgLtv = 2000e8 * 8000 / 3000e8 = 5333; avgLT = 2000e8 * 8250 / 3000e8 = 5500;
    // the USDC has LTV 0. v3.5 skipped a threshold-0 reserve: 2000e8, 8000, 8250. HF is 1.65 either way
    // (the threshold-0 reserve adds nothing to sum(collateral * LT)).
    const UserAccount a = with_zero_threshold_collateral("1000000000000000000000");
    const auto v36 = calculate_user_account_data(PoolRules::V3_6, a);
    const auto v35 = calculate_user_account_data(PoolRules::V3_5, a);
    ASSERT_TRUE(v36.has_value() && v35.has_value());
    EXPECT_EQ(v36->total_collateral_base, n("300000000000"));
    EXPECT_EQ(v36->avg_ltv_bps, U256(5333));
    EXPECT_EQ(v36->avg_liquidation_threshold_bps, U256(5500));
    EXPECT_TRUE(v36->has_zero_ltv_collateral);
    EXPECT_EQ(v36->health_factor_wad, n("1650000000000000000"));
    EXPECT_EQ(v35->total_collateral_base, n("200000000000"));
    EXPECT_EQ(v35->avg_ltv_bps, U256(8000));
    EXPECT_EQ(v35->avg_liquidation_threshold_bps, U256(8250));
    EXPECT_FALSE(v35->has_zero_ltv_collateral);
    EXPECT_EQ(v35->health_factor_wad, n("1650000000000000000"));
}

TEST(AaveV36Liquidation, CollateralWithThresholdZeroCanBeLiquidated) {
    // The same against 1700 DAI: HF = wadDiv(2000e8 * 8250, 1700e8) / 1e4 = 0.970588235294117647.
    // v3.5 refuses to seize the threshold-0 USDC; v3.6 seizes all 1000 USDC (1700 DAI would buy 1776.5)
    // for percentDivCeil(1000e18, 10450) = 956937799043062200957 DAI. WETH stays: no deficit.
    const UserAccount a = with_zero_threshold_collateral("1700000000000000000000");
    const auto v35 = quote_liquidation(PoolRules::V3_5, a, LiquidationCall{kUsdc, kDai, kMax});
    ASSERT_FALSE(v35.has_value());
    EXPECT_EQ(v35.error().message, "aave: COLLATERAL_CANNOT_BE_LIQUIDATED");
    const auto v36 = quote_liquidation(PoolRules::V3_6, a, LiquidationCall{kUsdc, kDai, kMax});
    ASSERT_TRUE(v36.has_value()) << v36.error().message;
    EXPECT_EQ(v36->account.health_factor_wad, n("970588235294117647"));
    EXPECT_EQ(v36->amounts.collateral_to_liquidator, n("1000000000"));
    EXPECT_EQ(v36->amounts.debt_to_repay, n("956937799043062200957"));
    EXPECT_FALSE(v36->has_no_collateral_left);
}

// In eMode 1 (LTV 93%, LT 95%, collateral bitmap {USDC, DAI}): 10000 USDC, whose own LTV is 0, against 9000 DAI.
UserAccount emode_usdc_against_dai() {
    UserAccount a;
    a.config = UserConfig().with_collateral(kUsdc, true).with_borrowing(kDai, true);
    a.emode_category_id = 1;
    a.emode.ltv_bps = 9300;
    a.emode.liquidation_threshold_bps = 9500;
    a.emode.liquidation_bonus_bps = 10100;
    a.emode.collateral_bitmap = (U256(1) << kUsdc) | (U256(1) << kDai);
    ReserveSnapshot collateral = usdc("10000000000", "0");
    collateral.config.ltv_bps = 0;
    a.reserves = {collateral, dai("9000000000000000000000")};
    return a;
}

TEST(AaveV36AccountData, EModeLtvAppliesToAMemberWhoseOwnLtvIsZeroUnlessLtvzero) {
    // HF = wadDiv(10000e8 * 9500, 9000e8) / 1e4 = 1.055555555555555555 in every case.
    // v3.5: the reserve's LTV 0 wins: avgLtv 0, a zero-LTV collateral.
    // v3.6: the category's 9300 applies; with USDC in the category's ltvzero bitmap it is 0 again.
    UserAccount a = emode_usdc_against_dai();
    const auto v35 = calculate_user_account_data(PoolRules::V3_5, a);
    const auto v36 = calculate_user_account_data(PoolRules::V3_6, a);
    ASSERT_TRUE(v35.has_value() && v36.has_value());
    EXPECT_EQ(v35->avg_ltv_bps, U256(0));
    EXPECT_TRUE(v35->has_zero_ltv_collateral);
    EXPECT_EQ(v36->avg_ltv_bps, U256(9300));
    EXPECT_FALSE(v36->has_zero_ltv_collateral);
    EXPECT_EQ(v36->avg_liquidation_threshold_bps, U256(9500));
    EXPECT_EQ(v36->health_factor_wad, n("1055555555555555555"));
    a.emode.ltvzero_bitmap = U256(1) << kUsdc;
    const auto ltvzero = calculate_user_account_data(PoolRules::V3_6, a);
    ASSERT_TRUE(ltvzero.has_value());
    EXPECT_EQ(ltvzero->avg_ltv_bps, U256(0));
    EXPECT_TRUE(ltvzero->has_zero_ltv_collateral);
    EXPECT_EQ(ltvzero->health_factor_wad, n("1055555555555555555"));
}

TEST(AaveV36Interest, BorrowIndexCompoundsWithTheV34Formula) {
    // 10% a year (1e26 ray) for one year: x = 1e26; rayMul(x, x / 6) = 1666666666666666666666667;
    // rayMul(x, 5e25 + that) = 5166666666666666666666667; RAY + x + that = 1.105166666666666666666666667e27
    // (e^0.1 = 1.10517091...). The v3.0 three-term series gives 1.105162042821782412575504000e27.
    const std::uint64_t year = kSecondsPerYear;
    EXPECT_EQ(compounded_interest_ray(n("100000000000000000000000000"), 0, year, Compounding::TaylorX).value(),
              n("1105166666666666666666666667"));
    EXPECT_EQ(compounded_interest_ray(n("100000000000000000000000000"), 0, year, Compounding::Binomial3).value(),
              n("1105162042821782412575504000"));
    EXPECT_EQ(compounding_for(PoolRules::V3_6), Compounding::TaylorX);
    EXPECT_EQ(compounding_for(PoolRules::EarlyV3), Compounding::Binomial3);
    // No time, no growth.
    EXPECT_EQ(compounded_interest_ray(n("100000000000000000000000000"), 5, 5, Compounding::TaylorX).value(), kRay);
}

}  // namespace aave_v36_test
}  // namespace keeper::aave

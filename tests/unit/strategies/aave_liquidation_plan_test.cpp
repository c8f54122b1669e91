// Choosing, sizing and pricing an Aave V3 liquidation. The worked account:
// 10 WETH (18 decimals, $2000, LT 82.5%, bonus 5%, protocol fee 10%) against
// 17000 USDC (6 decimals, $1) of variable debt, indexes at 1 ray, base
// currency 1e8 = $1. HF = 16500 / 17000 = 0.970588235294117647, above 0.95,
// so the close factor is 50%: at most 8500e6 USDC may be repaid.
#include <gtest/gtest.h>

#include <string>

#include "margin/aave_v3.hpp"
#include "strategies/aave_liquidation_plan.hpp"

namespace keeper::strategies {
namespace aave_liquidation_plan_test {

using aave::PoolRules;
using aave::ReserveConfig;
using aave::ReserveSnapshot;
using aave::UserAccount;
using aave::UserConfig;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kRay = U256::pow10(27);

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

ReserveConfig cfg(std::uint16_t lt, std::uint16_t bonus, std::uint8_t decimals, std::uint16_t fee = 0) {
    ReserveConfig c;
    c.ltv_bps = lt > 500 ? lt - 500 : 0;
    c.liquidation_threshold_bps = lt;
    c.liquidation_bonus_bps = bonus;
    c.decimals = decimals;
    c.active = true;
    c.borrowing_enabled = true;
    c.flash_loan_enabled = true;
    c.liquidation_protocol_fee_bps = fee;
    return c;
}

ReserveSnapshot weth(const U256& scaled_balance) {
    return ReserveSnapshot{0, cfg(8250, 10500, 18, 1000), n("200000000000"), kRay, kRay, scaled_balance, 0, 0};
}
ReserveSnapshot usdc_debt(const U256& scaled_debt) {
    return ReserveSnapshot{1, cfg(8000, 10450, 6), n("100000000"), kRay, kRay, 0, scaled_debt, 0};
}

UserAccount weth_against_usdc(const U256& weth_balance, const U256& usdc_debt_units) {
    UserAccount a;
    a.config = UserConfig().with_collateral(0, true).with_borrowing(1, true);
    a.reserves = {weth(weth_balance), usdc_debt(usdc_debt_units)};
    return a;
}

UserAccount worked_account() { return weth_against_usdc(n("10000000000000000000"), n("17000000000")); }

const AaveFunding kFlash{{}, true, 9};
const AaveProfitRules kAnyProfit{U256(), std::nullopt, false};

AaveFunding own_usdc(const char* units) { return AaveFunding{{{1u, n(units)}}, false, 9}; }

TEST(AaveLiquidationPlan, OnePpmInsideTheCloseFactorWithOwnFunds) {
    // debt_to_cover = 8500e6 - (8500 + 1) = 8499991499
    // base collateral = 8499991499 * 1e8 * 1e18 / (2000e8 * 1e6) = 4.2499957495e18,
    // with the bonus 4.462495536975e18; fee = 10% of the bonus = 0.0212499787475e18,
    // the liquidator gets 4.4412455582275e18 WETH = 888249111645 base (floor),
    // repays 849999149900 base: profit 38249961745 ($382.50).
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), own_usdc("100000000000"),
                                            kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->call.collateral_reserve_id, 0u);
    EXPECT_EQ(plan->call.debt_reserve_id, 1u);
    EXPECT_EQ(plan->call.debt_to_cover, n("8499991499"));
    EXPECT_EQ(plan->quote.account.health_factor_wad, n("970588235294117647"));
    EXPECT_EQ(plan->quote.max_liquidatable_debt, n("8500000000"));
    EXPECT_EQ(plan->quote.amounts.debt_to_repay, n("8499991499"));
    EXPECT_EQ(plan->quote.amounts.collateral_to_liquidator, n("4441245558227500000"));
    EXPECT_EQ(plan->quote.amounts.protocol_fee, n("21249978747500000"));
    EXPECT_EQ(plan->collateral_value_base, n("888249111645"));
    EXPECT_EQ(plan->repaid_value_base, n("849999149900"));
    EXPECT_EQ(plan->flash_premium, U256());
    EXPECT_EQ(plan->profit_base, n("38249961745"));
    EXPECT_EQ(plan->loss_base, U256());
    EXPECT_TRUE(plan->exact);
    EXPECT_TRUE(plan->worth_sending);
    EXPECT_FALSE(plan->gas_priced);
    EXPECT_TRUE(contains(plan->reason, "close factor cap 8500000000")) << plan->reason;
    EXPECT_TRUE(contains(plan->reason, "(gas not priced)")) << plan->reason;

    // The plan is what the pool's arithmetic says for that call.
    const auto again = aave::quote_liquidation(PoolRules::EarlyV3, worked_account(), plan->call);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->amounts.collateral_to_liquidator, plan->quote.amounts.collateral_to_liquidator);
}

TEST(AaveLiquidationPlan, TheLiquidatorsBalanceCapsTheSize) {
    // 1000 USDC repaid: 0.5 WETH base, 0.525 with the bonus, fee 0.0025:
    // 0.5225 WETH = 104500000000 base against 100000000000 repaid.
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), own_usdc("1000000000"),
                                            kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->call.debt_to_cover, n("1000000000"));
    EXPECT_EQ(plan->quote.amounts.collateral_to_liquidator, n("522500000000000000"));
    EXPECT_EQ(plan->profit_base, n("4500000000"));
    EXPECT_TRUE(contains(plan->reason, "liquidator balance 1000000000")) << plan->reason;
}

TEST(AaveLiquidationPlan, NoDebtAssetAndNoFlashLoanIsRefused) {
    const auto plan =
        plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), AaveFunding{}, kAnyProfit, std::nullopt);
    ASSERT_FALSE(plan.has_value());
    EXPECT_TRUE(contains(plan.error().message, "liquidator holds none of debt reserve 1")) << plan.error().message;
}

TEST(AaveLiquidationPlan, AFlashLoanIsUncappedButPaysThePremium) {
    // Same size as with ample funds; premium percentMul(8499991499, 9 bps) = 7649992
    // USDC units = 764999200 base: profit 38249961745 - 764999200 = 37484962545.
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), kFlash, kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_TRUE(plan->flash_loan);
    EXPECT_EQ(plan->call.debt_to_cover, n("8499991499"));
    EXPECT_EQ(plan->flash_premium, n("7649992"));
    EXPECT_EQ(plan->flash_premium_base, n("764999200"));
    EXPECT_EQ(plan->profit_base, n("37484962545"));
    EXPECT_TRUE(contains(plan->reason, "flash loan of 8499991499, premium 7649992")) << plan->reason;

    UserAccount no_flash = worked_account();
    no_flash.reserves[1].config.flash_loan_enabled = false;
    const auto refused = plan_aave_liquidation(PoolRules::EarlyV3, no_flash, kFlash, kAnyProfit, std::nullopt);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(contains(refused.error().message, "FLASHLOAN_DISABLED")) << refused.error().message;
}

TEST(AaveLiquidationPlan, PicksTheCollateralWithTheBestBonus) {
    // Add 20000 DAI (18 decimals, $1, LT 75%, bonus 10%, no fee) and owe 32000 USDC:
    // avgLT 78.75%, HF 31500 / 32000 = 0.984375, 50% close factor: 15999983999 repaid.
    // WETH would pay 4.5% net of the fee (71999927995 base); DAI pays 10%:
    // 17599.9823989 DAI = 1759998239890 base - 1599998399900 = 159999839990.
    UserAccount a = weth_against_usdc(n("10000000000000000000"), n("32000000000"));
    a.config = a.config.with_collateral(2, true);
    a.reserves.push_back(ReserveSnapshot{2, cfg(7500, 11000, 18), n("100000000"), kRay, kRay,
                                         n("20000000000000000000000"), 0, 0});
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, a, kFlash, AaveProfitRules{}, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->quote.account.health_factor_wad, n("984375000000000000"));
    EXPECT_EQ(plan->call.collateral_reserve_id, 2u);
    EXPECT_EQ(plan->call.debt_to_cover, n("15999983999"));
    EXPECT_EQ(plan->quote.amounts.collateral_to_liquidator, n("17599982398900000000000"));
    EXPECT_EQ(plan->collateral_value_base, n("1759998239890"));
    EXPECT_TRUE(contains(plan->reason, "collateral reserve 2, debt reserve 1")) << plan->reason;
}

TEST(AaveLiquidationPlan, AHealthyAccountGetsThePoolsReason) {
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3,
                                            weth_against_usdc(n("10000000000000000000"), n("16000000000")), kFlash,
                                            kAnyProfit, std::nullopt);
    ASSERT_FALSE(plan.has_value());
    EXPECT_TRUE(contains(plan.error().message, "HEALTH_FACTOR_NOT_BELOW_THRESHOLD")) << plan.error().message;
}

TEST(AaveLiquidationPlan, GasAndMinimumProfitDecideWhetherToSend) {
    // ETH at 2000e8 base: 2000e8 / 1e18 base per wei = 2e29 x 1e36.
    // 500000 gas at 100 gwei = 0.05 ETH = 1e10 base: profit 38249961745 - 1e10.
    const U256 native = n("200000000000000000000000000000");
    const auto cheap = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), own_usdc("100000000000"),
                                             kAnyProfit, GasCost{500'000, n("100000000000"), native});
    ASSERT_TRUE(cheap.has_value()) << cheap.error().message;
    EXPECT_TRUE(cheap->gas_priced);
    EXPECT_EQ(cheap->gas_cost_base, n("10000000000"));
    EXPECT_EQ(cheap->profit_base, n("28249961745"));
    EXPECT_TRUE(cheap->worth_sending);

    // At 10000 gwei the gas (1e12 base) eats the 38249961745 earned.
    const auto dear = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), own_usdc("100000000000"),
                                            kAnyProfit, GasCost{500'000, n("10000000000000"), native});
    ASSERT_TRUE(dear.has_value()) << dear.error().message;
    EXPECT_FALSE(dear->worth_sending);
    EXPECT_EQ(dear->loss_base, n("961750038255"));
    EXPECT_TRUE(contains(dear->reason, "gas cost 1000000000000 eats the profit before gas 38249961745"))
        << dear->reason;

    const auto below_min = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), own_usdc("100000000000"),
                                                 AaveProfitRules{n("40000000000"), std::nullopt, false},
                                                 std::nullopt);
    ASSERT_TRUE(below_min.has_value());
    EXPECT_FALSE(below_min->worth_sending);
    EXPECT_TRUE(contains(below_min->reason, "below min_profit 40000000000")) << below_min->reason;
}

TEST(AaveLiquidationPlan, MaxDebtSpendCapsRepaidPlusPremium) {
    // $1000 of spend with a 9 bps flash premium: d + percentMul(d, 9) <= 1000e6 USDC units.
    // d = 999100809: premium (8991907281 + 5000) / 10000 = 899191, sum exactly 1000e6;
    // d = 999100810 would cost 1000000001.
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), kFlash,
                                            AaveProfitRules{U256(), n("100000000000"), false}, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->call.debt_to_cover, n("999100809"));
    EXPECT_EQ(plan->flash_premium, n("899191"));
    EXPECT_EQ(plan->repaid_value_base + plan->flash_premium_base, n("100000000000"));
    EXPECT_TRUE(contains(plan->reason, "max_debt_spend_base 100000000000")) << plan->reason;
}

TEST(AaveLiquidationPlan, ReceiveATokenIsSentAndQuoted) {
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, worked_account(), kFlash,
                                            AaveProfitRules{U256(), std::nullopt, true}, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_TRUE(plan->receive_a_token);
    EXPECT_TRUE(plan->call.receive_a_token);
    EXPECT_EQ(plan->call.debt_to_cover, n("8499991499"));
}

TEST(AaveLiquidationPlan, ACollateralOfAFewWeiIsTakenWhole) {
    // 5e8 wei of WETH (100 base) against 2 USDC units (200 base): HF 0.415, close
    // factor 100%. One USDC unit already seizes 5.25e8 wei, more than the balance
    // less 1 ppm, so the whole balance is planned: debt_to_cover 1, the pool takes
    // all 5e8 wei (fee 2380952, liquidator 497619048 = 99 base) and repays 1 unit
    // (100 base): a loss of 1, not sent.
    const auto plan = plan_aave_liquidation(PoolRules::EarlyV3, weth_against_usdc(n("500000000"), U256(2)), kFlash,
                                            kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_FALSE(plan->exact);
    EXPECT_EQ(plan->call.debt_to_cover, U256(1));
    EXPECT_EQ(plan->quote.amounts.collateral_to_liquidator, n("497619048"));
    EXPECT_EQ(plan->quote.amounts.protocol_fee, n("2380952"));
    EXPECT_EQ(plan->quote.amounts.debt_to_repay, U256(1));
    EXPECT_FALSE(plan->worth_sending);
    EXPECT_TRUE(contains(plan->reason, "whole collateral balance 500000000")) << plan->reason;
}

TEST(AaveLiquidationPlanV33, TheDustRuleShrinksASmallPositionsLiquidation) {
    // 0.9 WETH ($1800) against 1500 USDC: HF 1485 / 1500 = 0.99, but the debt is
    // below 2000 base so v3.3 allows 100%. Anything but the whole debt must leave
    // >= $1000 of debt and of collateral: at most 500 USDC, which seizes $525
    // and leaves $1275 of WETH.
    const auto plan = plan_aave_liquidation(PoolRules::V3_3,
                                            weth_against_usdc(n("900000000000000000"), n("1500000000")), kFlash,
                                            kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->quote.max_liquidatable_debt, n("1500000000"));
    EXPECT_EQ(plan->call.debt_to_cover, n("500000000"));
    EXPECT_TRUE(contains(plan->reason, "dust rule")) << plan->reason;
}

TEST(AaveValueInBase, RoundsAsAsked) {
    EXPECT_EQ(value_in_base(n("1"), n("200000000000"), 18, false).value(), U256());
    EXPECT_EQ(value_in_base(n("1"), n("200000000000"), 18, true).value(), U256(1));
    EXPECT_EQ(value_in_base(n("1500000"), n("100000000"), 6, false).value(), n("150000000"));
    EXPECT_FALSE(value_in_base(U256(1), U256(1), 78, false).has_value());
    EXPECT_FALSE(value_in_base(U256::max(), U256::max(), 0, false).has_value());
}

TEST(AaveOnePpmInside, KeepsAtLeastOneUnit) {
    EXPECT_EQ(one_ppm_inside(n("8500000000")), n("8499991499"));
    EXPECT_EQ(one_ppm_inside(U256(2)), U256(1));
    EXPECT_EQ(one_ppm_inside(U256(1)), U256());
    EXPECT_EQ(one_ppm_inside(U256()), U256());
}

}  // namespace aave_liquidation_plan_test
}  // namespace keeper::strategies

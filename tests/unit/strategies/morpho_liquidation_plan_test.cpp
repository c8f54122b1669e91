// Sizing and pricing a Morpho Blue liquidation. Worked examples use lltv 86%:
// LIF = min(1.15, 1e36 / (1e18 - 0.3 * 0.14e18)) = floor(1e36 / 0.958e18)
//     = 1.043841336116910229 (wad), so seizing s collateral at a 1:1 price
// repays ceil(s / LIF) and seizing d * LIF repays exactly d.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "margin/morpho_blue.hpp"
#include "strategies/morpho_liquidation_plan.hpp"

namespace keeper::strategies {
namespace morpho_liquidation_plan_test {

using morpho::LiquidationRequest;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }

const U256 kE18 = U256(1'000'000'000'000'000'000ULL);
const U256 kE24 = U256::pow10(24);
const U256 kPrice1to1 = U256::pow10(36);
const U256 kLif86 = n("1043841336116910229");

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

morpho::MarketParams lltv86() {
    morpho::MarketParams p;
    p.irm = Address::parse("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC").value();
    p.lltv_wad = n("860000000000000000");
    return p;
}

// 900 tokens (18 decimals) borrowed as 900e24 shares: (900e24 + 1e6) / (900e18 + 1)
// is exactly 1e6 shares per asset, virtual shares included.
morpho::MarketState market_900() {
    morpho::MarketState m;
    m.total_supply_assets = 1000 * kE18;
    m.total_supply_shares = 1000 * kE24;
    m.total_borrow_assets = 900 * kE18;
    m.total_borrow_shares = 900 * kE24;
    m.last_update = 1'700'000'000;
    return m;
}

// The whole market's debt: 900 borrowed against 1000 collateral at 1:1, over
// the 860 the lltv allows.
MorphoLiquidationInputs borrower_900_of_1000() {
    morpho::Position p;
    p.borrow_shares = 900 * kE24;
    p.collateral = 1000 * kE18;
    return MorphoLiquidationInputs{lltv86(), market_900(), p, kPrice1to1, 10'000 * kE18};
}

const ProfitRules kAnyProfit{U256(), std::nullopt};

// 2000 loan units per ETH with an 18-decimal loan token: 2000e36 per wei.
const U256 kNative2000 = n("2000000000000000000000000000000000000000");

TEST(MorphoLiquidationPlan, IncentiveFactorAt86Percent) {
    EXPECT_EQ(morpho::liquidation_incentive_factor_wad(n("860000000000000000")).value(), kLif86);
    EXPECT_EQ(U256::pow10(36) / n("958000000000000000"), kLif86);
}

TEST(MorphoLiquidationPlan, DebtBelowCollateralValueRepaysAllOfIt) {
    // 900 * LIF = 939.457202505219206100 < 1000: the debt runs out before the
    // collateral, so the plan seizes exactly 900 * LIF and repays all 900e24 shares.
    const auto plan = plan_morpho_liquidation(borrower_900_of_1000(), kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->request.seized_assets, n("939457202505219206100"));
    EXPECT_EQ(plan->request.repaid_shares, U256(0));
    EXPECT_EQ(plan->expected.repaid_shares, 900 * kE24);
    EXPECT_EQ(plan->repaid_assets, 900 * kE18);
    EXPECT_EQ(plan->expected.position_after.borrow_shares, U256(0));
    EXPECT_EQ(plan->expected.position_after.collateral, n("60542797494780793900"));
    EXPECT_EQ(plan->expected.bad_debt_assets, U256(0));
    EXPECT_EQ(plan->seized_value_loan, n("939457202505219206100"));
    EXPECT_EQ(plan->profit_loan, n("39457202505219206100"));  // 900 * (LIF - 1)
    EXPECT_EQ(plan->loss_loan, U256(0));
    EXPECT_TRUE(plan->worth_sending);
    EXPECT_FALSE(plan->gas_priced);
    EXPECT_TRUE(contains(plan->reason, "all debt repaid")) << plan->reason;
}

TEST(MorphoLiquidationPlan, AccruedSharePriceLeavesRoundingDust) {
    // After interest the market owes 901.234567890123456789 on the same shares
    // (998630.13 shares per asset). One more unit of collateral would ask for
    // more shares than remain, so 997260 shares (under one asset) stay behind,
    // while the repaid assets round up to the whole debt.
    MorphoLiquidationInputs in = borrower_900_of_1000();
    in.market.total_borrow_assets = n("901234567890123456789");
    const auto plan = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->request.seized_assets, n("940745895501172710053"));
    EXPECT_EQ(plan->expected.repaid_shares, n("899999999999999999999002740"));
    EXPECT_EQ(plan->expected.position_after.borrow_shares, U256(997'260));
    EXPECT_EQ(plan->repaid_assets, n("901234567890123456789"));
    EXPECT_EQ(plan->profit_loan, n("39511327611049253264"));
    EXPECT_TRUE(contains(plan->reason, "debt repaid up to the last collateral unit: 997260 borrow shares left")) << plan->reason;
    EXPECT_FALSE(morpho::liquidate(in.params, in.market, in.position, in.price_1e36,
                                   LiquidationRequest{plan->request.seized_assets + 1, U256()})
                     .has_value());
}

TEST(MorphoLiquidationPlan, DebtAboveCollateralValueSeizesAllAndRealisesBadDebt) {
    // 990 owed on 1000 collateral: 990 * LIF = 1033.4 > 1000, so all the
    // collateral goes for ceil(1000e18 * 1e18 / LIF) = 958000000000000000593,
    // and the remaining 31.999999999999999407 is socialised on suppliers; the
    // liquidator pays only what it repaid.
    MorphoLiquidationInputs in = borrower_900_of_1000();
    in.market.total_supply_assets = 3000 * kE18;
    in.market.total_supply_shares = 3000 * kE24;
    in.market.total_borrow_assets = 2000 * kE18;
    in.market.total_borrow_shares = 2000 * kE24;
    in.position.borrow_shares = 990 * kE24;
    const auto plan = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->request.seized_assets, 1000 * kE18);
    EXPECT_EQ(plan->repaid_assets, n("958000000000000000593"));
    EXPECT_EQ(plan->expected.bad_debt_assets, n("31999999999999999407"));
    EXPECT_EQ(plan->expected.bad_debt_shares, n("31999999999999999407000000"));
    EXPECT_EQ(plan->expected.position_after, morpho::Position{});
    EXPECT_EQ(plan->profit_loan, n("41999999999999999407"));
    EXPECT_TRUE(plan->worth_sending);
    EXPECT_TRUE(contains(plan->reason, "all collateral seized (realises bad debt of 31999999999999999407"))
        << plan->reason;
}

TEST(MorphoLiquidationPlan, SpendCapsShrinkTheSize) {
    struct Row {
        const char* name;
        U256 balance;
        std::optional<U256> max_loan_spend;
        U256 seized;
        U256 repaid;
        U256 profit;
        const char* reason;
    };
    const Row rows[] = {
        // Half the debt's worth of balance: half the seize, 450 * LIF.
        {"balance 450", 450 * kE18, std::nullopt, n("469728601252609603050"), 450 * kE18, n("19728601252609603050"),
         "capped by balance 450000000000000000000"},
        {"spend 100", 10'000 * kE18, 100 * kE18, n("104384133611691022900"), 100 * kE18, n("4384133611691022900"),
         "capped by max_loan_spend 100000000000000000000"},
        // The tighter of the two wins.
        {"balance under spend", 100 * kE18, 450 * kE18, n("104384133611691022900"), 100 * kE18,
         n("4384133611691022900"), "capped by balance 100000000000000000000"},
        // A cap above the whole debt does not bind.
        {"spend 901", 10'000 * kE18, 901 * kE18, n("939457202505219206100"), 900 * kE18, n("39457202505219206100"),
         "all debt repaid"},
        // Exactly the debt is enough.
        {"balance 900", 900 * kE18, std::nullopt, n("939457202505219206100"), 900 * kE18, n("39457202505219206100"),
         "all debt repaid"},
    };
    for (const Row& r : rows) {
        MorphoLiquidationInputs in = borrower_900_of_1000();
        in.liquidator_loan_balance = r.balance;
        const auto plan = plan_morpho_liquidation(in, ProfitRules{U256(), r.max_loan_spend}, std::nullopt);
        ASSERT_TRUE(plan.has_value()) << r.name << ": " << plan.error().message;
        EXPECT_EQ(plan->request.seized_assets, r.seized) << r.name;
        EXPECT_EQ(plan->repaid_assets, r.repaid) << r.name;
        EXPECT_EQ(plan->profit_loan, r.profit) << r.name;
        EXPECT_TRUE(contains(plan->reason, r.reason)) << r.name << ": " << plan->reason;
        // One unit more would cost a wei more than the cap allows.
        const auto next = morpho::liquidate(in.params, in.market, in.position, in.price_1e36,
                                            LiquidationRequest{r.seized + 1, U256()});
        EXPECT_TRUE(!next.has_value() || next->repaid_assets > r.repaid) << r.name;
    }
}

TEST(MorphoLiquidationPlan, UsdcAgainstWeth) {
    // 6-decimal loan, 18-decimal collateral: 2000 USDC per WETH is 2000e6 * 1e36 / 1e18 = 2e27.
    // 1800 USDC (1e6 shares per unit) against 1 WETH: 1800e6 * LIF / 2e27 * 1e36
    // = 0.9394572025 WETH; worth 1878.914405 USDC, 78.914405 USDC of profit.
    morpho::MarketState m;
    m.total_supply_assets = U256(20'000'000'000ULL);
    m.total_supply_shares = n("20000000000000000");
    m.total_borrow_assets = U256(10'000'000'000ULL);
    m.total_borrow_shares = n("10000000000000000");
    morpho::Position p;
    p.collateral = kE18;
    p.borrow_shares = n("1800000000000000");
    MorphoLiquidationInputs in{lltv86(), m, p, n("2000000000000000000000000000"), U256(1'000'000'000'000ULL)};

    const auto full = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
    ASSERT_TRUE(full.has_value()) << full.error().message;
    EXPECT_EQ(full->request.seized_assets, n("939457202500000000"));
    EXPECT_EQ(full->repaid_assets, U256(1'800'000'000));
    EXPECT_EQ(full->seized_value_loan, U256(1'878'914'405));
    EXPECT_EQ(full->profit_loan, U256(78'914'405));

    in.liquidator_loan_balance = U256(500'000'000);  // 500 USDC
    const auto capped = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
    ASSERT_TRUE(capped.has_value()) << capped.error().message;
    EXPECT_EQ(capped->request.seized_assets, n("260960334000000000"));
    EXPECT_EQ(capped->repaid_assets, U256(500'000'000));
    EXPECT_EQ(capped->seized_value_loan, U256(521'920'668));  // rounded down from 521.920668000
    EXPECT_EQ(capped->profit_loan, U256(21'920'668));
}

// 0.9 owed on 1 collateral: 0.039457202505219206 of profit before gas.
MorphoLiquidationInputs tiny_borrower() {
    MorphoLiquidationInputs in = borrower_900_of_1000();
    in.position.borrow_shares = n("900000000000000000000000");
    in.position.collateral = kE18;
    return in;
}

TEST(MorphoLiquidationPlan, PricedGasMakesATinyPositionUnprofitable) {
    // 500,000 gas at 20 gwei = 0.01 ETH = 20 loan tokens at 2000 per ETH.
    const GasCost gas{500'000, U256(20'000'000'000ULL), kNative2000};
    const auto plan = plan_morpho_liquidation(tiny_borrower(), kAnyProfit, gas);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->request.seized_assets, n("939457202505219206"));
    EXPECT_EQ(plan->repaid_assets, n("900000000000000000"));
    EXPECT_TRUE(plan->gas_priced);
    EXPECT_EQ(plan->gas_cost_loan, n("20000000000000000000"));
    EXPECT_EQ(plan->profit_loan, U256(0));
    EXPECT_EQ(plan->loss_loan, n("19960542797494780794"));  // 20e18 - 0.039457202505219206e18
    EXPECT_FALSE(plan->worth_sending);
    EXPECT_TRUE(contains(plan->reason, "gas cost 20000000000000000000 eats the profit before gas 39457202505219206"))
        << plan->reason;
}

TEST(MorphoLiquidationPlan, CheapGasLeavesProfit) {
    // 100,000 gas at 1 gwei = 1e14 wei = 0.2 loan tokens.
    const GasCost gas{100'000, U256(1'000'000'000ULL), kNative2000};
    const auto plan = plan_morpho_liquidation(borrower_900_of_1000(), kAnyProfit, gas);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->gas_cost_loan, n("200000000000000000"));
    EXPECT_EQ(plan->profit_loan, n("39257202505219206100"));
    EXPECT_TRUE(plan->worth_sending);
    EXPECT_TRUE(contains(plan->reason, "worth sending: profit 39257202505219206100")) << plan->reason;
}

TEST(MorphoLiquidationPlan, UnpricedGasJudgesProfitBeforeGas) {
    const std::optional<GasCost> cases[] = {GasCost{500'000, U256(20'000'000'000ULL), std::nullopt}, std::nullopt};
    for (const auto& gas : cases) {
        const auto plan = plan_morpho_liquidation(tiny_borrower(), kAnyProfit, gas);
        ASSERT_TRUE(plan.has_value()) << plan.error().message;
        EXPECT_FALSE(plan->gas_priced);
        EXPECT_EQ(plan->gas_cost_loan, U256(0));
        EXPECT_EQ(plan->profit_loan, n("39457202505219206"));
        EXPECT_TRUE(plan->worth_sending);
        EXPECT_TRUE(contains(plan->reason, "(gas not priced)")) << plan->reason;
    }
}

TEST(MorphoLiquidationPlan, MinProfitIsInclusive) {
    const U256 profit = n("39457202505219206");
    const auto at = plan_morpho_liquidation(tiny_borrower(), ProfitRules{profit, std::nullopt}, std::nullopt);
    ASSERT_TRUE(at.has_value());
    EXPECT_TRUE(at->worth_sending);
    const auto above = plan_morpho_liquidation(tiny_borrower(), ProfitRules{profit + 1, std::nullopt}, std::nullopt);
    ASSERT_TRUE(above.has_value());
    EXPECT_FALSE(above->worth_sending);
    EXPECT_EQ(above->profit_loan, profit);
    EXPECT_TRUE(contains(above->reason, "profit 39457202505219206 below min_profit 39457202505219207"))
        << above->reason;
}

TEST(MorphoLiquidationPlan, ZeroProfitIsNotWorthGas) {
    // One wei of balance: seizing 1 repays ceil(1 / LIF) = 1, seizing 2 repays 2.
    // The plan is a 1-for-1 swap: nothing to gain.
    MorphoLiquidationInputs in = borrower_900_of_1000();
    in.liquidator_loan_balance = U256(1);
    const auto plan = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->request.seized_assets, U256(1));
    EXPECT_EQ(plan->repaid_assets, U256(1));
    EXPECT_EQ(plan->profit_loan, U256(0));
    EXPECT_EQ(plan->loss_loan, U256(0));
    EXPECT_FALSE(plan->worth_sending);
    EXPECT_TRUE(contains(plan->reason, "no profit before gas")) << plan->reason;
}

TEST(MorphoLiquidationPlan, RefusesWhatCannotBeLiquidated) {
    struct Row {
        const char* name;
        MorphoLiquidationInputs in;
        ProfitRules rules;
        const char* error;
    };
    MorphoLiquidationInputs healthy = borrower_900_of_1000();
    healthy.position.borrow_shares = 860 * kE24;  // exactly the lltv: equality is healthy
    MorphoLiquidationInputs no_debt = borrower_900_of_1000();
    no_debt.position.borrow_shares = 0;
    MorphoLiquidationInputs no_collateral = borrower_900_of_1000();
    no_collateral.position.collateral = 0;
    MorphoLiquidationInputs broke = borrower_900_of_1000();
    broke.liquidator_loan_balance = 0;
    // Two indivisible collateral units worth 2000 USDC each against 3600 USDC:
    // seizing one repays ceil(2000e6 / LIF) = 1916000001, more than 1000 USDC.
    MorphoLiquidationInputs lumpy = borrower_900_of_1000();
    lumpy.market.total_borrow_assets = U256(10'000'000'000ULL);
    lumpy.market.total_borrow_shares = n("10000000000000000");
    lumpy.position.borrow_shares = n("3600000000000000");
    lumpy.position.collateral = 2;
    lumpy.price_1e36 = n("2000000000000000000000000000000000000000000000");
    lumpy.liquidator_loan_balance = U256(1'000'000'000);
    const Row rows[] = {
        {"healthy", healthy, kAnyProfit, "morpho liquidation plan: position is healthy"},
        {"no debt", no_debt, kAnyProfit, "morpho liquidation plan: position has no debt"},
        {"no collateral", no_collateral, kAnyProfit, "morpho liquidation plan: position has no collateral"},
        {"no balance", broke, kAnyProfit, "morpho liquidation plan: liquidator has no loan tokens"},
        {"spend 0", borrower_900_of_1000(), ProfitRules{U256(), U256()}, "morpho liquidation plan: max_loan_spend is 0"},
        {"lumpy", lumpy, kAnyProfit,
         "morpho liquidation plan: seizing 1 collateral unit repays 1916000001 loan units, above the balance of "
         "1000000000"},
    };
    for (const Row& r : rows) {
        const auto plan = plan_morpho_liquidation(r.in, r.rules, std::nullopt);
        ASSERT_FALSE(plan.has_value()) << r.name;
        EXPECT_EQ(plan.error().message, r.error) << r.name;
    }
}

TEST(MorphoLiquidationPlan, SeizedModeCannotSplitOneUnitWorthMoreThanTheDebt) {
    // One indivisible unit worth 2000 USDC against 1800 USDC of debt: seizing it
    // asks for ceil(2000e6 / LIF) = 1916000001 assets of shares, more than the
    // 1800e6 owed, and nothing smaller exists. Only repaid-shares mode could
    // liquidate this position; the plan reports the contract's revert.
    MorphoLiquidationInputs in = borrower_900_of_1000();
    in.market.total_borrow_assets = U256(10'000'000'000ULL);
    in.market.total_borrow_shares = n("10000000000000000");
    in.position.borrow_shares = n("1800000000000000");
    in.position.collateral = 1;
    in.price_1e36 = n("2000000000000000000000000000000000000000000000");
    const auto plan = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.error().message, "morpho liquidation plan: morpho: liquidate: repaid shares exceed the borrow");
    EXPECT_TRUE(morpho::max_liquidation(in.params, in.market, in.position, in.price_1e36).has_value());
}

void expect_same(const morpho::Liquidation& a, const morpho::Liquidation& b) {
    EXPECT_EQ(a.seized_assets, b.seized_assets);
    EXPECT_EQ(a.repaid_shares, b.repaid_shares);
    EXPECT_EQ(a.repaid_assets, b.repaid_assets);
    EXPECT_EQ(a.bad_debt_assets, b.bad_debt_assets);
    EXPECT_EQ(a.bad_debt_shares, b.bad_debt_shares);
    EXPECT_EQ(a.market_after, b.market_after);
    EXPECT_EQ(a.position_after, b.position_after);
}

TEST(MorphoLiquidationPlan, RequestReplaysToExpected) {
    MorphoLiquidationInputs capped = borrower_900_of_1000();
    capped.liquidator_loan_balance = 123 * kE18 + 456;
    for (const MorphoLiquidationInputs& in : {borrower_900_of_1000(), capped, tiny_borrower()}) {
        const auto plan = plan_morpho_liquidation(in, kAnyProfit, std::nullopt);
        ASSERT_TRUE(plan.has_value()) << plan.error().message;
        const auto replay = morpho::liquidate(in.params, in.market, in.position, in.price_1e36, plan->request);
        ASSERT_TRUE(replay.has_value()) << replay.error().message;
        expect_same(*replay, plan->expected);
        EXPECT_EQ(plan->repaid_assets, replay->repaid_assets);
        EXPECT_LE(plan->repaid_assets, in.liquidator_loan_balance);
    }
}

// ---- property: random unhealthy positions ----

U256 random_below(std::mt19937_64& rng, const U256& bound) {  // uniform enough in [0, bound)
    U256 r = (U256(rng()) << 192) | (U256(rng()) << 128) | (U256(rng()) << 64) | U256(rng());
    return r % bound;
}

std::uint64_t pick(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}

struct RandomCase {
    MorphoLiquidationInputs in;
    ProfitRules rules;
};

RandomCase random_case(std::mt19937_64& rng) {
    static const char* const kLltvs[] = {"770000000000000000", "860000000000000000", "915000000000000000",
                                         "945000000000000000", "980000000000000000", "500000000000000000"};
    MorphoLiquidationInputs in;
    in.params = lltv86();
    in.params.lltv_wad = n(kLltvs[pick(rng, 0, 5)]);
    // Market: up to ~1e30 assets; between 0.5e6 and 1e6 shares per asset (interest accrued).
    const U256 assets = U256(pick(rng, 1, UINT64_MAX)) * U256::pow10(static_cast<unsigned>(pick(rng, 0, 11)));
    in.market.total_borrow_assets = assets;
    in.market.total_borrow_shares = assets * U256(pick(rng, 500'000, 1'000'000)) + U256(pick(rng, 0, 999'999));
    in.market.total_supply_assets = assets * 2;
    in.market.total_supply_shares = assets * 2'000'000;
    in.market.last_update = 1'700'000'000;
    // The position: a share of the market's borrow.
    in.position.borrow_shares = max(U256(1), in.market.total_borrow_shares * pick(rng, 1, 1000) / 1000);
    // Price: 1e18 .. 1e54 loan units per collateral unit x1e36, spanning decimals.
    in.price_1e36 = U256(pick(rng, 1, 1'000'000)) * U256::pow10(static_cast<unsigned>(pick(rng, 12, 48)));
    // Collateral worth debt / lltv * r, r in [0.3, 0.999]: below the health line.
    const U256 debt = morpho::to_assets_up(in.position.borrow_shares, in.market.total_borrow_assets,
                                           in.market.total_borrow_shares)
                          .value();
    const U256 health_line = mul_div_down(debt, U256::pow10(54), in.price_1e36 * in.params.lltv_wad).value();
    in.position.collateral = health_line * pick(rng, 300, 999) / 1000;
    // Liquidator: plenty, a slice of the debt, dust, or nothing.
    switch (pick(rng, 0, 3)) {
        case 0: in.liquidator_loan_balance = U256::pow10(40); break;
        case 1: in.liquidator_loan_balance = random_below(rng, debt + 1); break;
        case 2: in.liquidator_loan_balance = U256(pick(rng, 0, 1000)); break;
        default: in.liquidator_loan_balance = 0; break;
    }
    ProfitRules rules{U256(), std::nullopt};
    if (pick(rng, 0, 3) == 0) rules.max_loan_spend = random_below(rng, debt + 2);
    return RandomCase{in, rules};
}

TEST(MorphoLiquidationPlanProperty, LargestNonRevertingRequestWithinTheCap) {
    std::mt19937_64 rng(20240611);
    int planned = 0;
    int capped = 0;
    int all_collateral = 0;
    int refused = 0;
    for (int i = 0; i < 400; ++i) {
        const RandomCase c = random_case(rng);
        const MorphoLiquidationInputs& in = c.in;
        SCOPED_TRACE("case " + std::to_string(i) + ": assets " + in.market.total_borrow_assets.to_dec() +
                     " shares " + in.position.borrow_shares.to_dec() + " collateral " + in.position.collateral.to_dec() +
                     " price " + in.price_1e36.to_dec() + " balance " + in.liquidator_loan_balance.to_dec());
        const U256 cap =
            c.rules.max_loan_spend ? min(*c.rules.max_loan_spend, in.liquidator_loan_balance) : in.liquidator_loan_balance;
        const auto seize = [&](const U256& s) {
            return morpho::liquidate(in.params, in.market, in.position, in.price_1e36, LiquidationRequest{s, U256()});
        };
        const auto plan = plan_morpho_liquidation(in, c.rules, std::nullopt);
        if (!plan) {
            // Refused only when not even one unit fits (or the position is not liquidatable).
            ++refused;
            const auto one = seize(1);
            EXPECT_TRUE(in.position.collateral.is_zero() || !one.has_value() || one->repaid_assets > cap)
                << plan.error().message;
            continue;
        }
        ++planned;
        const U256 s = plan->request.seized_assets;
        EXPECT_EQ(plan->request.repaid_shares, U256(0));
        // (1) never reverts, and replays to the plan's expectation.
        const auto replay = seize(s);
        ASSERT_TRUE(replay.has_value()) << replay.error().message;
        expect_same(*replay, plan->expected);
        // (3) within the cap.
        EXPECT_LE(plan->repaid_assets, cap);
        // (2) maximal: one more unit reverts or costs more than the cap.
        const auto next = seize(s + 1);
        EXPECT_TRUE(!next.has_value() || next->repaid_assets > cap);
        if (contains(plan->reason, "capped by")) ++capped;
        if (s == in.position.collateral) ++all_collateral;
        // Profit accounting adds up (gas unpriced).
        EXPECT_EQ(plan->seized_value_loan + plan->loss_loan, plan->repaid_assets + plan->profit_loan);

        // The seized-assets request still fits after interest accrues: 1% to
        // ~300% a year for up to an hour. Same seize, no revert, repaid
        // assets at most one wei above the quote (a share is worth < 1 asset).
        const U256 rate(pick(rng, 300'000'000, 100'000'000'000ULL));
        const auto accrued = morpho::accrue_interest(in.params, in.market, rate,
                                                     in.market.last_update + pick(rng, 1, 3600));
        ASSERT_TRUE(accrued.has_value()) << accrued.error().message;
        const auto later = morpho::liquidate(in.params, accrued->market, in.position, in.price_1e36, plan->request);
        ASSERT_TRUE(later.has_value()) << later.error().message;
        EXPECT_EQ(later->seized_assets, s);
        EXPECT_LE(later->repaid_shares, plan->expected.repaid_shares);
        EXPECT_LE(later->repaid_assets, plan->repaid_assets + 1);
    }
    // The table exercised every branch.
    EXPECT_GT(planned, 200);
    EXPECT_GT(capped, 40);
    EXPECT_GT(all_collateral, 20);
    EXPECT_GT(refused, 20);
}

}  // namespace morpho_liquidation_plan_test
}  // namespace keeper::strategies

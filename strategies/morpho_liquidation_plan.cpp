#include "strategies/morpho_liquidation_plan.hpp"

#include <utility>

#include "strategies/largest_fitting.hpp"

namespace keeper::strategies {
namespace {

using morpho::Liquidation;
using morpho::LiquidationRequest;

Result<Liquidation> seize(const MorphoLiquidationInputs& in, const U256& seized_assets) {
    return morpho::liquidate(in.params, in.market, in.position, in.price_1e36,
                             LiquidationRequest{seized_assets, U256()});
}

// Below the whole collateral, the repaid shares (and so the repaid assets)
// never fall as the seized amount grows, and the only reverts are "more
// shares than the position has" and uint128 bounds: the set that does not
// revert is an interval [1, s]. Seizing exactly all the collateral also runs
// the bad-debt branch, which can revert on its own, so it is tried apart.
// The search starts from the seize that repays the whole debt,
// debt x LIF / price: the answer is within a few units of it.
U256 largest_without_revert(const MorphoLiquidationInputs& in) {
    if (seize(in, in.position.collateral).has_value()) return in.position.collateral;
    U256 guess;
    const auto debt = morpho::to_assets_down(in.position.borrow_shares, in.market.total_borrow_assets,
                                             in.market.total_borrow_shares);
    const auto lif = morpho::liquidation_incentive_factor_wad(in.params.lltv_wad);
    if (debt && lif && !in.price_1e36.is_zero()) {
        const auto with_bonus = mul_div_down(*debt, *lif, U256::pow10(18));
        if (with_bonus) guess = mul_div_down(*with_bonus, morpho::oracle_price_scale(), in.price_1e36).value_or(U256());
    }
    return largest_fitting_near(in.position.collateral - 1, guess,
                                [&](const U256& s) { return seize(in, s).has_value(); });
}

struct SpendCap {
    U256 amount;
    bool by_balance = true;  // else by ProfitRules::max_loan_spend
    std::string name() const { return by_balance ? "balance" : "max_loan_spend"; }
};

SpendCap spend_cap(const MorphoLiquidationInputs& in, const ProfitRules& rules) {
    if (rules.max_loan_spend && *rules.max_loan_spend < in.liquidator_loan_balance)
        return SpendCap{*rules.max_loan_spend, false};
    return SpendCap{in.liquidator_loan_balance, true};
}

std::string uncapped_reason(const Liquidation& l) {
    if (l.position_after.collateral.is_zero()) {
        if (l.bad_debt_assets.is_zero()) return "all collateral seized";
        return "all collateral seized (realises bad debt of " + l.bad_debt_assets.to_dec() + " loan units)";
    }
    if (l.position_after.borrow_shares.is_zero()) return "all debt repaid";
    // Seizing one more collateral unit would ask for more shares than remain:
    // rounding dust, or more with coarse collateral units.
    return "debt repaid up to the last collateral unit: " + l.position_after.borrow_shares.to_dec() +
           " borrow shares left";
}

Error nothing_fits(const SpendCap& cap, const Liquidation& smallest) {
    if (cap.amount.is_zero()) {
        if (cap.by_balance) return Error{"morpho liquidation plan: liquidator has no loan tokens"};
        return Error{"morpho liquidation plan: max_loan_spend is 0"};
    }
    return Error{"morpho liquidation plan: seizing 1 collateral unit repays " + smallest.repaid_assets.to_dec() +
                 " loan units, above the " + cap.name() + " of " + cap.amount.to_dec()};
}

}  // namespace

Result<LiquidationPlan> plan_morpho_liquidation(const MorphoLiquidationInputs& in, const ProfitRules& rules,
                                                const std::optional<GasCost>& gas) {
    if (in.position.borrow_shares.is_zero()) return fail("morpho liquidation plan: position has no debt");
    if (in.position.collateral.is_zero()) return fail("morpho liquidation plan: position has no collateral");
    const auto h = morpho::health(in.params, in.market, in.position, in.price_1e36);
    if (!h) return std::unexpected(context("morpho liquidation plan", h.error()));
    if (h->healthy) return fail("morpho liquidation plan: position is healthy");

    // Size: as large as the contract allows, then shrunk to what we can pay.
    const U256 largest = largest_without_revert(in);
    if (largest.is_zero()) return std::unexpected(context("morpho liquidation plan", seize(in, 1).error()));
    const auto uncapped = seize(in, largest);
    if (!uncapped) return std::unexpected(context("morpho liquidation plan", uncapped.error()));

    const SpendCap cap = spend_cap(in, rules);
    U256 seized = largest;
    std::string size_reason;
    if (uncapped->repaid_assets <= cap.amount) {
        size_reason = uncapped_reason(*uncapped);
    } else {
        // Below `largest` nothing reverts, and repaid assets rise with the
        // seized amount, so "fits the cap" is again an interval [1, s].
        // Repaid assets are linear in the seized amount but for rounding:
        // start from largest x cap / repaid.
        const U256 guess = mul_div_down(largest, cap.amount, uncapped->repaid_assets).value_or(U256());
        seized = largest_fitting_near(largest - 1, guess, [&](const U256& s) {
            const auto l = seize(in, s);
            return l.has_value() && l->repaid_assets <= cap.amount;
        });
        if (seized.is_zero()) {
            const auto smallest = seize(in, 1);
            if (!smallest) return std::unexpected(context("morpho liquidation plan", smallest.error()));
            return std::unexpected(nothing_fits(cap, *smallest));
        }
        size_reason = "capped by " + cap.name() + " " + cap.amount.to_dec();
    }
    auto expected = seize(in, seized);
    if (!expected) return std::unexpected(context("morpho liquidation plan", expected.error()));

    // Profit, conservatively: collateral valued rounded down, gas rounded up.
    const auto value = mul_div_down(seized, in.price_1e36, morpho::oracle_price_scale());
    if (!value) return fail("morpho liquidation plan: seized value overflows");
    const auto gas_cost = gas_cost_in_loan(gas);
    if (!gas_cost) return std::unexpected(context("morpho liquidation plan", gas_cost.error()));
    const auto cost = checked_add(expected->repaid_assets, gas_cost->loan);
    if (!cost) return fail("morpho liquidation plan: repaid assets plus gas overflow");

    LiquidationPlan plan;
    plan.request = LiquidationRequest{seized, U256()};
    plan.expected = std::move(*expected);
    plan.seized_value_loan = *value;
    plan.repaid_assets = plan.expected.repaid_assets;
    plan.gas_cost_loan = gas_cost->loan;
    plan.gas_priced = gas_cost->priced;
    if (*value > *cost) {
        plan.profit_loan = *value - *cost;
    } else {
        plan.loss_loan = *cost - *value;
    }
    plan.worth_sending = !plan.profit_loan.is_zero() && plan.profit_loan >= rules.min_profit_loan;

    std::string verdict;
    if (plan.worth_sending) {
        verdict = "worth sending: profit " + plan.profit_loan.to_dec();
    } else if (!plan.profit_loan.is_zero()) {
        verdict = "not worth sending: profit " + plan.profit_loan.to_dec() + " below min_profit " +
                  rules.min_profit_loan.to_dec();
    } else if (plan.gas_priced && *value > plan.repaid_assets) {
        verdict = "not worth sending: gas cost " + plan.gas_cost_loan.to_dec() + " eats the profit before gas " +
                  (*value - plan.repaid_assets).to_dec();
    } else {
        verdict = "not worth sending: no profit before gas";
    }
    if (!plan.gas_priced) verdict += " (gas not priced)";
    plan.reason = size_reason + "; " + verdict;
    return plan;
}

}  // namespace keeper::strategies

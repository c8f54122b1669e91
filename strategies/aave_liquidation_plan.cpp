#include "strategies/aave_liquidation_plan.hpp"

#include <utility>
#include <vector>

#include "core/fixed_point.hpp"
#include "strategies/largest_fitting.hpp"

namespace keeper::strategies {
namespace {

using aave::CollateralToLiquidate;
using aave::LiquidationCall;
using aave::LiquidationQuote;
using aave::PoolRules;
using aave::ReserveSnapshot;
using aave::UserAccount;

const ReserveSnapshot* find_reserve(const UserAccount& account, unsigned id) {
    for (const ReserveSnapshot& r : account.reserves)
        if (r.id == id) return &r;
    return nullptr;
}

// The smallest x in [1, upper] with holds(x), for a predicate that fails up
// to some point and holds beyond it; nullopt when it fails at upper.
template <class Holds>
std::optional<U256> smallest_holding(const U256& upper, Holds holds) {
    if (upper.is_zero() || !holds(upper)) return std::nullopt;
    U256 lo = 0;      // fails (or 0)
    U256 hi = upper;  // holds
    while (hi - lo > 1) {
        const U256 mid = lo + (hi - lo) / 2;
        if (holds(mid)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    return hi;
}

U256 seized_total(const CollateralToLiquidate& a) { return a.collateral_to_liquidator + a.protocol_fee; }

// One (collateral, debt) pair and what of it does not depend on debt_to_cover:
// balances, close-factor cap, the prices and bonus the pool will use.
struct Pair {
    PoolRules rules;
    const UserAccount* account;
    const ReserveSnapshot* collateral;
    const ReserveSnapshot* debt;
    bool receive_a_token;
    LiquidationQuote terms;

    LiquidationCall call(const U256& debt_to_cover) const {
        return LiquidationCall{collateral->id, debt->id, debt_to_cover, receive_a_token};
    }
    // With receive_a_token the pool transfers aTokens instead of burning them,
    // so the burn-to-zero check differs: quote exactly the call we will send.
    Result<LiquidationQuote> quote(const U256& debt_to_cover) const {
        return aave::quote_liquidation(rules, *account, call(debt_to_cover));
    }
    // The pool's _calculateAvailableCollateralToLiquidate, against a chosen
    // collateral balance (the current one, or one grown by interest).
    Result<CollateralToLiquidate> amounts(const U256& debt_to_cover, const U256& collateral_balance) const {
        return aave::calculate_available_collateral_to_liquidate(
            rules, terms.collateral_price, collateral->config.decimals, terms.debt_price, debt->config.decimals,
            debt_to_cover, collateral_balance, terms.liquidation_bonus_bps,
            collateral->config.liquidation_protocol_fee_bps);
    }
    std::string name() const {
        return "collateral reserve " + std::to_string(collateral->id) + ", debt reserve " + std::to_string(debt->id);
    }
};

// The validation and caps of the pair, read from a quote. Asking for
// everything (max) is the natural probe, but in v3.3+ a 50% close factor can
// leave dust behind; the smallest request then still validates.
Result<LiquidationQuote> pair_terms(const Pair& pair) {
    auto q = pair.quote(U256::max());
    if (q || pair.rules == PoolRules::EarlyV3 || q.error().kind != ErrorKind::leaves_dust) return q;
    return pair.quote(U256(1));
}

std::optional<U256> premium_of(const AaveFunding& funding, const U256& amount) {
    if (!funding.flash_loan) return U256();
    return aave::percent_mul(amount, U256(funding.flash_premium_bps));
}

// Base value of what the debt side costs: repaid + premium, rounded up.
bool within_spend(const Pair& pair, const AaveFunding& funding, const U256& spend_cap, const U256& debt_to_cover) {
    const auto premium = premium_of(funding, debt_to_cover);
    const auto spend = premium ? checked_add(debt_to_cover, *premium) : std::nullopt;
    if (!spend) return false;
    const auto value = value_in_base(*spend, pair.terms.debt_price, pair.debt->config.decimals, true);
    return value.has_value() && *value <= spend_cap;
}

// Where the dust rule's answer lies, linearly: the debt covered that leaves
// min_leftover_base of debt, or of collateral if that comes first (the
// seized amount grows in proportion to the debt covered). 0 when unknown.
U256 dust_guess(const Pair& pair, const U256& size) {
    const auto units_of_base = [](const U256& base, const U256& price, std::uint8_t decimals) {
        return price.is_zero() ? std::optional<U256>() : mul_div_up(base, U256::pow10(decimals), price);
    };
    const auto debt_floor = units_of_base(aave::min_leftover_base(), pair.terms.debt_price, pair.debt->config.decimals);
    const auto collateral_floor = units_of_base(aave::min_leftover_base(), pair.terms.collateral_price,
                                                pair.collateral->config.decimals);
    const auto seized = pair.amounts(size, pair.terms.user_collateral_balance);
    if (!debt_floor || !collateral_floor || !seized || seized_total(*seized).is_zero() ||
        pair.terms.user_debt_balance <= *debt_floor || pair.terms.user_collateral_balance <= *collateral_floor)
        return U256();
    const U256 by_debt = pair.terms.user_debt_balance - *debt_floor;
    const auto by_collateral = mul_div_down(size, pair.terms.user_collateral_balance - *collateral_floor,
                                            seized_total(*seized));
    return by_collateral ? min(by_debt, *by_collateral) : by_debt;
}

struct Sized {
    LiquidationCall call;
    LiquidationQuote quote;
    bool exact = true;
    std::string limit;  // what limited the size
};

// The largest debt_to_cover strictly inside both caps and within the
// funding; failing that, the whole collateral balance (see the header).
Result<Sized> size_pair(const Pair& pair, const AaveFunding& funding, const AaveProfitRules& profit) {
    const U256 balance = pair.terms.user_collateral_balance;
    U256 size = one_ppm_inside(pair.terms.max_liquidatable_debt);
    std::string limit = "close factor cap " + pair.terms.max_liquidatable_debt.to_dec() + " (kept 1 ppm inside)";

    // Seized (fee included) must stay at or below the balance less 1 ppm.
    const U256 collateral_target = one_ppm_inside(balance);
    const auto fits_collateral = [&](const U256& d) {
        const auto a = pair.amounts(d, balance);
        return a.has_value() && seized_total(*a) <= collateral_target;
    };
    if (const auto at_cap = pair.amounts(size, balance); !at_cap || seized_total(*at_cap) > collateral_target) {
        // The seize is linear in the debt covered but for rounding: start
        // from size x target / seized(size).
        U256 guess;
        if (at_cap && !seized_total(*at_cap).is_zero())
            guess = mul_div_down(size, collateral_target, seized_total(*at_cap)).value_or(U256());
        size = largest_fitting_near(size, guess, fits_collateral);
        limit = "user's collateral balance " + balance.to_dec() + " (kept 1 ppm inside)";
    }

    // The funding bounds every size, the whole-collateral one included.
    U256 funded = U256::max();
    std::string funded_limit;
    if (funding.flash_loan) {
        if (!pair.debt->config.flash_loan_enabled)
            return fail("FLASHLOAN_DISABLED: debt reserve " + std::to_string(pair.debt->id));
    } else {
        const auto held = funding.debt_balances.find(pair.debt->id);
        funded = held == funding.debt_balances.end() ? U256() : held->second;
        if (funded.is_zero())
            return fail("liquidator holds none of debt reserve " + std::to_string(pair.debt->id) + " (no flash loan)");
        funded_limit = "liquidator balance " + funded.to_dec();
    }
    if (profit.max_debt_spend_base) {
        const U256& cap = *profit.max_debt_spend_base;
        const auto fits_spend = [&](const U256& d) { return within_spend(pair, funding, cap, d); };
        if (!fits_spend(min(funded, pair.terms.max_liquidatable_debt))) {
            funded = largest_fitting(min(funded, pair.terms.max_liquidatable_debt), fits_spend);
            funded_limit = "max_debt_spend_base " + cap.to_dec();
        }
        if (funded.is_zero()) return fail("max_debt_spend_base " + cap.to_dec() + " buys not one unit of debt");
    }
    if (funded < size) {
        size = funded;
        limit = funded_limit;
    }

    Result<LiquidationQuote> q = fail("nothing to liquidate");
    if (!size.is_zero()) {
        q = pair.quote(size);
        if (!q && pair.rules != PoolRules::EarlyV3 && q.error().kind == ErrorKind::leaves_dust) {
            // Leftover debt and collateral fall as the size grows, so the sizes
            // the dust rule accepts are again an interval [1, s].
            size = largest_fitting_near(size, dust_guess(pair, size),
                                        [&](const U256& d) { return d.is_zero() || pair.quote(d).has_value(); });
            limit = "dust rule (a partial liquidation leaves >= 1000 base of debt and collateral)";
            if (!size.is_zero()) q = pair.quote(size);
        }
    }
    if (q && !q->amounts.collateral_to_liquidator.is_zero())
        return Sized{pair.call(size), std::move(*q), true, limit};

    // Nothing strictly inside: exhaust the balance even grown by 1 ppm, so the
    // pool takes the whole balance at inclusion.
    const U256 grown = balance + (balance / U256(1'000'000) + 1);
    const U256 upper = min(funded, one_ppm_inside(pair.terms.max_liquidatable_debt));
    const auto all = smallest_holding(upper, [&](const U256& d) {
        const auto a = pair.amounts(d, grown);
        return a.has_value() && seized_total(*a) == grown;
    });
    if (!all)
        return fail("nothing can be liquidated strictly inside the caps (" + limit +
                    "), and seizing the whole collateral needs more than " + upper.to_dec() + " debt units");
    auto whole = pair.quote(*all);
    if (!whole) return std::unexpected(whole.error());
    return Sized{pair.call(*all), std::move(*whole), false,
                 "whole collateral balance " + balance.to_dec() + " planned: nothing can be liquidated strictly inside the caps (" +
                     limit + "); the seized collateral and the repaid debt may exceed the prediction by interest "
                             "accrued before inclusion"};
}

Result<AaveLiquidationPlan> price(const Pair& pair, Sized sized, const AaveFunding& funding,
                                  const AaveProfitRules& profit, const GasCostInLoan& gas) {
    AaveLiquidationPlan plan;
    plan.call = sized.call;
    plan.receive_a_token = profit.receive_a_token;
    plan.quote = std::move(sized.quote);
    plan.flash_loan = funding.flash_loan;
    plan.exact = sized.exact;
    plan.gas_cost_base = gas.loan;
    plan.gas_priced = gas.priced;

    const auto& q = plan.quote;
    const auto collateral_value =
        value_in_base(q.amounts.collateral_to_liquidator, q.collateral_price, pair.collateral->config.decimals, false);
    const auto repaid_value = value_in_base(q.amounts.debt_to_repay, q.debt_price, pair.debt->config.decimals, true);
    const auto premium = premium_of(funding, plan.call.debt_to_cover);
    if (!collateral_value || !repaid_value || !premium) return fail("value in base currency overflows");
    const auto premium_value = value_in_base(*premium, q.debt_price, pair.debt->config.decimals, true);
    if (!premium_value) return std::unexpected(premium_value.error());
    plan.collateral_value_base = *collateral_value;
    plan.repaid_value_base = *repaid_value;
    plan.flash_premium = *premium;
    plan.flash_premium_base = *premium_value;

    const auto cost_before_gas = checked_add(plan.repaid_value_base, plan.flash_premium_base);
    const auto cost = cost_before_gas ? checked_add(*cost_before_gas, plan.gas_cost_base) : std::nullopt;
    if (!cost) return fail("cost in base currency overflows");
    if (plan.collateral_value_base > *cost) {
        plan.profit_base = plan.collateral_value_base - *cost;
    } else {
        plan.loss_base = *cost - plan.collateral_value_base;
    }
    plan.worth_sending = !plan.profit_base.is_zero() && plan.profit_base >= profit.min_profit_base;

    std::string verdict;
    if (plan.worth_sending) {
        verdict = "worth sending: profit " + plan.profit_base.to_dec();
    } else if (!plan.profit_base.is_zero()) {
        verdict = "not worth sending: profit " + plan.profit_base.to_dec() + " below min_profit " +
                  profit.min_profit_base.to_dec();
    } else if (plan.collateral_value_base > *cost_before_gas) {
        verdict = "not worth sending: gas cost " + plan.gas_cost_base.to_dec() + " eats the profit before gas " +
                  (plan.collateral_value_base - *cost_before_gas).to_dec();
    } else if (plan.collateral_value_base > plan.repaid_value_base) {
        verdict = "not worth sending: flash premium " + plan.flash_premium_base.to_dec() + " eats the bonus " +
                  (plan.collateral_value_base - plan.repaid_value_base).to_dec();
    } else {
        verdict = "not worth sending: no profit before gas";
    }
    if (plan.flash_loan) verdict += " (flash loan of " + plan.call.debt_to_cover.to_dec() + ", premium " +
                                    plan.flash_premium.to_dec() + ")";
    if (!plan.gas_priced) verdict += " (gas not priced)";
    plan.reason = pair.name() + ": " + sized.limit + "; " + verdict;
    return plan;
}

bool better(const AaveLiquidationPlan& a, const AaveLiquidationPlan& b) {
    if (a.profit_base != b.profit_base) return a.profit_base > b.profit_base;
    return a.loss_base < b.loss_base;
}

}  // namespace

Result<U256> value_in_base(const U256& amount, const U256& price, std::uint8_t decimals, bool round_up) {
    if (decimals > 77) return fail("value in base: decimals above 77");
    const U256 unit = U256::pow10(decimals);
    const auto v = round_up ? mul_div_up(amount, price, unit) : mul_div_down(amount, price, unit);
    if (!v) return fail("value in base: " + amount.to_dec() + " x " + price.to_dec() + " overflows");
    return *v;
}

U256 one_ppm_inside(const U256& x) {
    const U256 margin = x / U256(1'000'000) + 1;
    return x > margin ? x - margin : U256();
}

Result<AaveLiquidationPlan> plan_aave_liquidation(aave::PoolRules rules, const aave::UserAccount& account,
                                                  const AaveFunding& funding, const AaveProfitRules& rules_profit,
                                                  const std::optional<GasCost>& gas) {
    const auto data = aave::calculate_user_account_data(rules, account);
    if (!data) return std::unexpected(context("aave liquidation plan", data.error()));
    if (!data->liquidatable())
        return fail("aave liquidation plan: aave: HEALTH_FACTOR_NOT_BELOW_THRESHOLD (health factor " +
                    data->health_factor_wad.to_dec() + ")");
    const auto gas_cost = gas_cost_in_loan(gas);
    if (!gas_cost) return std::unexpected(context("aave liquidation plan", gas_cost.error()));

    std::vector<unsigned> collaterals;
    std::vector<unsigned> debts;
    for (unsigned id = 0; id < aave::kMaxReserves; ++id) {
        if (account.config.is_using_as_collateral(id)) {
            const ReserveSnapshot* r = find_reserve(account, id);
            if (r != nullptr && r->config.liquidation_threshold_bps != 0) collaterals.push_back(id);
        }
        if (account.config.is_borrowing(id) && find_reserve(account, id) != nullptr) debts.push_back(id);
    }

    std::optional<AaveLiquidationPlan> best;
    std::string rejected;
    for (unsigned c : collaterals) {
        for (unsigned d : debts) {
            Pair pair{rules, &account, find_reserve(account, c), find_reserve(account, d), rules_profit.receive_a_token, {}};
            auto plan = [&]() -> Result<AaveLiquidationPlan> {
                auto terms = pair_terms(pair);
                if (!terms) return std::unexpected(terms.error());
                pair.terms = std::move(*terms);
                auto sized = size_pair(pair, funding, rules_profit);
                if (!sized) return std::unexpected(sized.error());
                return price(pair, std::move(*sized), funding, rules_profit, *gas_cost);
            }();
            if (!plan) {
                rejected += (rejected.empty() ? "" : "; ") + pair.name() + ": " + plan.error().message;
                continue;
            }
            if (!best || better(*plan, *best)) best = std::move(*plan);
        }
    }
    if (!best) {
        if (rejected.empty()) rejected = "no collateral with a liquidation threshold, or no debt";
        return fail("aave liquidation plan: no pair can be liquidated: " + rejected);
    }
    return std::move(*best);
}

}  // namespace keeper::strategies

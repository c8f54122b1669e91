#include "margin/stress_cascade.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

namespace keeper::margin::stress {
namespace {

// An impact beyond -100 % is clamped by the move floor anyway; the cap keeps
// the conversion to int32 defined for absurd sizes.
constexpr double kMaxImpactBps = 20'000.0;

const AssetValuation* valuation_of(const Valuations& valuations, const Address& asset) {
    const auto it = valuations.find(asset);
    return it == valuations.end() ? nullptr : &it->second;
}

std::int32_t move_of(const std::map<Address, std::int32_t>& moves, const Address& asset) {
    const auto it = moves.find(asset);
    return it == moves.end() ? 0 : it->second;
}

void add_to(std::map<Address, AssetTotals>& sums, const AssetTotals& t) {
    auto& sum = sums[t.asset];
    sum.asset = t.asset;
    sum.debt_repaid += t.debt_repaid;
    sum.collateral_seized += t.collateral_seized;
    sum.bad_debt += t.bad_debt;
}

}  // namespace

double usd_value(const U256& amount, const AssetValuation& valuation, std::int32_t move_bps) {
    if (amount.is_zero()) return 0.0;
    return amount.to_double() / U256::pow10(valuation.decimals).to_double() * valuation.usd_price *
           (10'000.0 + move_bps) / 10'000.0;
}

std::int32_t impact_bps(const AssetValuation& valuation, double usd_sold) {
    const double bps = std::min(valuation.impact_bps_per_million * usd_sold / 1e6, kMaxImpactBps);
    if (!(bps > 0.0)) return 0;  // also NaN
    return -static_cast<std::int32_t>(std::llround(bps));
}

CascadeOutcome run_cascade(StressRunner& runner, const StressScenario& scenario, const CascadeSpec& spec) {
    CascadeOutcome out;
    std::map<Address, std::int32_t> moves;  // cumulative, by asset
    for (const auto& s : scenario.shocks) moves[s.asset] = s.move_bps;
    std::set<std::string> liquidated;  // "deployment|market or pool|account"
    std::set<Address> unvalued;
    std::map<Address, AssetTotals> all;
    const std::size_t cap = runner.lists_accounts() ? std::max<std::size_t>(spec.max_rounds, 1) : 1;
    for (std::size_t round = 0; round < cap; ++round) {
        StressScenario at{scenario.name, {}};
        for (const auto& [asset, move] : moves)
            if (move != 0) at.shocks.push_back(AssetShock{asset, move});
        const ScenarioOutcome outcome = runner.run(at);
        CascadeRound r;
        r.round = round;
        r.moves = at.shocks;
        std::map<Address, AssetTotals> totals;
        if (round == 0) {  // nobody liquidated yet: the scenario's own outcome
            r.liquidated = outcome.liquidatable;
            r.insolvent = outcome.insolvent;
            for (const auto& t : outcome.totals) totals[t.asset] = t;
        }
        for (const auto& p : outcome.accounts) {
            if (!liquidated.insert(p.protocol + "|" + p.where + "|" + p.account.hex()).second) continue;
            if (round == 0) {
                if (spec.keep_positions) r.positions.push_back(p);
                continue;
            }
            ++r.liquidated;
            if (p.insolvent) ++r.insolvent;
            if (p.error.empty()) {
                add_to(totals, AssetTotals{p.debt_asset, p.debt_repaid, U256(), U256()});
                add_to(totals, AssetTotals{p.collateral_asset, U256(), p.collateral_seized, U256()});
            }
            for (const auto& bad : p.bad_debt) add_to(totals, AssetTotals{bad.asset, U256(), U256(), bad.amount});
            if (spec.keep_positions) r.positions.push_back(p);
        }
        for (const auto& [asset, t] : totals) {
            if (t.debt_repaid.is_zero() && t.collateral_seized.is_zero() && t.bad_debt.is_zero()) continue;
            r.totals.push_back(t);
            add_to(all, t);
            const AssetValuation* v = valuation_of(spec.valuations, asset);
            if (v == nullptr) {
                if (!t.collateral_seized.is_zero() || !t.bad_debt.is_zero()) unvalued.insert(asset);
                continue;
            }
            const std::int32_t move = move_of(moves, asset);
            const double sold = usd_value(t.collateral_seized, *v, move);
            r.volume_usd += sold;
            r.bad_debt_usd += usd_value(t.bad_debt, *v, move);
            if (const std::int32_t impact = impact_bps(*v, sold); impact != 0)
                r.impact.push_back(AssetShock{asset, impact});
        }
        bool moved = false;
        for (const auto& i : r.impact) {
            auto& move = moves[i.asset];
            const std::int32_t next = std::max(kMinMoveBps, move + i.move_bps);
            moved = moved || next != move;
            move = next;
        }
        out.liquidated += r.liquidated;
        out.insolvent += r.insolvent;
        out.volume_usd += r.volume_usd;
        out.bad_debt_usd += r.bad_debt_usd;
        out.final_moves = r.moves;
        out.rounds.push_back(std::move(r));
        if (!moved) {
            out.stable = true;
            break;
        }
    }
    for (const auto& [asset, t] : all) out.totals.push_back(t);
    out.unvalued.assign(unvalued.begin(), unvalued.end());
    return out;
}

}  // namespace keeper::margin::stress

#include "margin/stress_engine.hpp"

#include <map>

#include "margin/stress_aave.hpp"
#include "margin/stress_morpho.hpp"

namespace keeper::margin::stress {
namespace {

const U256 kStressBpsOne = U256(10'000);

U256 bps_factor(std::int32_t move_bps) { return U256(static_cast<std::uint64_t>(10'000 + move_bps)); }

}  // namespace

void add_to_totals(std::map<Address, AssetTotals>& totals, const StressedPosition& p) {
    if (p.error.empty()) {
        auto& debt = totals[p.debt_asset];
        debt.asset = p.debt_asset;
        debt.debt_repaid += p.debt_repaid;
        auto& coll = totals[p.collateral_asset];
        coll.asset = p.collateral_asset;
        coll.collateral_seized += p.collateral_seized;
    }
    for (const auto& bad : p.bad_debt) {
        auto& t = totals[bad.asset];
        t.asset = bad.asset;
        t.bad_debt += bad.amount;
    }
}

void PartOutcome::add(StressedPosition position) {
    ++liquidatable;
    if (position.insolvent) ++insolvent;
    add_to_totals(totals, position);
    accounts.push_back(std::move(position));
}

U256 shocked_price(const U256& price, std::int32_t move_bps) {
    if (move_bps == 0) return price;
    return mul_div_down(price, bps_factor(move_bps), kStressBpsOne).value_or(U256::max());
}

U256 shocked_morpho_price(const U256& price_1e36, std::int32_t collateral_bps, std::int32_t loan_bps) {
    if (collateral_bps == loan_bps) return price_1e36;
    return mul_div_down(price_1e36, bps_factor(collateral_bps), bps_factor(loan_bps)).value_or(U256::max());
}

Result<void> validate_scenario(const StressScenario& scenario) {
    const std::string who = "scenario \"" + scenario.name + "\"";
    if (scenario.name.empty()) return fail("a scenario has no name");
    for (std::size_t i = 0; i < scenario.shocks.size(); ++i) {
        const auto& s = scenario.shocks[i];
        if (s.move_bps < kMinMoveBps || s.move_bps > kMaxMoveBps)
            return fail(who + ": move of " + s.asset.checksummed() + " is " + std::to_string(s.move_bps) +
                        " bps, outside -9999..1000000 (a price must stay above 0)");
        for (std::size_t j = 0; j < i; ++j)
            if (scenario.shocks[j].asset == s.asset)
                return fail(who + ": " + s.asset.checksummed() + " is shocked twice");
    }
    return {};
}

Result<std::vector<ScenarioOutcome>> run_stress(const StressBook& book, std::span<const StressScenario> scenarios,
                                                const StressOptions& options) {
    for (const auto& s : scenarios)
        if (auto ok = validate_scenario(s); !ok) return std::unexpected(ok.error());
    std::vector<MorphoMarketStress> morpho;
    morpho.reserve(book.morpho_markets.size());
    for (const auto& m : book.morpho_markets) morpho.emplace_back(m);
    std::vector<AavePoolStress> aave;
    aave.reserve(book.aave_pools.size());
    for (const auto& p : book.aave_pools) aave.emplace_back(p);

    std::vector<ScenarioOutcome> out;
    out.reserve(scenarios.size());
    for (const auto& scenario : scenarios) {
        ScenarioOutcome outcome;
        outcome.name = scenario.name;
        outcome.positions = book.positions();
        std::map<Address, AssetTotals> totals;
        auto take = [&](const PartOutcome& part) {
            outcome.liquidatable += part.liquidatable;
            outcome.insolvent += part.insolvent;
            for (const auto& [asset, t] : part.totals) {
                auto& sum = totals[asset];
                sum.asset = asset;
                sum.debt_repaid += t.debt_repaid;
                sum.collateral_seized += t.collateral_seized;
                sum.bad_debt += t.bad_debt;
            }
            if (options.list_accounts)
                outcome.accounts.insert(outcome.accounts.end(), part.accounts.begin(), part.accounts.end());
        };
        for (auto& m : morpho) take(m.under(scenario));
        for (auto& p : aave) take(p.under(scenario));
        for (auto& [asset, t] : totals)
            if (!t.debt_repaid.is_zero() || !t.collateral_seized.is_zero() || !t.bad_debt.is_zero())
                outcome.totals.push_back(t);
        out.push_back(std::move(outcome));
    }
    return out;
}

}  // namespace keeper::margin::stress

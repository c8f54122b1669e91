#include "margin/stress_engine.hpp"

#include <map>

#include "margin/stress_aave.hpp"
#include "margin/stress_morpho.hpp"

namespace keeper::margin::stress {
namespace {

const U256 kStressBpsOne = U256(10'000);

U256 bps_factor(std::int32_t move_bps) { return U256(static_cast<std::uint64_t>(10'000 + move_bps)); }

}  // namespace

AssetTotals& totals_of(std::vector<AssetTotals>& totals, const Address& asset) {
    for (auto& t : totals)
        if (t.asset == asset) return t;
    totals.push_back(AssetTotals{asset, U256(), U256(), U256()});
    return totals.back();
}

void PartOutcome::add(StressedPosition&& position) {
    ++liquidatable;
    if (position.insolvent) ++insolvent;
    if (position.error.empty()) {
        totals_of(totals, position.debt_asset).debt_repaid += position.debt_repaid;
        totals_of(totals, position.collateral_asset).collateral_seized += position.collateral_seized;
    }
    for (const auto& bad : position.bad_debt) totals_of(totals, bad.asset).bad_debt += bad.amount;
    if (keep_accounts) accounts.push_back(std::move(position));
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

struct StressRunner::Parts {
    std::vector<MorphoMarketStress> morpho;
    std::vector<AavePoolStress> aave;
};

StressRunner::StressRunner(const StressBook& book, const StressOptions& options)
    : book_(&book), options_(options), parts_(std::make_unique<Parts>()) {
    parts_->morpho.reserve(book.morpho_markets.size());
    for (const auto& m : book.morpho_markets) parts_->morpho.emplace_back(m, options.list_accounts);
    parts_->aave.reserve(book.aave_pools.size());
    for (const auto& p : book.aave_pools) parts_->aave.emplace_back(p, options.list_accounts);
}

StressRunner::~StressRunner() = default;
StressRunner::StressRunner(StressRunner&&) noexcept = default;
StressRunner& StressRunner::operator=(StressRunner&&) noexcept = default;

void StressRunner::forget() {
    for (auto& m : parts_->morpho) m.forget();
    for (auto& p : parts_->aave) p.forget();
}

ScenarioOutcome StressRunner::run(const StressScenario& scenario) {
    ScenarioOutcome outcome;
    outcome.name = scenario.name;
    outcome.positions = book_->positions();
    std::map<Address, AssetTotals> totals;
    auto take = [&](const PartOutcome& part) {
        outcome.liquidatable += part.liquidatable;
        outcome.insolvent += part.insolvent;
        for (const auto& t : part.totals) {
            auto& sum = totals[t.asset];
            sum.asset = t.asset;
            sum.debt_repaid += t.debt_repaid;
            sum.collateral_seized += t.collateral_seized;
            sum.bad_debt += t.bad_debt;
        }
        if (options_.list_accounts) {
            for (const auto& p : part.accounts) {
                outcome.accounts.push_back(p);
                outcome.accounts.back().protocol = part.protocol;
                outcome.accounts.back().kind = part.kind;
                outcome.accounts.back().where = part.where;
            }
        }
    };
    std::vector<const PartOutcome*> parts;
    for (auto& m : parts_->morpho) m.under(scenario, parts);
    for (auto& p : parts_->aave) p.under(scenario, parts);
    for (const PartOutcome* part : parts) take(*part);
    for (auto& [asset, t] : totals)
        if (!t.debt_repaid.is_zero() || !t.collateral_seized.is_zero() || !t.bad_debt.is_zero())
            outcome.totals.push_back(t);
    return outcome;
}

Result<std::vector<ScenarioOutcome>> run_stress(const StressBook& book, std::span<const StressScenario> scenarios,
                                                const StressOptions& options) {
    for (const auto& s : scenarios)
        if (auto ok = validate_scenario(s); !ok) return std::unexpected(ok.error());
    StressRunner runner(book, options);
    std::vector<ScenarioOutcome> out;
    out.reserve(scenarios.size());
    for (const auto& scenario : scenarios) out.push_back(runner.run(scenario));
    return out;
}

}  // namespace keeper::margin::stress

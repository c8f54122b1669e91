#include "keeper/daemon/stress_report.hpp"

#include <cstdio>

#include "margin/stress_grid.hpp"
#include "protocols/health_text.hpp"

namespace keeper::app {
namespace {

using margin::stress::ScenarioOutcome;
using margin::stress::StressScenario;

std::string label_of(const StressReportContext& context, const Address& asset) {
    const auto it = context.labels.find(asset);
    return it != context.labels.end() ? it->second : asset.checksummed().substr(0, 10);
}

nlohmann::json asset_json(const StressReportContext& context, const Address& asset) {
    nlohmann::json j = {{"asset", asset.checksummed()}};
    if (const auto it = context.labels.find(asset); it != context.labels.end()) j["label"] = it->second;
    return j;
}

}  // namespace

nlohmann::json stress_scenario_json(const StressReportContext& context, const StressScenario& scenario,
                                    const ScenarioOutcome& outcome) {
    nlohmann::json j;
    j["block"] = context.block;
    j["scenario"] = scenario.name;
    nlohmann::json shocks = nlohmann::json::array();
    for (const auto& s : scenario.shocks) {
        auto shock = asset_json(context, s.asset);
        shock["move_bps"] = s.move_bps;
        shocks.push_back(std::move(shock));
    }
    j["shocks"] = std::move(shocks);
    j["positions"] = outcome.positions;
    j["liquidatable"] = outcome.liquidatable;
    j["insolvent"] = outcome.insolvent;
    // The oracle answers the scenario stands for: what a test (or an operator
    // on a fork) sets to see it happen.
    nlohmann::json prices = nlohmann::json::array();
    if (context.book != nullptr) {
        for (const auto& m : context.book->morpho_markets)
            prices.push_back({{"protocol", "morpho-blue"},
                              {"market", m.id.hex()},
                              {"price_1e36", margin::stress::shocked_morpho_price(
                                                 m.price_1e36, scenario.move_bps_of(m.params.collateral_token),
                                                 scenario.move_bps_of(m.params.loan_token))
                                                 .to_dec()}});
    }
    j["morpho_prices"] = std::move(prices);
    nlohmann::json totals = nlohmann::json::array();
    for (const auto& t : outcome.totals) {
        auto row = asset_json(context, t.asset);
        row["debt_repaid"] = t.debt_repaid.to_dec();
        row["collateral_seized"] = t.collateral_seized.to_dec();
        row["bad_debt"] = t.bad_debt.to_dec();
        totals.push_back(std::move(row));
    }
    j["totals"] = std::move(totals);
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : outcome.accounts) {
        nlohmann::json row;
        row["protocol"] = a.kind;
        row["deployment"] = a.protocol;
        row[a.kind == "morpho-blue" ? "market" : "pool"] = a.where;
        row["account"] = a.account.checksummed();
        row["health"] = protocols::wad_to_decimal(a.health_wad);
        row["insolvent"] = a.insolvent;
        row["debt_asset"] = a.debt_asset.checksummed();
        row["debt_repaid"] = a.debt_repaid.to_dec();
        row["collateral_asset"] = a.collateral_asset.checksummed();
        row["collateral_seized"] = a.collateral_seized.to_dec();
        nlohmann::json bad = nlohmann::json::array();
        for (const auto& b : a.bad_debt)
            bad.push_back({{"asset", b.asset.checksummed()}, {"amount", b.amount.to_dec()}});
        row["bad_debt"] = std::move(bad);
        if (!a.error.empty()) row["error"] = a.error;
        accounts.push_back(std::move(row));
    }
    j["accounts"] = std::move(accounts);
    return j;
}

std::string stress_table(const StressReportContext& context, const std::vector<StressScenario>& scenarios,
                         const std::vector<ScenarioOutcome>& outcomes, std::size_t account_rows) {
    std::string out;
    char line[512];
    const std::size_t positions = outcomes.empty() ? 0 : outcomes.front().positions;
    std::snprintf(line, sizeof line, "block %llu: %zu positions with debt, %zu scenarios\n",
                  static_cast<unsigned long long>(context.block), positions, scenarios.size());
    out += line;
    for (const auto& key : context.unmodelled) out += "left out (no stress model yet): " + key + "\n";
    std::snprintf(line, sizeof line, "%-28s %12s %9s  %s\n", "scenario", "liquidatable", "insolvent",
                  "per asset, token units: repaid / seized / bad debt");
    out += line;
    for (std::size_t i = 0; i < outcomes.size() && i < scenarios.size(); ++i) {
        const auto& o = outcomes[i];
        std::string amounts;
        for (const auto& t : o.totals) {
            if (!amounts.empty()) amounts += "; ";
            amounts += label_of(context, t.asset) + " " + t.debt_repaid.to_dec() + " / " +
                       t.collateral_seized.to_dec() + " / " + t.bad_debt.to_dec();
        }
        std::snprintf(line, sizeof line, "%-28s %12zu %9zu  ", scenarios[i].name.c_str(), o.liquidatable, o.insolvent);
        out += line + amounts + "\n";
    }
    for (std::size_t i = 0; i < outcomes.size() && i < scenarios.size(); ++i) {
        const auto& o = outcomes[i];
        if (o.accounts.empty() || account_rows == 0) continue;
        out += "\n" + scenarios[i].name + ": liquidatable\n";
        std::size_t shown = 0;
        for (const auto& a : o.accounts) {
            if (shown++ == account_rows) {
                out += "  ... " + std::to_string(o.accounts.size() - account_rows) + " more (--json lists all)\n";
                break;
            }
            std::snprintf(line, sizeof line, "  %-12s %-10s %s health %s%s\n", a.kind.c_str(),
                          a.where.substr(0, 10).c_str(), a.account.checksummed().c_str(),
                          protocols::wad_to_decimal(a.health_wad).c_str(), a.insolvent ? " INSOLVENT" : "");
            out += line;
            if (!a.error.empty()) {
                out += "    liquidation reverts: " + a.error + "\n";
                continue;
            }
            out += "    repay " + a.debt_repaid.to_dec() + " " + label_of(context, a.debt_asset) + ", seize " +
                   a.collateral_seized.to_dec() + " " + label_of(context, a.collateral_asset);
            for (const auto& b : a.bad_debt)
                out += ", bad debt " + b.amount.to_dec() + " " + label_of(context, b.asset);
            out += "\n";
        }
    }
    return out;
}

}  // namespace keeper::app

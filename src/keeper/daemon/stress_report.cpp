#include "keeper/daemon/stress_report.hpp"

#include <cmath>
#include <cstdio>

#include "margin/stress_grid.hpp"
#include "protocols/health_text.hpp"

namespace keeper::app {

std::string label_of(const StressReportContext& context, const Address& asset) {
    const auto it = context.labels.find(asset);
    return it != context.labels.end() ? it->second : asset.checksummed().substr(0, 10);
}
namespace {

using margin::stress::ScenarioOutcome;
using margin::stress::StressScenario;

nlohmann::json asset_json(const StressReportContext& context, const Address& asset) {
    nlohmann::json j = {{"asset", asset.checksummed()}};
    if (const auto it = context.labels.find(asset); it != context.labels.end()) j["label"] = it->second;
    return j;
}

nlohmann::json account_json(const margin::stress::StressedPosition& a) {
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
    for (const auto& b : a.bad_debt) bad.push_back({{"asset", b.asset.checksummed()}, {"amount", b.amount.to_dec()}});
    row["bad_debt"] = std::move(bad);
    if (!a.error.empty()) row["error"] = a.error;
    return row;
}

nlohmann::json moves_json(const StressReportContext& context, const std::vector<margin::stress::AssetShock>& moves) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : moves) {
        auto row = asset_json(context, m.asset);
        row["move_bps"] = m.move_bps;
        out.push_back(std::move(row));
    }
    return out;
}

nlohmann::json totals_json(const StressReportContext& context, const std::vector<margin::stress::AssetTotals>& totals) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : totals) {
        auto row = asset_json(context, t.asset);
        row["debt_repaid"] = t.debt_repaid.to_dec();
        row["collateral_seized"] = t.collateral_seized.to_dec();
        row["bad_debt"] = t.bad_debt.to_dec();
        out.push_back(std::move(row));
    }
    return out;
}

nlohmann::json summary_json(const margin::stress::DistributionSummary& s) {
    return {{"mean", s.mean},
            {"var_95", s.at_95.var},
            {"es_95", s.at_95.es},
            {"var_99", s.at_99.var},
            {"es_99", s.at_99.es}};
}

nlohmann::json addresses_json(const std::vector<Address>& assets) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : assets) out.push_back(a.checksummed());
    return out;
}

// "$1,670,146": whole dollars with thousands separators, for the table.
std::string dollars(double usd) {
    const long long whole = std::llround(usd);
    std::string digits = std::to_string(whole < 0 ? -whole : whole);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return (whole < 0 ? "-$" : "$") + digits;
}

std::string moves_text(const StressReportContext& context, const std::vector<margin::stress::AssetShock>& moves) {
    std::string out;
    for (const auto& m : moves) {
        if (!out.empty()) out += ", ";
        out += label_of(context, m.asset) + " " + margin::stress::move_text(m.move_bps);
    }
    return out.empty() ? "unmoved" : out;
}

}  // namespace

nlohmann::json stress_cascade_json(const StressReportContext& context, const margin::stress::CascadeOutcome& cascade) {
    nlohmann::json rounds = nlohmann::json::array();
    for (const auto& r : cascade.rounds) {
        rounds.push_back({{"round", r.round},
                          {"moves", moves_json(context, r.moves)},
                          {"impact", moves_json(context, r.impact)},
                          {"liquidated", r.liquidated},
                          {"insolvent", r.insolvent},
                          {"volume_usd", r.volume_usd},
                          {"bad_debt_usd", r.bad_debt_usd},
                          {"totals", totals_json(context, r.totals)}});
        nlohmann::json accounts = nlohmann::json::array();
        for (const auto& p : r.positions) accounts.push_back(account_json(p));
        rounds.back()["accounts"] = std::move(accounts);
    }
    return {{"rounds", std::move(rounds)},
            {"stable", cascade.stable},
            {"liquidated", cascade.liquidated},
            {"insolvent", cascade.insolvent},
            {"volume_usd", cascade.volume_usd},
            {"bad_debt_usd", cascade.bad_debt_usd},
            {"final_moves", moves_json(context, cascade.final_moves)},
            {"totals", totals_json(context, cascade.totals)},
            {"unvalued", addresses_json(cascade.unvalued)}};
}

nlohmann::json stress_monte_carlo_json(const StressReportContext& context,
                                       const margin::stress::CovarianceSpec& covariance,
                                       const margin::stress::MonteCarloOutcome& outcome, std::size_t cascade_rounds) {
    nlohmann::json assets = nlohmann::json::array();
    for (std::size_t i = 0; i < covariance.assets.size(); ++i) {
        auto row = asset_json(context, covariance.assets[i]);
        row["daily_vol"] = i < covariance.daily_vol.size() ? covariance.daily_vol[i] : 0.0;
        assets.push_back(std::move(row));
    }
    const std::size_t n = covariance.assets.size();
    nlohmann::json correlation = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (std::size_t j = 0; j < n && i * n + j < covariance.correlation.size(); ++j)
            row.push_back(covariance.correlation[i * n + j]);
        correlation.push_back(std::move(row));
    }
    return {{"kind", "monte_carlo"},
            {"block", context.block},
            {"positions", context.book != nullptr ? context.book->positions() : 0},
            {"seed", outcome.seed},
            {"draws", outcome.draws},
            {"horizon_days", 1},
            {"cascade_rounds", cascade_rounds},
            {"assets", std::move(assets)},
            {"correlation", std::move(correlation)},
            {"bad_debt_usd", summary_json(outcome.bad_debt)},
            {"liquidation_volume_usd", summary_json(outcome.volume)},
            {"liquidated", summary_json(outcome.liquidations)},
            {"unvalued", addresses_json(outcome.unvalued)}};
}

std::string stress_cascade_table(const StressReportContext& context, const std::vector<StressScenario>& scenarios,
                                 const std::vector<margin::stress::CascadeOutcome>& cascades) {
    std::string out;
    char line[512];
    for (std::size_t i = 0; i < cascades.size() && i < scenarios.size(); ++i) {
        const auto& c = cascades[i];
        if (c.liquidated == 0) continue;
        if (out.empty()) out = "\ncascade (price impact of the collateral sold each round):\n";
        std::snprintf(line, sizeof line, "%s: %zu rounds, %s; %zu liquidated, volume %s, bad debt %s\n",
                      scenarios[i].name.c_str(), c.rounds.size(), c.stable ? "stable" : "round cap reached",
                      c.liquidated, dollars(c.volume_usd).c_str(), dollars(c.bad_debt_usd).c_str());
        out += line;
        for (const auto& r : c.rounds) {
            std::snprintf(line, sizeof line, "  round %-2zu %-32s liquidated %6zu  volume %15s  bad debt %12s", r.round,
                          moves_text(context, r.moves).c_str(), r.liquidated, dollars(r.volume_usd).c_str(),
                          dollars(r.bad_debt_usd).c_str());
            out += line;
            if (!r.impact.empty()) out += "  -> impact " + moves_text(context, r.impact);
            out += "\n";
        }
        if (!c.unvalued.empty()) {
            out += "  not in the USD figures (no [valuation]):";
            for (const auto& a : c.unvalued) out += " " + label_of(context, a);
            out += "\n";
        }
    }
    return out;
}

std::string stress_monte_carlo_table(const StressReportContext& context,
                                     const margin::stress::CovarianceSpec& covariance,
                                     const margin::stress::MonteCarloOutcome& outcome) {
    std::string out = "\nMonte-Carlo, one day: " + std::to_string(outcome.draws) + " draws, seed " +
                      std::to_string(outcome.seed) + ", daily vol";
    for (std::size_t i = 0; i < covariance.assets.size() && i < covariance.daily_vol.size(); ++i) {
        char vol[32];
        std::snprintf(vol, sizeof vol, " %.2f%%", covariance.daily_vol[i] * 100.0);
        out += " " + label_of(context, covariance.assets[i]) + vol;
    }
    out += "\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-24s %14s %14s %14s %14s %14s\n", "", "mean", "VaR 95%", "ES 95%", "VaR 99%",
                  "ES 99%");
    out += line;
    const auto row = [&](const char* name, const margin::stress::DistributionSummary& s, bool usd) {
        const auto f = [&](double v) {
            if (usd) return dollars(v);
            char text[32];
            std::snprintf(text, sizeof text, "%.1f", v);
            return std::string(text);
        };
        std::snprintf(line, sizeof line, "  %-24s %14s %14s %14s %14s %14s\n", name, f(s.mean).c_str(),
                      f(s.at_95.var).c_str(), f(s.at_95.es).c_str(), f(s.at_99.var).c_str(), f(s.at_99.es).c_str());
        out += line;
    };
    row("bad debt", outcome.bad_debt, true);
    row("liquidation volume", outcome.volume, true);
    row("positions liquidated", outcome.liquidations, false);
    if (!outcome.unvalued.empty()) {
        out += "  not in the USD figures (no [valuation]):";
        for (const auto& a : outcome.unvalued) out += " " + label_of(context, a);
        out += "\n";
    }
    return out;
}

nlohmann::json stress_scenario_json(const StressReportContext& context, const StressScenario& scenario,
                                    const ScenarioOutcome& outcome) {
    nlohmann::json j;
    j["kind"] = "scenario";
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
    static const margin::stress::Valuations kNoValuations;
    const auto capital = margin::stress::capital_needed(
        scenario, outcome, context.valuations != nullptr ? *context.valuations : kNoValuations, context.capital);
    nlohmann::json accounts = nlohmann::json::array();
    for (std::size_t i = 0; i < outcome.accounts.size(); ++i) {
        auto row = account_json(outcome.accounts[i]);
        if (i < capital.accounts.size() && outcome.accounts[i].error.empty()) {
            const auto& c = capital.accounts[i];
            row["flash_premium"] = c.flash_premium.to_dec();
            if (const auto* profit = c.profit_usd ? &*c.profit_usd : nullptr) {
                row["profit_after_premium_usd"] = *profit;
                row["profitable"] = *profit > 0.0;
            }
        }
        accounts.push_back(std::move(row));
    }
    j["accounts"] = std::move(accounts);
    j["capital"] = stress_capital_json(context, capital);
    return j;
}

nlohmann::json stress_capital_json(const StressReportContext& context, const margin::stress::ScenarioCapital& capital) {
    nlohmann::json assets = nlohmann::json::array();
    for (const auto& a : capital.assets) {
        auto row = asset_json(context, a.asset);
        row["own_funds"] = a.own_funds.to_dec();
        row["flash_premium"] = a.flash_premium.to_dec();
        if (a.own_funds_usd && a.flash_premium_usd) {
            row["own_funds_usd"] = *a.own_funds_usd;
            row["flash_premium_usd"] = *a.flash_premium_usd;
        }
        assets.push_back(std::move(row));
    }
    return nlohmann::json{{"flash_premium_bps", context.capital.flash_premium_bps},
                          {"assets", std::move(assets)},
                          {"own_funds_usd", capital.own_funds_usd},
                          {"flash_premium_usd", capital.flash_premium_usd},
                          {"unvalued", addresses_json(capital.unvalued)},
                          {"profitable", capital.profitable},
                          {"unprofitable", capital.unprofitable},
                          {"unjudged", capital.unjudged}};
}

std::string stress_capital_table(const StressReportContext& context, const std::vector<StressScenario>& scenarios,
                                 const std::vector<ScenarioOutcome>& outcomes) {
    static const margin::stress::Valuations kNoValuations;
    std::string out;
    for (std::size_t i = 0; i < outcomes.size() && i < scenarios.size(); ++i) {
        if (outcomes[i].accounts.empty()) continue;
        const auto capital = margin::stress::capital_needed(
            scenarios[i], outcomes[i], context.valuations != nullptr ? *context.valuations : kNoValuations,
            context.capital);
        if (capital.assets.empty()) continue;
        std::string own, flash;
        for (const auto& a : capital.assets) {
            const std::string label = label_of(context, a.asset);
            own.append(own.empty() ? "" : ", ").append(label).append(" ").append(a.own_funds.to_dec());
            flash.append(flash.empty() ? "" : ", ").append(label).append(" ").append(a.flash_premium.to_dec());
        }
        const bool usd = capital.unvalued.empty() && capital.unjudged == 0;
        out.append("  ").append(scenarios[i].name).append(": own funds ").append(own);
        if (usd) out.append(" (").append(dollars(capital.own_funds_usd)).append(")");
        out.append("; flash loans: premium ").append(flash);
        if (usd) out.append(" (").append(dollars(capital.flash_premium_usd)).append(")");
        out.append("; ")
            .append(std::to_string(capital.profitable))
            .append(" of ")
            .append(std::to_string(capital.profitable + capital.unprofitable + capital.unjudged))
            .append(" liquidations profitable after the premium");
        if (capital.unjudged > 0)
            out.append(" (").append(std::to_string(capital.unjudged)).append(" without [valuation])");
        out.append("\n");
    }
    if (out.empty()) return out;
    return "\nkeeper capital to clear each scenario in one round (own funds vs flash loans at " +
           std::to_string(context.capital.flash_premium_bps) + " bps; gas not counted):\n" + out;
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

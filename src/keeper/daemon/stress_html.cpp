#include "keeper/daemon/stress_html.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "keeper/daemon/derivatives_html.hpp"
#include "keeper/daemon/stress_svg.hpp"
#include "margin/stress_grid.hpp"

namespace keeper::app {
namespace {

using margin::stress::AssetTotals;
using margin::stress::ScenarioOutcome;
using margin::stress::StressScenario;

enum class Amount { debt_repaid, bad_debt };

const U256& amount_of(const AssetTotals& t, Amount which) {
    return which == Amount::debt_repaid ? t.debt_repaid : t.bad_debt;
}

// The scenario's amounts in USD at its prices, or nullopt when an asset with
// an amount has no valuation.
std::optional<double> usd_of(const StressHtmlInput& in, const StressScenario& scenario, const ScenarioOutcome& outcome,
                             Amount which) {
    double sum = 0.0;
    for (const auto& t : outcome.totals) {
        const U256& amount = amount_of(t, which);
        if (amount.is_zero()) continue;
        if (in.valuations == nullptr) return std::nullopt;
        const auto it = in.valuations->find(t.asset);
        if (it == in.valuations->end()) return std::nullopt;
        sum += margin::stress::usd_value(amount, it->second, scenario.move_bps_of(t.asset));
    }
    return sum;
}

// Each asset's ladder: the scenarios moving that asset alone, plus the
// unmoved book at 0. In USD when every point can be valued, else in counts.
std::string ladder_chart(const StressHtmlInput& in, Amount which, const char* const* palette, std::size_t palette_size,
                         const std::string& usd_label, const std::string& count_label) {
    const auto& scenarios = *in.scenarios;
    const auto& outcomes = *in.outcomes;
    std::map<Address, std::vector<std::size_t>> by_asset;
    std::vector<std::size_t> unmoved;
    for (std::size_t i = 0; i < scenarios.size() && i < outcomes.size(); ++i) {
        if (scenarios[i].shocks.empty()) unmoved.push_back(i);
        if (scenarios[i].shocks.size() == 1) by_asset[scenarios[i].shocks[0].asset].push_back(i);
    }
    if (by_asset.empty()) return "<p class=\"none\">No single-asset scenarios (the ladder) to chart.</p>\n";
    bool usd = true;
    for (const auto& [asset, list] : by_asset)
        for (const std::size_t i : list) usd = usd && usd_of(in, scenarios[i], outcomes[i], which).has_value();
    const auto y_of = [&](std::size_t i) {
        if (usd) return usd_of(in, scenarios[i], outcomes[i], which).value_or(0.0);
        return static_cast<double>(which == Amount::debt_repaid ? outcomes[i].liquidatable : outcomes[i].insolvent);
    };
    std::vector<svg::Series> series;
    for (const auto& [asset, list] : by_asset) {
        svg::Series s;
        s.name = label_of(*in.context, asset);
        s.color = palette[series.size() % palette_size];
        for (const std::size_t i : list) s.points.emplace_back(scenarios[i].shocks[0].move_bps / 100.0, y_of(i));
        if (!unmoved.empty()) s.points.emplace_back(0.0, y_of(unmoved.front()));
        std::sort(s.points.begin(), s.points.end());
        series.push_back(std::move(s));
    }
    return svg::line_chart(series, "price move of the asset (%)", usd ? usd_label : count_label);
}

std::string cascade_chart(const StressHtmlInput& in) {
    if (in.cascades == nullptr) return "<p class=\"none\">No [cascade] in the scenario file: no cascade run.</p>\n";
    const auto& cascades = *in.cascades;
    std::size_t best = cascades.size();
    for (std::size_t i = 0; i < cascades.size(); ++i) {
        if (cascades[i].liquidated == 0) continue;
        if (best == cascades.size() || cascades[i].volume_usd > cascades[best].volume_usd ||
            (cascades[i].volume_usd == cascades[best].volume_usd &&
             cascades[i].rounds.size() > cascades[best].rounds.size()))
            best = i;
    }
    if (best == cascades.size()) return "<p class=\"none\">No scenario liquidates anything: no cascade.</p>\n";
    const auto& c = cascades[best];
    bool usd = false;
    for (const auto& r : c.rounds) usd = usd || r.volume_usd > 0.0;
    std::vector<std::string> labels;
    std::vector<double> values;
    std::string rows;
    for (const auto& r : c.rounds) {
        labels.push_back("round " + std::to_string(r.round));
        values.push_back(usd ? r.volume_usd : static_cast<double>(r.liquidated));
        std::string moves, impact;
        for (const auto& m : r.moves)
            moves += (moves.empty() ? "" : ", ") + label_of(*in.context, m.asset) + " " +
                     margin::stress::move_text(m.move_bps);
        for (const auto& m : r.impact)
            impact += (impact.empty() ? "" : ", ") + label_of(*in.context, m.asset) + " " +
                      margin::stress::move_text(m.move_bps);
        char line[160];
        std::snprintf(line, sizeof line, "</td><td>%zu</td><td>%s</td><td>%s</td><td>", r.liquidated,
                      svg::compact(r.volume_usd).c_str(), svg::compact(r.bad_debt_usd).c_str());
        rows += "<tr><td>" + std::to_string(r.round) + "</td><td>" + svg::escape(moves.empty() ? "unmoved" : moves) +
                line + svg::escape(impact) + "</td></tr>\n";
    }
    std::string out = "<p>Scenario <b>" + svg::escape((*in.scenarios)[best].name) +
                      "</b>: " + std::to_string(c.rounds.size()) + " rounds, " +
                      (c.stable ? "stable" : "stopped by the round cap") + ", " + std::to_string(c.liquidated) +
                      " positions liquidated.</p>\n";
    out += svg::bar_chart(labels, values, svg::kCascadeColor,
                          usd ? "collateral sold (USD)" : "positions liquidated (no [valuation])");
    out +=
        "<table><tr><th>round</th><th>moves</th><th>liquidated</th><th>volume (USD)</th><th>bad debt (USD)</th>"
        "<th>impact for the next round</th></tr>\n" +
        rows + "</table>\n";
    return out;
}

std::string monte_carlo_section(const StressHtmlInput& in) {
    if (in.monte_carlo == nullptr)
        return "<p class=\"none\">No [covariance] in the scenario file: no Monte-Carlo run.</p>\n";
    const auto& mc = *in.monte_carlo;
    std::string out = "<p>" + std::to_string(mc.draws) + " draws of one day's returns, seed " +
                      std::to_string(mc.seed) + ".</p>\n";
    const auto summary_row = [](const char* name, const margin::stress::DistributionSummary& s) {
        return std::string("<tr><td>") + name + "</td><td>" + svg::compact(s.mean) + "</td><td>" +
               svg::compact(s.at_95.var) + "</td><td>" + svg::compact(s.at_95.es) + "</td><td>" +
               svg::compact(s.at_99.var) + "</td><td>" + svg::compact(s.at_99.es) + "</td></tr>\n";
    };
    out += "<table><tr><th></th><th>mean</th><th>VaR 95%</th><th>ES 95%</th><th>VaR 99%</th><th>ES 99%</th></tr>\n" +
           summary_row("liquidation volume (USD)", mc.volume) + summary_row("bad debt (USD)", mc.bad_debt) +
           summary_row("positions liquidated", mc.liquidations) + "</table>\n";
    const auto markers = [](const margin::stress::DistributionSummary& s) {
        return std::vector<svg::Marker>{{"VaR 95% " + svg::compact(s.at_95.var), svg::kVar95Color, s.at_95.var},
                                        {"VaR 99% " + svg::compact(s.at_99.var), svg::kVar99Color, s.at_99.var}};
    };
    out += "<h3>Liquidation volume per draw</h3>\n" +
           svg::histogram(mc.volume_usd, 40, svg::kHistogramColor, markers(mc.volume), "liquidation volume (USD)");
    out += "<h3>Bad debt per draw</h3>\n" +
           svg::histogram(mc.bad_debt_usd, 40, svg::kHistogramColor, markers(mc.bad_debt), "bad debt (USD)");
    return out;
}

std::string scenario_table(const StressHtmlInput& in) {
    std::string out = "<table><tr><th>scenario</th><th>liquidatable</th><th>insolvent</th>";
    if (in.cascades != nullptr)
        out += "<th>cascade rounds</th><th>cascade liquidated</th><th>cascade volume (USD)</th>";
    out += "</tr>\n";
    for (std::size_t i = 0; i < in.scenarios->size() && i < in.outcomes->size(); ++i) {
        const auto& o = (*in.outcomes)[i];
        out += "<tr><td>" + svg::escape((*in.scenarios)[i].name) + "</td><td>" + std::to_string(o.liquidatable) +
               "</td><td>" + std::to_string(o.insolvent) + "</td>";
        if (in.cascades != nullptr && i < in.cascades->size()) {
            const auto& c = (*in.cascades)[i];
            out += "<td>" + std::to_string(c.rounds.size()) + "</td><td>" + std::to_string(c.liquidated) + "</td><td>" +
                   svg::compact(c.volume_usd) + "</td>";
        }
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

}  // namespace

std::string stress_html(const StressHtmlInput& in) {
    const StressReportContext& context = *in.context;
    const std::size_t positions = context.book != nullptr ? context.book->positions() : 0;
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>margin-keeper stress, block " +
        std::to_string(context.block) +
        "</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 16px; color: #222222; background: #ffffff; }\n"
        "svg.chart { display: block; margin: 8px 0 16px 0; font-size: 12px; }\n"
        "table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }\n"
        "td, th { border: 1px solid #cccccc; padding: 2px 8px; text-align: right; }\n"
        "td:first-child { text-align: left; }\n"
        "p.none { color: #777777; font-style: italic; }\n"
        "</style>\n</head>\n<body>\n"
        "<h1>Stress report, block " +
        std::to_string(context.block) + "</h1>\n<p>" + std::to_string(positions) + " positions with debt, " +
        std::to_string(in.scenarios->size()) + " scenarios.";
    for (const auto& key : context.unmodelled) out += " Left out (no stress model yet): " + svg::escape(key) + ".";
    out += "</p>\n";
    out += "<section id=\"debt-vs-shock\">\n<h2>Debt repaid by liquidations vs shock</h2>\n" +
           ladder_chart(in, Amount::debt_repaid, svg::kDebtPalette, std::size(svg::kDebtPalette), "debt repaid (USD)",
                        "positions liquidatable (no [valuation])") +
           "</section>\n";
    out += "<section id=\"bad-debt-vs-shock\">\n<h2>Bad debt vs shock</h2>\n" +
           ladder_chart(in, Amount::bad_debt, svg::kBadDebtPalette, std::size(svg::kBadDebtPalette), "bad debt (USD)",
                        "positions insolvent (no [valuation])") +
           "</section>\n";
    out += "<section id=\"cascade-rounds\">\n<h2>Liquidation cascade</h2>\n" + cascade_chart(in) + "</section>\n";
    out += "<section id=\"var-histogram\">\n<h2>Monte-Carlo, one day: VaR and Expected Shortfall</h2>\n" +
           monte_carlo_section(in) + "</section>\n";
    out += "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n" + scenario_table(in) + "</section>\n";
    if (in.derivatives != nullptr) out += derivatives_html_sections(*in.derivatives);
    return out + "</body>\n</html>\n";
}

}  // namespace keeper::app

#include "keeper/daemon/derivatives_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "keeper/daemon/stress_svg.hpp"

namespace keeper::app {
namespace derivatives_page {

// Accounts charted: beyond a few dozen the bars are too thin to read; the table lists all.
constexpr std::size_t kChartedAccounts = 24;

std::vector<std::size_t> by_portfolio_requirement(const margin::derivatives::DerivativesReport& r) {
    std::vector<std::size_t> order(r.accounts.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return r.accounts[x].requirement_usd.portfolio > r.accounts[y].requirement_usd.portfolio;
    });
    return order;
}

std::string requirements_chart(const DerivativesContext& c, const std::vector<std::size_t>& order) {
    const auto& r = *c.report;
    if (r.accounts.empty()) return "<p class=\"none\">No accounts in the book.</p>\n";
    std::vector<std::string> labels;
    std::vector<svg::BarSeries> series{{"isolated", svg::kIsolatedColor, {}},
                                       {"cross", svg::kCrossColor, {}},
                                       {"portfolio", svg::kPortfolioColor, {}}};
    for (std::size_t i = 0; i < order.size() && i < kChartedAccounts; ++i) {
        const auto& a = r.accounts[order[i]];
        const std::string& name = c.book->accounts[a.account].name;
        labels.push_back(name.size() > 12 ? name.substr(0, 11) + "~" : name);
        series[0].values.push_back(a.requirement_usd.isolated);
        series[1].values.push_back(a.requirement_usd.cross);
        series[2].values.push_back(a.requirement_usd.portfolio);
    }
    std::string out;
    if (order.size() > kChartedAccounts)
        out += "<p>The " + std::to_string(kChartedAccounts) + " largest portfolio requirements of " +
               std::to_string(order.size()) + " accounts.</p>\n";
    return out + svg::grouped_bar_chart(labels, series, "requirement (USD)");
}

std::string pnl_chart(const DerivativesContext& c) {
    const auto& r = *c.report;
    if (r.underlyings.empty() || r.scenarios.empty()) return "<p class=\"none\">No positions.</p>\n";
    // The vol shift nearest none: the curve is the price move's alone.
    double shift = r.scenarios.front().vol_shift_abs;
    for (const auto& s : r.scenarios)
        if (std::fabs(s.vol_shift_abs) < std::fabs(shift)) shift = s.vol_shift_abs;
    std::vector<svg::Series> series;
    for (const auto& b : r.underlyings) {
        svg::Series s;
        s.name = c.book->underlyings[b.underlying].name;
        s.color = svg::kPnlPalette[series.size() % std::size(svg::kPnlPalette)];
        for (const auto& p : b.pnl)
            if (p.vol_shift_abs == shift) s.points.emplace_back(p.spot_move_fraction * 100.0, p.pnl_usd);
        series.push_back(std::move(s));
    }
    char note[96];
    std::snprintf(note, sizeof note, "<p>Vol shift %+g points; one day of time decay in every point.</p>\n",
                  std::round(shift * 100.0 * 1e6) / 1e6);
    return note + svg::line_chart(series, "move of the underlying (%)", "book P&L (USD)");
}

std::string accounts_table(const DerivativesContext& c, const std::vector<std::size_t>& order) {
    const auto& r = *c.report;
    std::string out =
        "<table><tr><th>account</th><th>equity</th><th>isolated</th><th>cross</th><th>portfolio</th>"
        "<th>excess (portfolio)</th><th>worst scenario</th><th>delta $</th><th>gamma $/1%</th><th>vega $/pt</th>"
        "<th>theta $/day</th></tr>\n";
    const auto cell = [](double v) { return "<td>" + svg::compact(v) + "</td>"; };
    for (const std::size_t i : order) {
        const auto& a = r.accounts[i];
        out += "<tr><td>" + svg::escape(c.book->accounts[a.account].name) + "</td>" + cell(a.equity_usd) +
               cell(a.requirement_usd.isolated) + cell(a.requirement_usd.cross) + cell(a.requirement_usd.portfolio) +
               cell(a.excess_usd.portfolio) + "<td>" + svg::escape(derivatives_worst_text(c, a)) + "</td>" +
               cell(a.greeks.delta_usd) + cell(a.greeks.gamma_usd_per_pct) + cell(a.greeks.vega_usd_per_vol_point) +
               cell(a.greeks.theta_usd_per_day) + "</tr>\n";
    }
    out += "<tr><th>total</th>" + cell(r.equity_usd) + cell(r.requirement_usd.isolated) +
           cell(r.requirement_usd.cross) + cell(r.requirement_usd.portfolio) +
           cell(r.equity_usd - r.requirement_usd.portfolio) + "<td></td>" + cell(r.greeks.delta_usd) +
           cell(r.greeks.gamma_usd_per_pct) + cell(r.greeks.vega_usd_per_vol_point) + cell(r.greeks.theta_usd_per_day) +
           "</tr>\n";
    return out + "</table>\n";
}

}  // namespace derivatives_page

std::string derivatives_html_sections(const DerivativesContext& c) {
    const auto& r = *c.report;
    const auto order = derivatives_page::by_portfolio_requirement(r);
    char summary[256];
    std::snprintf(summary, sizeof summary,
                  "<p>%zu accounts, %zu positions (%zu instruments), %zu scenarios: ", r.accounts.size(), r.positions,
                  r.instruments, r.scenarios.size());
    std::string out = "<section id=\"derivatives-requirements\">\n<h2>Derivatives book " + svg::escape(c.source) +
                      ": margin requirement by method</h2>\n" + summary + svg::escape(derivatives_grid_text(*c.book)) +
                      ". In deficit: isolated " + std::to_string(r.accounts_in_deficit[0]) + ", cross " +
                      std::to_string(r.accounts_in_deficit[1]) + ", portfolio " +
                      std::to_string(r.accounts_in_deficit[2]) + ".</p>\n" +
                      derivatives_page::requirements_chart(c, order) + "</section>\n";
    out += "<section id=\"derivatives-pnl\">\n<h2>Book P&amp;L vs the underlying's move</h2>\n" +
           derivatives_page::pnl_chart(c) + "</section>\n";
    out += "<section id=\"derivatives-accounts\">\n<h2>Accounts</h2>\n" + derivatives_page::accounts_table(c, order) +
           "</section>\n";
    return out;
}

std::string derivatives_html_page(const DerivativesContext& c) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>margin-keeper stress, "
           "derivatives " +
           svg::escape(c.source) +
           "</title>\n<style>\n"
           "body { font-family: sans-serif; margin: 16px; color: #222222; background: #ffffff; }\n"
           "svg.chart { display: block; margin: 8px 0 16px 0; font-size: 12px; }\n"
           "table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }\n"
           "td, th { border: 1px solid #cccccc; padding: 2px 8px; text-align: right; }\n"
           "td:first-child { text-align: left; }\n"
           "p.none { color: #777777; font-style: italic; }\n"
           "</style>\n</head>\n<body>\n<h1>Stress report: derivatives book</h1>\n" +
           derivatives_html_sections(c) + "</body>\n</html>\n";
}

}  // namespace keeper::app

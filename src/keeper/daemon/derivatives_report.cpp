#include "keeper/daemon/derivatives_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace keeper::app {
// Named, not anonymous, and no name shared with stress_report.cpp (same unity unit).
namespace derivatives_text {

using margin::derivatives::ByMethod;

// Grid moves as percent without the binary noise of 0.015 x 10 (1e-6 of a percent is plenty).
double percent(double fraction) { return std::round(fraction * 100.0 * 1e6) / 1e6; }

std::string whole_dollars(double usd) {
    const long long whole = std::llround(usd);
    std::string digits = std::to_string(whole < 0 ? -whole : whole);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return (whole < 0 ? "-$" : "$") + digits;
}

std::string signed_percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%+g%%", percent(fraction));
    return text;
}

nlohmann::json by_method(const ByMethod& m) {
    return nlohmann::json{{"isolated", m.isolated}, {"cross", m.cross}, {"portfolio", m.portfolio}};
}

nlohmann::json greeks_json(const margin::derivatives::AccountGreeks& g) {
    return nlohmann::json{{"delta_usd", g.delta_usd},
                          {"gamma_usd_per_pct", g.gamma_usd_per_pct},
                          {"vega_usd_per_vol_point", g.vega_usd_per_vol_point},
                          {"theta_usd_per_day", g.theta_usd_per_day}};
}

nlohmann::json underlying_greeks_json(const DerivativesContext& c, const margin::derivatives::UnderlyingGreeks& u) {
    return nlohmann::json{{"underlying", c.book->underlyings[u.underlying].name},
                          {"spot", u.spot},
                          {"delta", u.delta},
                          {"gamma", u.gamma},
                          {"vega_per_vol_point", u.vega / 100.0},
                          {"theta_per_day", u.theta / 365.0},
                          {"net_option_contracts", u.net_option_contracts}};
}

}  // namespace derivatives_text

std::string derivatives_grid_text(const margin::derivatives::DerivativesBook& book) {
    using namespace derivatives_text;  // local: unity units share namespace scope
    const auto& g = book.grid;
    std::string vols;
    for (const double v : g.vol_shifts_abs) {
        char text[24];
        std::snprintf(text, sizeof text, "%s%+g", vols.empty() ? "" : "/", percent(v));
        vols += text;
    }
    char line[160];
    std::snprintf(line, sizeof line, "spot +-%g%% in %u steps x vol %s points, %g day(s)",
                  percent(g.max_spot_move_fraction), g.spot_steps, vols.c_str(),
                  std::round(g.time_step_years * 365.0 * 1e6) / 1e6);
    return line;
}

std::string derivatives_worst_text(const DerivativesContext& c, const margin::derivatives::AccountReport& a) {
    using namespace derivatives_text;  // local: unity units share namespace scope
    std::string out;
    for (const auto& u : a.underlyings) {
        if (!(u.worst_loss_usd > 0.0)) continue;
        const auto& s = c.report->scenarios[u.worst_scenario];
        char vol[24];
        std::snprintf(vol, sizeof vol, " vol %+g", percent(s.vol_shift_abs));
        out += (out.empty() ? "" : "; ") + c.book->underlyings[u.underlying].name + " " +
               signed_percent(
                   margin::derivatives::scenario_move(*c.book, c.report->scenarios, u.underlying, u.worst_scenario)) +
               vol;
    }
    return out.empty() ? "no loss" : out;
}

nlohmann::json derivatives_account_json(const DerivativesContext& c, const margin::derivatives::AccountReport& a) {
    using namespace derivatives_text;  // local: unity units share namespace scope
    const auto& account = c.book->accounts[a.account];
    nlohmann::json worst = nlohmann::json::array();
    nlohmann::json underlyings = nlohmann::json::array();
    for (const auto& u : a.underlyings) {
        nlohmann::json j = underlying_greeks_json(c, u);
        j["worst_loss_usd"] = u.worst_loss_usd;
        underlyings.push_back(std::move(j));
        if (!(u.worst_loss_usd > 0.0)) continue;
        const auto& s = c.report->scenarios[u.worst_scenario];
        worst.push_back(nlohmann::json{
            {"underlying", c.book->underlyings[u.underlying].name},
            {"spot_move_percent",
             percent(margin::derivatives::scenario_move(*c.book, c.report->scenarios, u.underlying, u.worst_scenario))},
            {"vol_shift_points", percent(s.vol_shift_abs)},
            {"loss_usd", u.worst_loss_usd}});
    }
    const auto& p = a.portfolio;
    return nlohmann::json{{"kind", "derivatives"},
                          {"account", account.name},
                          {"positions", account.positions.size()},
                          {"cash_usd", account.cash_usd},
                          {"equity_usd", a.equity_usd},
                          {"requirement_usd", by_method(a.requirement_usd)},
                          {"excess_usd", by_method(a.excess_usd)},
                          {"portfolio",
                           {{"scan_loss_usd", p.scan_loss_usd},
                            {"offset_credit_usd", p.offset_credit_usd},
                            {"short_option_minimum_usd", p.short_option_minimum_usd},
                            {"gamma_charge_usd", p.gamma_charge_usd},
                            {"vega_charge_usd", p.vega_charge_usd}}},
                          {"worst_scenario", worst},
                          {"greeks", greeks_json(a.greeks)},
                          {"underlyings", underlyings}};
}

nlohmann::json derivatives_book_json(const DerivativesContext& c) {
    using namespace derivatives_text;  // local: unity units share namespace scope
    const auto& r = *c.report;
    nlohmann::json underlyings = nlohmann::json::array();
    for (const auto& b : r.underlyings) {
        nlohmann::json j = underlying_greeks_json(c, b.greeks);
        nlohmann::json pnl = nlohmann::json::array();
        for (const auto& point : b.pnl)
            pnl.push_back(nlohmann::json{{"spot_move_percent", percent(point.spot_move_fraction)},
                                         {"vol_shift_points", percent(point.vol_shift_abs)},
                                         {"pnl_usd", point.pnl_usd}});
        j["pnl"] = std::move(pnl);
        underlyings.push_back(std::move(j));
    }
    return nlohmann::json{{"kind", "derivatives_book"},
                          {"source", c.source},
                          {"accounts", r.accounts.size()},
                          {"positions", r.positions},
                          {"instruments", r.instruments},
                          {"scenarios", r.scenarios.size()},
                          {"equity_usd", r.equity_usd},
                          {"requirement_usd", by_method(r.requirement_usd)},
                          {"deficit_usd", by_method(r.deficit_usd)},
                          {"accounts_in_deficit",
                           {{"isolated", r.accounts_in_deficit[0]},
                            {"cross", r.accounts_in_deficit[1]},
                            {"portfolio", r.accounts_in_deficit[2]}}},
                          {"greeks", greeks_json(r.greeks)},
                          {"underlyings", underlyings}};
}

std::string derivatives_table(const DerivativesContext& c, std::size_t account_rows) {
    using namespace derivatives_text;  // local: unity units share namespace scope
    const auto& r = *c.report;
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line,
                  "derivatives book %s: %zu accounts, %zu positions (%zu instruments), %zu scenarios: %s\n",
                  c.source.c_str(), r.accounts.size(), r.positions, r.instruments, r.scenarios.size(),
                  derivatives_grid_text(*c.book).c_str());
    out += line;
    std::snprintf(line, sizeof line, "%-20s %13s %13s %13s %13s %13s  %11s %11s %10s %11s  %s\n", "account", "equity",
                  "isolated", "cross", "portfolio", "excess (pm)", "delta $", "gamma $/1%", "vega $/pt", "theta $/day",
                  "worst scenario");
    out += line;
    std::vector<std::size_t> order(r.accounts.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return r.accounts[x].requirement_usd.portfolio > r.accounts[y].requirement_usd.portfolio;
    });
    const auto row = [&](const std::string& name, double equity, const ByMethod& req, double excess,
                         const margin::derivatives::AccountGreeks& g, const std::string& worst) {
        std::snprintf(line, sizeof line, "%-20s %13s %13s %13s %13s %13s  %11s %11s %10s %11s  %s\n",
                      name.substr(0, 20).c_str(), whole_dollars(equity).c_str(), whole_dollars(req.isolated).c_str(),
                      whole_dollars(req.cross).c_str(), whole_dollars(req.portfolio).c_str(),
                      whole_dollars(excess).c_str(), whole_dollars(g.delta_usd).c_str(),
                      whole_dollars(g.gamma_usd_per_pct).c_str(), whole_dollars(g.vega_usd_per_vol_point).c_str(),
                      whole_dollars(g.theta_usd_per_day).c_str(), worst.c_str());
        std::string text = line;
        while (text.size() > 1 && text[text.size() - 2] == ' ') text.erase(text.size() - 2, 1);  // no trailing blanks
        out += text;
    };
    for (std::size_t shown = 0; shown < order.size(); ++shown) {
        if (shown == account_rows) {
            out += "... " + std::to_string(order.size() - account_rows) + " more accounts (--json lists all)\n";
            break;
        }
        const auto& a = r.accounts[order[shown]];
        row(c.book->accounts[a.account].name, a.equity_usd, a.requirement_usd, a.excess_usd.portfolio, a.greeks,
            derivatives_worst_text(c, a));
    }
    row("total", r.equity_usd, r.requirement_usd, r.equity_usd - r.requirement_usd.portfolio, r.greeks, "");
    std::snprintf(line, sizeof line, "in deficit: isolated %zu (%s), cross %zu (%s), portfolio %zu (%s)\n",
                  r.accounts_in_deficit[0], whole_dollars(r.deficit_usd.isolated).c_str(), r.accounts_in_deficit[1],
                  whole_dollars(r.deficit_usd.cross).c_str(), r.accounts_in_deficit[2],
                  whole_dollars(r.deficit_usd.portfolio).c_str());
    out += line;
    for (const auto& b : r.underlyings) {
        double worst = 0.0;
        std::size_t at = 0;
        for (std::size_t s = 0; s < b.pnl.size(); ++s)
            if (-b.pnl[s].pnl_usd > worst) worst = -b.pnl[s].pnl_usd, at = s;
        std::snprintf(line, sizeof line,
                      "  %-8s spot %-12g delta %-12.6g gamma %-12.6g vega/pt %-12.6g theta/day %-12.6g book's worst %s",
                      c.book->underlyings[b.underlying].name.c_str(), b.greeks.spot, b.greeks.delta, b.greeks.gamma,
                      b.greeks.vega / 100.0, b.greeks.theta / 365.0, whole_dollars(-worst).c_str());
        out += line;
        if (worst > 0.0)
            out +=
                " at " + signed_percent(b.pnl[at].spot_move_fraction) + " vol " +
                signed_percent(b.pnl[at].vol_shift_abs).substr(0, signed_percent(b.pnl[at].vol_shift_abs).size() - 1);
        out += "\n";
    }
    return out;
}

}  // namespace keeper::app

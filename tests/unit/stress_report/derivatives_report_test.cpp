// `stress --derivatives`: the JSON lines (fixed field names, README "Stress:
// derivatives books"), the table and the HTML page, on the worked book of
// derivatives_report_fixture.hpp.
#include <gtest/gtest.h>

#include "derivatives_report_fixture.hpp"
#include "keeper/daemon/stress_html.hpp"
#include "stress_report_fixture.hpp"
#include "keeper/daemon/stress_svg.hpp"

namespace keeper::app {
namespace derivatives_report_test {

using derivatives_report_fixture::DerivativesFixture;

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::string section_of(const std::string& page, const std::string& id) {
    const auto begin = page.find("<section id=\"" + id + "\">");
    if (begin == std::string::npos) return {};
    return page.substr(begin, page.find("</section>", begin) - begin);
}

TEST(DerivativesReport, AccountLineCarriesTheThreeMethodsWorstScenarioAndGreeks) {
    const DerivativesFixture f;
    const nlohmann::json j = derivatives_account_json(f.context(), f.report.accounts[2]);  // hedged
    EXPECT_EQ(j["kind"], "derivatives");
    EXPECT_EQ(j["account"], "hedged");
    EXPECT_EQ(j["positions"], 2);
    EXPECT_DOUBLE_EQ(j["cash_usd"].get<double>(), 20.0);
    EXPECT_DOUBLE_EQ(j["equity_usd"].get<double>(), 20.0);
    EXPECT_NEAR(j["requirement_usd"]["isolated"].get<double>(), 30.0, 1e-9);
    EXPECT_NEAR(j["requirement_usd"]["cross"].get<double>(), 30.0, 1e-9);
    EXPECT_NEAR(j["requirement_usd"]["portfolio"].get<double>(), 19.5, 1e-9);
    EXPECT_NEAR(j["excess_usd"]["portfolio"].get<double>(), 0.5, 1e-9);
    EXPECT_NEAR(j["portfolio"]["scan_loss_usd"].get<double>(), 30.0, 1e-9);
    EXPECT_NEAR(j["portfolio"]["offset_credit_usd"].get<double>(), 10.5, 1e-9);
    for (const char* key : {"short_option_minimum_usd", "gamma_charge_usd", "vega_charge_usd"})
        EXPECT_EQ(j["portfolio"][key], 0.0) << key;
    // X worst falling 15 % (vol -10), Y rising 15 % (vol -10: the first tied vol shift).
    ASSERT_EQ(j["worst_scenario"].size(), 2u);
    EXPECT_EQ(j["worst_scenario"][0]["underlying"], "X");
    EXPECT_DOUBLE_EQ(j["worst_scenario"][0]["spot_move_percent"].get<double>(), -15.0);
    EXPECT_DOUBLE_EQ(j["worst_scenario"][0]["vol_shift_points"].get<double>(), -10.0);
    EXPECT_NEAR(j["worst_scenario"][0]["loss_usd"].get<double>(), 15.0, 1e-9);
    EXPECT_EQ(j["worst_scenario"][1]["underlying"], "Y");
    EXPECT_DOUBLE_EQ(j["worst_scenario"][1]["spot_move_percent"].get<double>(), 15.0);
    // Greeks: 1 X (100 USD) against -10 Y (-100 USD).
    EXPECT_NEAR(j["greeks"]["delta_usd"].get<double>(), 0.0, 1e-12);
    for (const char* key : {"gamma_usd_per_pct", "vega_usd_per_vol_point", "theta_usd_per_day"})
        EXPECT_TRUE(j["greeks"].contains(key)) << key;
    ASSERT_EQ(j["underlyings"].size(), 2u);
    EXPECT_EQ(j["underlyings"][1]["underlying"], "Y");
    EXPECT_DOUBLE_EQ(j["underlyings"][1]["delta"].get<double>(), -10.0);
    EXPECT_DOUBLE_EQ(j["underlyings"][1]["spot"].get<double>(), 10.0);
    for (const char* key : {"gamma", "vega_per_vol_point", "theta_per_day", "net_option_contracts", "worst_loss_usd"})
        EXPECT_TRUE(j["underlyings"][1].contains(key)) << key;
    // One line, keys in alphabetical order (nlohmann's map).
    EXPECT_EQ(j.dump().find('\n'), std::string::npos);
    EXPECT_EQ(j.dump().rfind("{\"account\":\"hedged\",\"cash_usd\":20.0,", 0), 0u) << j.dump();
}

TEST(DerivativesReport, BookLineSumsTheAccountsAndCarriesThePnlCurve) {
    const DerivativesFixture f;
    const nlohmann::json j = derivatives_book_json(f.context());
    EXPECT_EQ(j["kind"], "derivatives_book");
    EXPECT_EQ(j["source"], "book.toml");
    EXPECT_EQ(j["accounts"], 4);
    EXPECT_EQ(j["positions"], 7);
    EXPECT_EQ(j["instruments"], 6);  // X perp is shared by two accounts
    EXPECT_EQ(j["scenarios"], 63);
    const double long_vol = f.report.accounts[3].requirement_usd.portfolio;
    EXPECT_GT(long_vol, 0.0);
    // 30 + 25 + 30 + long vol; 15 + 15 + 30 + long vol; 15 + 15 + 19.5 + long vol.
    EXPECT_NEAR(j["requirement_usd"]["isolated"].get<double>(), 85.0 + long_vol, 1e-9);
    EXPECT_NEAR(j["requirement_usd"]["cross"].get<double>(), 60.0 + long_vol, 1e-9);
    EXPECT_NEAR(j["requirement_usd"]["portfolio"].get<double>(), 49.5 + long_vol, 1e-9);
    // Deficits: covered call isolated (-5), hedged isolated and cross (-10 each).
    EXPECT_EQ(j["accounts_in_deficit"]["isolated"], 2);
    EXPECT_EQ(j["accounts_in_deficit"]["cross"], 1);
    EXPECT_EQ(j["accounts_in_deficit"]["portfolio"], 0);
    EXPECT_NEAR(j["deficit_usd"]["isolated"].get<double>(), 15.0, 1e-9);
    EXPECT_NEAR(j["deficit_usd"]["cross"].get<double>(), 10.0, 1e-9);
    ASSERT_EQ(j["underlyings"].size(), 2u);
    const auto& y = j["underlyings"][1];
    EXPECT_EQ(y["underlying"], "Y");
    ASSERT_EQ(y["pnl"].size(), 63u);
    EXPECT_DOUBLE_EQ(y["pnl"][20]["spot_move_percent"].get<double>(), 15.0);
    EXPECT_DOUBLE_EQ(y["pnl"][20]["vol_shift_points"].get<double>(), -10.0);
    EXPECT_NEAR(y["pnl"][20]["pnl_usd"].get<double>(), -15.0, 1e-9);  // short 10 Y at +15 %
}

TEST(DerivativesReport, TableHasOneRowPerAccountLargestFirstAndTheTotal) {
    const DerivativesFixture f;
    const std::string table = derivatives_table(f.context(), 20);
    EXPECT_EQ(table.rfind("derivatives book book.toml: 4 accounts, 7 positions (6 instruments), 63 scenarios: "
                          "spot +-15% in 21 steps x vol -10/+0/+10 points, 1 day(s)\n",
                          0),
              0u)
        << table;
    // hedged: equity $20, isolated $30, cross $30, portfolio $19.5, excess $0.5 (rounded to whole dollars).
    const auto hedged = table.find("\nhedged ");
    ASSERT_NE(hedged, std::string::npos) << table;
    const std::string row = table.substr(hedged + 1, table.find('\n', hedged + 1) - hedged - 1);
    EXPECT_EQ(row.substr(20, 70), "           $20           $30           $30           $20            $1") << row;
    EXPECT_NE(table.find("X -15% vol -10; Y +15% vol -10"), std::string::npos) << table;
    EXPECT_LT(table.find("hedged"), table.find("straddle"));  // 19.5 before 15
    EXPECT_NE(table.find("\ntotal "), std::string::npos);
    EXPECT_NE(table.find("in deficit: isolated 2 ($15), cross 1 ($10), portfolio 0 ($0)"), std::string::npos) << table;
    const std::string two = derivatives_table(f.context(), 2);
    EXPECT_NE(two.find("... 2 more accounts (--json lists all)"), std::string::npos);
}

TEST(DerivativesReport, HtmlPageChartsRequirementsByMethodAndTheBookPnl) {
    const DerivativesFixture f;
    const std::string page = f.page();
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    for (const char* forbidden : {"http:", "https:", "//", "<script", "<link", "<img", "src=", "href=", "url("})
        EXPECT_EQ(page.find(forbidden), std::string::npos) << forbidden;
    EXPECT_EQ(occurrences(page, "<svg"), occurrences(page, "</svg>"));
    const std::string bars = section_of(page, "derivatives-requirements");
    ASSERT_FALSE(bars.empty());
    // Three bars (isolated, cross, portfolio) for each of the four accounts.
    EXPECT_EQ(occurrences(bars, "<rect class=\"bar\""), 12u);
    for (const char* colour : {svg::kIsolatedColor, svg::kCrossColor, svg::kPortfolioColor})
        EXPECT_EQ(occurrences(bars, std::string("fill=\"") + colour + "\""), 5u) << colour;  // 4 bars + legend
    EXPECT_NE(bars.find("<title>portfolio 19.5</title>"), std::string::npos);
    const std::string pnl = section_of(page, "derivatives-pnl");
    // One line per underlying, the 21 spot steps at vol shift 0.
    EXPECT_EQ(occurrences(pnl, "<g class=\"series\""), 2u);
    EXPECT_EQ(occurrences(pnl, "<circle"), 42u);
    EXPECT_NE(pnl.find(std::string("stroke=\"") + svg::kPnlPalette[0] + "\""), std::string::npos);
    const std::string accounts = section_of(page, "derivatives-accounts");
    EXPECT_EQ(occurrences(accounts, "<tr>"), 6u);  // header, four accounts, total
}

TEST(DerivativesReport, WithTheLendingBookTheSectionsFollowItsOnOnePage) {
    const stress_report_fixture::StressReportFixture lending;
    const DerivativesFixture derivatives;
    const DerivativesContext context = derivatives.context();
    StressHtmlInput in;
    in.context = &lending.context;
    in.scenarios = &lending.scenarios;
    in.outcomes = &lending.outcomes;
    in.derivatives = &context;
    const std::string page = stress_html(in);
    EXPECT_EQ(occurrences(page, "<html"), 1u);
    const auto lending_at = page.find("<section id=\"scenarios\">");
    const auto derivatives_at = page.find("<section id=\"derivatives-requirements\">");
    ASSERT_NE(lending_at, std::string::npos);
    ASSERT_NE(derivatives_at, std::string::npos);
    EXPECT_LT(lending_at, derivatives_at);
    EXPECT_NE(page.find("<section id=\"derivatives-pnl\">"), std::string::npos);
}

}  // namespace derivatives_report_test
}  // namespace keeper::app

// `stress --html`: the page's structure. One self-contained document (no
// script, no link, no URL of any kind), four chart sections each with an
// inline SVG drawing its data, and every user-supplied text escaped. Whether
// Chromium renders it is tests/integration/stress_html/.
#include <gtest/gtest.h>

#include "keeper/daemon/stress_svg.hpp"
#include "stress_report_fixture.hpp"

namespace keeper::app {
namespace stress_html_test {

using stress_report_fixture::StressReportFixture;

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// The text of <section id="ID"> .. </section>.
std::string section(const std::string& page, const std::string& id) {
    const auto begin = page.find("<section id=\"" + id + "\">");
    if (begin == std::string::npos) return {};
    return page.substr(begin, page.find("</section>", begin) - begin);
}

TEST(StressHtml, OneSelfContainedDocumentWithNoExternalResource) {
    const std::string page = StressReportFixture().page();
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_EQ(count(page, "<html"), 1u);
    EXPECT_EQ(count(page, "</html>"), 1u);
    for (const char* forbidden :
         {"http:", "https:", "//", "<script", "<link", "<img", "<iframe", "src=", "href=", "@import", "url("})
        EXPECT_EQ(page.find(forbidden), std::string::npos) << forbidden;
    EXPECT_EQ(count(page, "<svg"), count(page, "</svg>"));
    EXPECT_EQ(count(page, "<section"), count(page, "</section>"));
    EXPECT_EQ(count(page, "<table"), count(page, "</table>"));
}

TEST(StressHtml, DebtAndBadDebtAgainstEachAssetsMove) {
    const StressReportFixture f;
    const std::string page = f.page();
    const std::string debt = section(page, "debt-vs-shock");
    ASSERT_FALSE(debt.empty());
    EXPECT_EQ(count(debt, "<svg"), 1u);
    // One series per asset of the ladder, 21 points each (-50 %..+50 %, 0 included).
    EXPECT_EQ(count(debt, "<g class=\"series\""), 2u);
    EXPECT_NE(debt.find("data-name=\"WETH\""), std::string::npos);
    EXPECT_EQ(count(debt, "<circle"), 42u);
    EXPECT_NE(debt.find(std::string("fill=\"") + svg::kDebtPalette[0] + "\""), std::string::npos);
    EXPECT_NE(debt.find("debt repaid (USD)"), std::string::npos);  // every asset valued: USD, not counts

    const std::string bad = section(page, "bad-debt-vs-shock");
    EXPECT_EQ(count(bad, "<circle"), 42u);
    EXPECT_NE(bad.find(std::string("fill=\"") + svg::kBadDebtPalette[0] + "\""), std::string::npos);
    EXPECT_NE(bad.find("bad debt (USD)"), std::string::npos);
}

TEST(StressHtml, TheLargestCascadeAsOneBarPerRound) {
    const StressReportFixture f;
    std::size_t best = 0;
    for (std::size_t i = 1; i < f.cascades.size(); ++i)
        if (f.cascades[i].volume_usd > f.cascades[best].volume_usd) best = i;
    const std::string cascade = section(f.page(), "cascade-rounds");
    EXPECT_NE(cascade.find("Scenario <b>" + f.scenarios[best].name + "</b>"), std::string::npos) << cascade;
    EXPECT_EQ(count(cascade, "<rect class=\"bar\""), f.cascades[best].rounds.size());
    EXPECT_NE(cascade.find(std::string("fill=\"") + svg::kCascadeColor + "\""), std::string::npos);
}

TEST(StressHtml, MonteCarloHistogramsWithTheirVarMarkers) {
    const StressReportFixture f;
    const std::string mc = section(f.page(), "var-histogram");
    EXPECT_NE(mc.find("2000 draws of one day's returns, seed 7"), std::string::npos);
    EXPECT_EQ(count(mc, "<svg"), 2u);
    EXPECT_EQ(count(mc, "<line class=\"marker\""), 4u);  // VaR 95 and 99 on both
    EXPECT_GT(count(mc, "<rect class=\"bar\""), 5u);
    EXPECT_NE(mc.find("VaR 99% " + svg::compact(f.monte_carlo.volume.at_99.var)), std::string::npos);
}

TEST(StressHtml, WithoutCascadeOrMonteCarloTheSectionsSaySo) {
    StressReportFixture f;
    StressHtmlInput in;
    in.context = &f.context;
    in.scenarios = &f.scenarios;
    in.outcomes = &f.outcomes;  // no valuations either: counts
    const std::string page = stress_html(in);
    EXPECT_NE(section(page, "cascade-rounds").find("No [cascade]"), std::string::npos);
    EXPECT_NE(section(page, "var-histogram").find("No [covariance]"), std::string::npos);
    EXPECT_NE(section(page, "debt-vs-shock").find("positions liquidatable (no [valuation])"), std::string::npos);
}

TEST(StressHtml, LabelsAreEscaped) {
    StressReportFixture f;
    f.context.labels[stress_report_fixture::kFixtureWeth] = "<b>W&ETH\"";
    const std::string page = f.page();
    EXPECT_EQ(page.find("<b>W&ETH"), std::string::npos);
    EXPECT_NE(page.find("&lt;b&gt;W&amp;ETH&quot;"), std::string::npos);
}

TEST(StressSvg, CompactNumbers) {
    EXPECT_EQ(svg::compact(1'670'146.0), "1.67M");
    EXPECT_EQ(svg::compact(72'450.0), "72.5k");
    EXPECT_EQ(svg::compact(0.5), "0.5");
    EXPECT_EQ(svg::compact(-2e9), "-2B");
}

}  // namespace stress_html_test
}  // namespace keeper::app

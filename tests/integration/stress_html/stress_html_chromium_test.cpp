// `stress --html` in a real browser: headless Chromium (Debian's `chromium`)
// loads the page from a file and takes a screenshot; the PNG must show every
// chart drawn: each chart's own series colour (stress_svg.hpp) present in
// hundreds of pixels, spread across the chart's width, in the order the page
// lays the charts out, and the page is not blank.
//
// Chromium is part of the test environment (scripts/setup installs it): its
// absence is a failure that says so, never a skip.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <png.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <tuple>
#include <thread>

#include "../../unit/stress_report/derivatives_report_fixture.hpp"
#include "../../unit/stress_report/stress_report_fixture.hpp"
#include "keeper/daemon/stress_svg.hpp"
#include "support/headless_chromium.hpp"

namespace keeper {
namespace stress_html_chromium_test {

using namespace std::chrono_literals;

struct Rgba {
    std::uint32_t width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // RGBA, row-major
};

std::optional<Rgba> read_png(const std::filesystem::path& file) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (png_image_begin_read_from_file(&image, file.c_str()) == 0) return std::nullopt;
    image.format = PNG_FORMAT_RGBA;
    Rgba out;
    out.width = image.width;
    out.height = image.height;
    out.pixels.resize(PNG_IMAGE_SIZE(image));
    if (png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr) == 0) return std::nullopt;
    return out;
}

// Where a colour ("#rrggbb") occurs exactly: how many pixels, their bounding box.
struct Found {
    std::size_t pixels = 0;
    std::uint32_t min_x = ~0u, max_x = 0, min_y = ~0u, max_y = 0;
};
Found find_colour(const Rgba& image, const std::string& hex) {
    const auto byte = [&](int at) { return static_cast<std::uint8_t>(std::stoi(hex.substr(at, 2), nullptr, 16)); };
    const std::uint8_t r = byte(1), g = byte(3), b = byte(5);
    Found f;
    for (std::uint32_t y = 0; y < image.height; ++y)
        for (std::uint32_t x = 0; x < image.width; ++x) {
            const std::uint8_t* p = &image.pixels[(std::size_t(y) * image.width + x) * 4];
            if (p[0] != r || p[1] != g || p[2] != b) continue;
            ++f.pixels;
            f.min_x = std::min(f.min_x, x), f.max_x = std::max(f.max_x, x);
            f.min_y = std::min(f.min_y, y), f.max_y = std::max(f.max_y, y);
        }
    return f;
}

TEST(StressHtmlChromium, EveryChartRendersItsSeries) {
    const auto found = testing::find_chromium();
    ASSERT_TRUE(found.has_value()) << "chromium is not installed (not on PATH): this test needs headless Chromium. "
                                      "Install it with `sudo bash scripts/setup` (or `apt-get install -y chromium`).";
    const auto dir = std::filesystem::temp_directory_path() / ("keeper-stress-html-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::filesystem::path chromium = found.value_or(std::filesystem::path());
    const stress_report_fixture::StressReportFixture fixture;
    {
        std::ofstream page(dir / "stress.html");
        page << fixture.page();
    }
    const auto png = dir / "stress.png";
    const testing::ChromiumRun run = testing::run_headless_chromium(
        chromium,
        {"--hide-scrollbars", "--window-size=1000,4000", "--screenshot=" + png.string(),
         "file://" + (dir / "stress.html").string()},
        dir);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto decoded = read_png(png);
    ASSERT_TRUE(decoded.has_value()) << "no readable PNG at " << png << "; chromium said:\n" << run.err;
    const Rgba image = decoded.value_or(Rgba{});
    ASSERT_EQ(image.width, 1000u);
    ASSERT_EQ(image.height, 4000u);

    // Not blank: a good share of the pixels is neither white nor transparent.
    std::size_t inked = 0;
    for (std::size_t i = 0; i < image.pixels.size(); i += 4)
        if (image.pixels[i] < 250 || image.pixels[i + 1] < 250 || image.pixels[i + 2] < 250) ++inked;
    EXPECT_GT(inked, 20'000u);

    // Each chart's first colour: markers of the two ladders, the cascade's
    // bars, the histograms' bars. Drawn in page order, each across a good part
    // of its chart's 800-pixel plot (the histogram's bars span its range by
    // construction).
    const Found debt = find_colour(image, app::svg::kDebtPalette[0]);
    const Found bad = find_colour(image, app::svg::kBadDebtPalette[0]);
    const Found cascade = find_colour(image, app::svg::kCascadeColor);
    const Found histogram = find_colour(image, app::svg::kHistogramColor);
    // (The cascade's bars are 0.7 of a slot of 800 / rounds pixels; the
    // fixture's largest cascade has 3 rounds, only the first of them large.)
    for (const auto& [name, f, span] :
         {std::tuple{"debt vs shock", debt, 300u}, std::tuple{"bad debt vs shock", bad, 300u},
          std::tuple{"cascade rounds", cascade, 100u}, std::tuple{"VaR histogram", histogram, 300u}}) {
        EXPECT_GT(f.pixels, 300u) << name << ": its colour is (nearly) absent";
        EXPECT_GT(f.max_x - std::min(f.min_x, f.max_x), span) << name << ": drawn over " << f.min_x << ".." << f.max_x;
    }
    EXPECT_LT(debt.max_y, bad.min_y) << "the debt chart above the bad-debt chart";
    EXPECT_LT(bad.max_y, cascade.min_y) << "the bad-debt chart above the cascade";
    EXPECT_LT(cascade.max_y, histogram.min_y) << "the cascade above the histograms";
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);  // else kept for a look
}

// `stress --derivatives --html`: the requirement-by-method bars (three
// colours, over the four accounts' groups) above the book's P&L lines.
TEST(StressHtmlChromium, DerivativesPageRendersBarsAndPnlLines) {
    const auto found = testing::find_chromium();
    ASSERT_TRUE(found.has_value()) << "chromium is not installed (not on PATH): this test needs headless Chromium. "
                                      "Install it with `sudo bash scripts/setup` (or `apt-get install -y chromium`).";
    const auto dir = std::filesystem::temp_directory_path() / ("keeper-derivatives-html-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const app::derivatives_report_fixture::DerivativesFixture fixture;
    {
        std::ofstream page(dir / "derivatives.html");
        page << fixture.page();
    }
    const auto png = dir / "derivatives.png";
    const testing::ChromiumRun run = testing::run_headless_chromium(
        found.value_or(std::filesystem::path()),
        {"--hide-scrollbars", "--window-size=1000,1600", "--screenshot=" + png.string(),
         "file://" + (dir / "derivatives.html").string()},
        dir);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto decoded = read_png(png);
    ASSERT_TRUE(decoded.has_value()) << "no readable PNG at " << png << "; chromium said:\n" << run.err;
    const Rgba image = decoded.value_or(Rgba{});
    // Each method's bars: one per account group, so spread over most of the
    // 800-pixel plot; the P&L lines (X's colour) across the move axis.
    const Found isolated = find_colour(image, app::svg::kIsolatedColor);
    const Found cross = find_colour(image, app::svg::kCrossColor);
    const Found portfolio = find_colour(image, app::svg::kPortfolioColor);
    const Found pnl = find_colour(image, app::svg::kPnlPalette[0]);
    for (const auto& [name, f] : {std::tuple{"isolated bars", isolated}, std::tuple{"cross bars", cross},
                                  std::tuple{"portfolio bars", portfolio}, std::tuple{"P&L of X", pnl}}) {
        EXPECT_GT(f.pixels, 300u) << name << ": its colour is (nearly) absent";
        EXPECT_GT(f.max_x - std::min(f.min_x, f.max_x), 400u) << name << ": drawn over " << f.min_x << ".." << f.max_x;
    }
    EXPECT_LT(portfolio.max_y, pnl.min_y) << "the requirement bars above the P&L chart";
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace stress_html_chromium_test
}  // namespace keeper

// `stress --scenarios FILE`: named joint moves in TOML, and the errors an
// operator gets for a bad file (file, line, key, what was expected).
#include <gtest/gtest.h>

#include "keeper/config/stress_scenario_file.hpp"

namespace keeper::config {
namespace stress_scenario_file_test {

const char* kWeth = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const char* kUsdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const char* kSteth = "0xae7ab96520DE3A18E5e111B5EaAb095312D7fE84";

std::string error_of(std::string_view text) {
    auto parsed = parse_stress_scenarios(text, "s.toml");
    return parsed ? std::string("(parsed)") : parsed.error().message;
}

TEST(StressScenarioFile, NamedJointShocksByLabelOrAddress) {
    const std::string text = std::string(R"([assets]
WETH = ")") + kWeth + R"("
stETH = ")" + kSteth + R"("

[[scenario]]
name = "ETH crash"
shocks = { WETH = "-30%", stETH = -33, ")" +
                             kUsdc + R"(" = 0 }

[[scenario]]
name = "small"
shocks = { WETH = -2.5, stETH = "+0.05%" }
)";
    const auto file = parse_stress_scenarios(text, "s.toml");
    ASSERT_TRUE(file.has_value()) << file.error().message;
    const Address weth = Address::parse(kWeth).value(), steth = Address::parse(kSteth).value();
    EXPECT_EQ(file->labels.at(weth), "WETH");
    ASSERT_EQ(file->scenarios.size(), 2u);
    EXPECT_EQ(file->scenarios[0].name, "ETH crash");
    EXPECT_EQ(file->scenarios[0].move_bps_of(weth), -3000);
    EXPECT_EQ(file->scenarios[0].move_bps_of(steth), -3300);
    EXPECT_EQ(file->scenarios[0].move_bps_of(Address::parse(kUsdc).value()), 0);
    EXPECT_EQ(file->scenarios[0].shocks.size(), 3u);
    EXPECT_EQ(file->scenarios[1].move_bps_of(weth), -250);
    EXPECT_EQ(file->scenarios[1].move_bps_of(steth), 5);
    EXPECT_FALSE(file->grid.has_value());
}

TEST(StressScenarioFile, GridSectionAddsTheLadder) {
    const auto file = parse_stress_scenarios("[grid]\nmax_move_percent = 40\nstep_percent = 10\n", "s.toml");
    ASSERT_TRUE(file.has_value()) << file.error().message;
    ASSERT_TRUE(file->grid.has_value());
    EXPECT_EQ(file->grid->max_move_bps, 4000);
    EXPECT_EQ(file->grid->step_bps, 1000);
}

TEST(StressScenarioFile, PercentTextToBasisPoints) {
    EXPECT_EQ(parse_percent_bps("-30%"), -3000);
    EXPECT_EQ(parse_percent_bps("+2.5"), 250);
    EXPECT_EQ(parse_percent_bps("-33.33%"), -3333);
    EXPECT_EQ(parse_percent_bps(".5"), 50);
    EXPECT_EQ(parse_percent_bps("-30.125%"), std::nullopt);  // finer than a basis point
    EXPECT_EQ(parse_percent_bps("%"), std::nullopt);
    EXPECT_EQ(parse_percent_bps("-30 %"), std::nullopt);
    EXPECT_EQ(parse_percent_bps("abc"), std::nullopt);
}

TEST(StressScenarioFile, EveryProblemNamedWithLineAndKey) {
    const std::string text = R"([[scenario]]
name = "crash"
shocks = { ETH = "-30%" }

[[scenario]]
name = "crash"
shocks = { "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2" = "-100%" }
colour = "red"
)";
    const std::string e = error_of(text);
    EXPECT_NE(e.find("s.toml:3: scenario[0].shocks.ETH: \"ETH\" is neither a label in [assets] nor a 0x address"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("s.toml:6: scenario[1].name: \"crash\" names two scenarios"), std::string::npos) << e;
    EXPECT_NE(e.find("a move must be above -100%"), std::string::npos) << e;
    EXPECT_NE(e.find("colour"), std::string::npos) << e;
}

TEST(StressScenarioFile, BadFilesAreRefused) {
    EXPECT_NE(error_of("").find("nothing to run"), std::string::npos);
    EXPECT_NE(error_of("[[scenario]]\nname = 1\nshocks = 2\n").find("scenario[0].shocks: expected a table"),
              std::string::npos)
        << error_of("[[scenario]]\nname = 1\nshocks = 2\n");
    EXPECT_NE(error_of("[[scenario]]\nshocks = {}\n").find("scenario[0].name"), std::string::npos);
    EXPECT_NE(error_of("[[scenario\n").find("TOML syntax error"), std::string::npos);
    EXPECT_NE(error_of("[grid]\nmax_move_percent = 50\nstep_percent = 7\n").find("must divide"), std::string::npos);
    EXPECT_NE(error_of("[[scenario]]\nname = \"x\"\nshocks = { \"0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\" = "
                       "\"-3.333%\" }\n")
                  .find("at most two decimals"),
              std::string::npos);
    EXPECT_NE(error_of("[assets]\nWETH = \"0x12\"\n").find("assets.WETH"), std::string::npos);
    const auto missing = load_stress_scenarios("/nonexistent/s.toml");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message, "/nonexistent/s.toml: cannot read the scenario file");
}

TEST(StressScenarioFile, ValuationCascadeCovarianceAndMonteCarlo) {
    const std::string text = std::string(R"([assets]
WETH = ")") + kWeth + R"("
stETH = ")" + kSteth + R"("

[valuation.WETH]
usd_price = 2000
decimals = 18
impact_bps_per_million = 50

[valuation.")" + kUsdc + R"("]
usd_price = 1.0
decimals = 6

[cascade]
max_rounds = 5

[covariance]
assets = ["WETH", "stETH"]
daily_vol_percent = [4.5, 4]
correlation = [[1, 0.9], [0.9, 1]]

[monte_carlo]
draws = 2000
seed = 7
)";
    const auto file = parse_stress_scenarios(text, "s.toml");
    ASSERT_TRUE(file.has_value()) << file.error().message;
    const Address weth = Address::parse(kWeth).value(), steth = Address::parse(kSteth).value(),
                  usdc = Address::parse(kUsdc).value();
    EXPECT_TRUE(file->scenarios.empty());  // Monte-Carlo alone is something to run
    ASSERT_EQ(file->valuations.size(), 2u);
    EXPECT_EQ(file->valuations.at(weth).usd_price, 2000.0);
    EXPECT_EQ(file->valuations.at(weth).decimals, 18u);
    EXPECT_EQ(file->valuations.at(weth).impact_bps_per_million, 50.0);
    EXPECT_EQ(file->valuations.at(usdc).decimals, 6u);
    EXPECT_EQ(file->valuations.at(usdc).impact_bps_per_million, 0.0);  // default
    EXPECT_EQ(file->cascade_max_rounds, std::optional<std::size_t>(5));
    ASSERT_TRUE(file->covariance.has_value());
    const auto covariance = file->covariance.value_or(margin::stress::CovarianceSpec{});
    EXPECT_EQ(covariance.assets, (std::vector<Address>{weth, steth}));
    EXPECT_EQ(covariance.daily_vol, (std::vector<double>{0.045, 0.04}));
    EXPECT_EQ(covariance.correlation, (std::vector<double>{1, 0.9, 0.9, 1}));
    EXPECT_EQ(file->monte_carlo.draws, 2000u);
    EXPECT_EQ(file->monte_carlo.seed, 7u);
}

TEST(StressScenarioFile, CascadeAndMonteCarloDefaults) {
    const auto file = parse_stress_scenarios(std::string("[cascade]\n[covariance]\nassets = [\"") + kWeth +
                                                 "\"]\ndaily_vol_percent = [5]\ncorrelation = [[1]]\n",
                                             "s.toml");
    ASSERT_TRUE(file.has_value()) << file.error().message;
    EXPECT_EQ(file->cascade_max_rounds, std::optional<std::size_t>(10));
    EXPECT_EQ(file->monte_carlo.draws, 10'000u);
    EXPECT_EQ(file->monte_carlo.seed, 1u);
}

TEST(StressScenarioFile, BadValuationsAndCovariancesAreNamed) {
    const std::string weth = kWeth;
    EXPECT_NE(error_of("[valuation.WETH]\nusd_price = 1\ndecimals = 18\n").find("valuation.WETH: \"WETH\" is neither"),
              std::string::npos);
    EXPECT_NE(
        error_of("[valuation.\"" + weth + "\"]\nusd_price = 0\ndecimals = 18\n").find("usd_price: must be above 0"),
        std::string::npos);
    EXPECT_NE(error_of("[valuation.\"" + weth + "\"]\nusd_price = 1\n").find("decimals"), std::string::npos);
    EXPECT_NE(error_of("[cascade]\nmax_rounds = 0\n").find("cascade.max_rounds"), std::string::npos);
    EXPECT_NE(error_of("[monte_carlo]\ndraws = 10\n").find("needs a [covariance]"), std::string::npos);
    const std::string bad_rho = error_of("[covariance]\nassets = [\"" + weth + "\", \"" + kUsdc +
                                         "\"]\ndaily_vol_percent = [4, 0.1]\n"
                                         "correlation = [[1, 0.5], [0.4, 1]]\n");
    EXPECT_NE(bad_rho.find("s.toml:1: covariance: covariance: correlation[0][1] differs from [1][0]"),
              std::string::npos)
        << bad_rho;
    EXPECT_NE(
        error_of("[covariance]\nassets = [\"" + weth + "\"]\ndaily_vol_percent = [4]\n").find("covariance.correlation"),
        std::string::npos);
}

}  // namespace stress_scenario_file_test
}  // namespace keeper::config

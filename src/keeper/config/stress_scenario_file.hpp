#pragma once
// `stress --scenarios FILE`: named joint price moves, in TOML like
// keeper.toml, with every problem named by file, line and key:
//
//   [assets]                       # labels for token addresses (optional)
//   WETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
//   USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
//
//   [[scenario]]
//   name = "ETH crash"
//   shocks = { WETH = "-30%", USDC = 0 }   # percent: "-30%", -30 or -2.5
//
//   [grid]                         # optional: also run the default ladder
//   max_move_percent = 50
//   step_percent = 5
//
//   [valuation.WETH]               # USD valuation and price impact (optional)
//   usd_price = 2000               # USD per whole token at the book's block
//   decimals = 18
//   impact_bps_per_million = 50    # price fall (bps) per $1M sold in a round; default 0
//
//   [cascade]                      # optional: every scenario as a cascade
//   max_rounds = 10                # the shock's round included, 1..100
//
//   [covariance]                   # optional: Monte-Carlo VaR/ES of one day
//   assets = ["WETH", "USDC"]
//   daily_vol_percent = [4.5, 0.1]
//   correlation = [[1, 0.1], [0.1, 1]]
//
//   [capital]                      # optional: the keeper's flash-loan premium
//   flash_premium_bps = 5          # default: the pools' FLASHLOAN_PREMIUM_TOTAL at sync, else 5
//
//   [monte_carlo]                  # optional; --seed and --draws override
//   draws = 10000
//   seed = 1
//
// A shock names an asset by its label or its address. Moves have at most two
// decimals of a percent (basis points), so shocked prices are exact.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/result.hpp"
#include "margin/stress_book.hpp"
#include "margin/stress_capital.hpp"
#include "margin/stress_grid.hpp"
#include "margin/stress_monte_carlo.hpp"

namespace keeper::config {

struct StressScenarioFile {
    std::map<Address, std::string> labels;  // from [assets]
    std::vector<margin::stress::StressScenario> scenarios;
    std::optional<margin::stress::StressGridSpec> grid;        // [grid] present
    margin::stress::Valuations valuations;                     // [valuation.<label or address>]
    std::optional<std::size_t> cascade_max_rounds;             // [cascade] present: scenarios cascade
    std::optional<margin::stress::CovarianceSpec> covariance;  // [covariance] present: Monte-Carlo runs
    margin::stress::MonteCarloSpec monte_carlo;                // [monte_carlo], else the defaults
    margin::stress::CapitalSpec capital;                       // [capital], else the defaults
    bool capital_given = false;                                // [capital] flash_premium_bps set: not the pools'
};

Result<StressScenarioFile> parse_stress_scenarios(std::string_view toml_text, std::string_view source_name);
Result<StressScenarioFile> load_stress_scenarios(const std::string& path);

// "-30%", "-30", "2.5", "+0.05%" -> basis points; nullopt for anything else
// (more than two decimals, no digits, trailing text).
std::optional<std::int32_t> parse_percent_bps(std::string_view text);

}  // namespace keeper::config

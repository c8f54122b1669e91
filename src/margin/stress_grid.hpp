#pragma once
// The default stress grid: every asset of the book moved alone, from -50 % to
// +50 % in steps of 5 % (21 scenarios per asset, the unmoved one included).
// A book of three assets (say WETH, wstETH, USDC) gets 63 scenarios.
// One asset at a time is the ladder risk teams read first ("what if ETH
// drops 30 %"); joint moves come from a scenario file.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "margin/stress_book.hpp"

namespace keeper::margin::stress {

struct StressGridSpec {
    std::int32_t max_move_bps = 5'000;  // symmetric range [-max, +max]
    std::int32_t step_bps = 500;        // must divide max_move_bps
};

// Scenario names: "<label> -30%", the label from `labels` or else the
// asset's EIP-55 address. Fails on a step that does not divide the range or a
// range outside the valid moves.
Result<std::vector<StressScenario>> default_grid(std::span<const Address> assets,
                                                 const std::map<Address, std::string>& labels = {},
                                                 const StressGridSpec& spec = {});

// "-30%", "+2.5%", "0%": a move in basis points as the names show it.
std::string move_text(std::int32_t move_bps);

}  // namespace keeper::margin::stress

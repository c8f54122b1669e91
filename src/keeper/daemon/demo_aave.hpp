#pragma once
// The Aave V3 act of `margin-keeper demo`: on the demo's anvil, deploys the
// real @aave/core-v3 1.19.3 market (devnet::deploy_aave_devnet), opens a
// crowd of multi-asset borrowers (devnet::mixed_aave_borrowers), then lowers
// WETH and DAI in steps; after each step a keeper running live, exactly as
// `run` does, sends the liquidationCalls that pay and the story prints what
// became liquidatable, what was liquidated and whether every
// LiquidationCall equalled the prediction.
#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace keeper::app {

// `first_step` numbers the story's lines after the Morpho act's.
Result<void> run_aave_demo(const std::string& rpc_url, std::size_t accounts, int first_step, bool verbose);

}  // namespace keeper::app

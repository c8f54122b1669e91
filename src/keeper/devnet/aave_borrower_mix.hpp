#pragma once
// A reproducible crowd of Aave V3 borrowers for the default devnet market
// (default_aave_devnet_options(): WETH, WBTC, USDC, DAI; eMode 1 for the
// stablecoins), shared by the end-to-end tests, bench_scan and the demo so
// all three exercise the same portfolios.
//
// Each borrower supplies 1-4 collaterals worth $1k-$51k each and borrows
// 60%-99% of what their LTVs allow, spread over 1-3 debts in assets other
// than WETH (a WETH debt would fall with its collateral when WETH falls).
// One in five (index % 5 == 0) is in eMode 1 with DAI (and maybe USDC)
// against USDC at the category's 93% LTV. A 64-bit LCG with a fixed seed
// picks the numbers, so a given count always yields the same specs.
#include <cstddef>
#include <vector>

#include "keeper/devnet/aave_devnet.hpp"

namespace keeper::devnet {

// Indexes in default_aave_devnet_options().reserves (and AaveDevnet::reserves).
enum AaveDevnetReserve : std::size_t { kAaveWeth = 0, kAaveWbtc = 1, kAaveUsdc = 2, kAaveDai = 3 };

std::vector<AaveBorrowerSpec> mixed_aave_borrowers(std::size_t count);

}  // namespace keeper::devnet

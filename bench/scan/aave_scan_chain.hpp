#pragma once
// The chain the Aave V3 benchmarks of bench_scan read, built once per program
// (apart from ScanChain's Morpho chain, on its own anvil): the default devnet
// market of deploy_aave_devnet (WETH, WBTC, USDC, DAI; eMode 1 stablecoins),
// kAaveAccounts accounts with 1-4 collaterals and 1-3 debts borrowed at
// 60%..99% of what their LTVs allow, one in five in eMode 1, opened at the
// market's prices; then WETH -25% and DAI -10%, which puts a part of them
// below a health factor of 1.
#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "chain/rpc_types.hpp"
#include "core/address.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/anvil_process.hpp"

namespace keeper::bench {

inline constexpr std::size_t kAaveAccounts = 2'000;
inline constexpr std::size_t kAaveAccountsPerTransaction = 100;

struct AaveScanChain {
    std::optional<devnet::AnvilProcess> anvil;
    devnet::AaveDevnet devnet;
    std::vector<Address> accounts;  // in the order they were opened
    std::size_t emode_accounts = 0;
    Address aggregator;             // Multicall3 (canonical or contracts/Multicall.sol)
    chain::BlockHeader head;        // after the price moves: the block every scan reads
    std::chrono::milliseconds open_time{0};   // opening the accounts
    std::chrono::milliseconds setup_time{0};  // everything above

    // Builds the chain on first use; exits the program when that fails
    // (there is nothing to measure without it).
    static AaveScanChain& get();
};

}  // namespace keeper::bench

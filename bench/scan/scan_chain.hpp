#pragma once
// The chain every bench_scan benchmark reads, built once per program: one
// anvil on loopback, Morpho Blue 1.0.0 with one market (LLTV 86%, IrmMock),
// kBorrowers borrowers opened at oracle price 1.00 with loan-to-value
// 40.05% .. 84.95% in 0.10% steps, then the oracle moved to 0.90. A position
// is then liquidatable when its loan-to-value exceeds 0.86 x 0.90 = 77.40%;
// no borrower sits within 0.05% of that line, so a few seconds of interest
// (which the naive poller ignores and the engine accrues) cannot flip one.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/rpc_types.hpp"
#include "counting_transport.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/morpho_devnet.hpp"

namespace keeper::bench {

inline constexpr std::size_t kBorrowers = 10'000;
inline constexpr std::size_t kBorrowersPerTransaction = 500;

struct ScanChain {
    std::optional<devnet::AnvilProcess> anvil;
    devnet::MorphoDevnet devnet;
    std::vector<Address> borrowers;      // in the order they were opened
    std::size_t expected_liquidatable = 0;  // from the loan-to-values chosen, at price 0.90
    Address aggregator;                  // Multicall3 (canonical or contracts/Multicall.sol)
    chain::BlockHeader head;             // after the oracle move: the block every scan reads
    std::chrono::milliseconds open_time{0};   // opening the borrowers
    std::chrono::milliseconds setup_time{0};  // everything above

    // Builds the chain on first use; exits the program when that fails
    // (there is nothing to measure without it).
    static ScanChain& get();
};

// A JSON-RPC client of the chain whose requests are counted in `counts`.
chain::JsonRpcClient counted_client(const std::string& url, std::shared_ptr<TransportCounts> counts);

}  // namespace keeper::bench

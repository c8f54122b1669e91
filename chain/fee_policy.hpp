#pragma once
// EIP-1559 fee choice from eth_feeHistory, and the bump a stuck transaction
// needs to be replaced. Pure: the history comes in as data.
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::chain {

struct Eip1559Fees {
    U256 max_fee_per_gas_wei;
    U256 max_priority_fee_per_gas_wei;
    friend bool operator==(const Eip1559Fees&, const Eip1559Fees&) = default;
};

struct FeeCaps {
    U256 max_fee_per_gas_wei = U256::pow10(12);        // 1000 gwei: refuse to pay more
    U256 max_priority_fee_per_gas_wei = U256::pow10(11);  // 100 gwei
    U256 min_priority_fee_per_gas_wei = U256(1);          // 1 wei: some nodes drop zero-tip txs
    unsigned base_fee_multiplier = 2;                     // head-room for base-fee growth
};

// What eth_feeHistory(blocks, "latest", [percentile]) returned.
struct FeeHistory {
    U256 next_base_fee_wei;                 // the last entry of baseFeePerGas
    std::vector<U256> priority_rewards_wei; // reward[i][0] of each block
};

// max_priority = median of the blocks' rewards clamped to the caps;
// max_fee = multiplier x next base fee + max_priority. An error when even the
// next block's base fee is above the cap: sending would only get stuck.
Result<Eip1559Fees> choose_fees(const FeeHistory& history, const FeeCaps& caps);

// Geth and anvil accept a same-nonce replacement only when both fields rise by
// at least `bump_percent` (10 by default): new >= old * (100 + bump) / 100.
// Returns the larger of `wanted` and the minimum replacement, or an error when
// that minimum breaks the caps.
Result<Eip1559Fees> replacement_fees(const Eip1559Fees& old, const Eip1559Fees& wanted, const FeeCaps& caps,
                                     unsigned bump_percent = 10);

}  // namespace keeper::chain

#include "chain/fee_policy.hpp"

#include <algorithm>

namespace keeper::chain {
namespace {

U256 median(std::vector<U256> values) {
    if (values.empty()) return U256(0);
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

U256 bumped(const U256& value, unsigned bump_percent) {
    // Rounded up so the node's rounded-down threshold is always met.
    return mul_div_up(value, U256(100 + bump_percent), U256(100)).value_or(U256::max());
}

}  // namespace

Result<Eip1559Fees> choose_fees(const FeeHistory& history, const FeeCaps& caps) {
    if (history.next_base_fee_wei > caps.max_fee_per_gas_wei)
        return fail("fees: next base fee " + history.next_base_fee_wei.to_dec() + " wei is above the cap " +
                    caps.max_fee_per_gas_wei.to_dec() + " wei (max_fee_per_gas)");
    const U256 tip = std::clamp(median(history.priority_rewards_wei), caps.min_priority_fee_per_gas_wei,
                                caps.max_priority_fee_per_gas_wei);
    const U256 wanted = checked_mul(history.next_base_fee_wei, U256(caps.base_fee_multiplier)).value_or(U256::max());
    const U256 max_fee = min(checked_add(wanted, tip).value_or(U256::max()), caps.max_fee_per_gas_wei);
    return Eip1559Fees{max_fee, min(tip, max_fee)};
}

Result<Eip1559Fees> replacement_fees(const Eip1559Fees& old, const Eip1559Fees& wanted, const FeeCaps& caps,
                                     unsigned bump_percent) {
    const Eip1559Fees out{max(wanted.max_fee_per_gas_wei, bumped(old.max_fee_per_gas_wei, bump_percent)),
                          max(wanted.max_priority_fee_per_gas_wei, bumped(old.max_priority_fee_per_gas_wei, bump_percent))};
    if (out.max_fee_per_gas_wei > caps.max_fee_per_gas_wei)
        return fail("fees: replacing needs max_fee_per_gas " + out.max_fee_per_gas_wei.to_dec() +
                    " wei, above the cap " + caps.max_fee_per_gas_wei.to_dec() + " wei");
    if (out.max_priority_fee_per_gas_wei > caps.max_priority_fee_per_gas_wei)
        return fail("fees: replacing needs max_priority_fee_per_gas " + out.max_priority_fee_per_gas_wei.to_dec() +
                    " wei, above the cap " + caps.max_priority_fee_per_gas_wei.to_dec() + " wei");
    if (out.max_priority_fee_per_gas_wei > out.max_fee_per_gas_wei)
        return fail("fees: replacement priority fee exceeds its max fee");
    return out;
}

}  // namespace keeper::chain

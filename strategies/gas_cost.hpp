#pragma once
// What a transaction's gas costs, expressed in the token a strategy earns in,
// so profit can be judged after gas. Rounded up: a strategy should rather skip
// a marginal trade than send one that loses.
#include <cstdint>
#include <optional>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::strategies {

struct GasCost {
    std::uint64_t gas_limit = 0;
    U256 max_fee_per_gas_wei;
    std::optional<U256> native_price_1e36;  // loan-token units per wei of native token, x1e36; nullopt: unknown
};

struct GasCostInLoan {
    U256 loan;            // mulDivUp(gas_limit * max_fee, native_price, 1e36); 0 when not priced
    bool priced = false;  // false when there is no GasCost or no native price
};

// The worst case the transaction can pay (every unit of the limit at the max
// fee), converted at the native price. Fails only when the product overflows
// 256 bits, which no real fee does.
Result<GasCostInLoan> gas_cost_in_loan(const std::optional<GasCost>& gas);

// ceil(estimate * (100 + margin_percent) / 100), saturating at uint64 max.
// Morpho accrues interest inside liquidate(), so the gas used can be ~20% above
// an estimate made a block earlier, when the market had last been touched.
std::uint64_t gas_limit_with_margin(std::uint64_t estimate, unsigned margin_percent);

}  // namespace keeper::strategies

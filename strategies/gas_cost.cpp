#include "strategies/gas_cost.hpp"

namespace keeper::strategies {

Result<GasCostInLoan> gas_cost_in_loan(const std::optional<GasCost>& gas) {
    if (!gas || !gas->native_price_1e36) return GasCostInLoan{U256(), false};
    const auto wei = checked_mul(U256(gas->gas_limit), gas->max_fee_per_gas_wei);
    if (!wei) return fail("gas cost: gas_limit * max_fee_per_gas overflows");
    const auto loan = mul_div_up(*wei, *gas->native_price_1e36, U256::pow10(36));
    if (!loan) return fail("gas cost: cost in loan token overflows");
    return GasCostInLoan{*loan, true};
}

std::uint64_t gas_limit_with_margin(std::uint64_t estimate, unsigned margin_percent) {
    const U256 limit = div_up(U256(estimate) * U256(100 + std::uint64_t{margin_percent}), U256(100));
    return limit.fits_u64() ? limit.low64() : UINT64_MAX;
}

}  // namespace keeper::strategies

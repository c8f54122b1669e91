#include "margin/aave_interest.hpp"

#include <string>

#include "core/fixed_point.hpp"

namespace keeper::aave {
namespace {

const U256 kYear(kSecondsPerYear);

Result<std::uint64_t> elapsed(std::uint64_t last_update, std::uint64_t now) {
    if (now < last_update)
        return fail("aave: interest: timestamp " + std::to_string(now) + " before last update " +
                    std::to_string(last_update));
    return now - last_update;
}

}  // namespace

Result<U256> linear_interest_ray(const U256& rate_ray, std::uint64_t last_update, std::uint64_t now) {
    const auto dt = elapsed(last_update, now);
    if (!dt) return std::unexpected(dt.error());
    const auto product = checked_mul(rate_ray, U256(*dt));
    if (!product) return fail("aave: linear interest: rate * elapsed overflows");
    const auto sum = checked_add(fixed_point::ray(), *product / kYear);
    if (!sum) return fail("aave: linear interest overflows");
    return *sum;
}

namespace {

// v3.4+: RAY + x + x.rayMul(x / 2 + x.rayMul(x / 6)), x = rate * exp / SPY.
// The contract computes x unchecked (it cannot overflow for a uint128 rate
// and a uint40 time); rayMul still reverts on overflow.
Result<U256> compounded_taylor_x(const U256& rate_ray, std::uint64_t dt) {
    const auto product = checked_mul(rate_ray, U256(dt));
    if (!product) return fail("aave: compounded interest: rate * elapsed overflows");
    const U256 x = *product / kYear;
    const auto sixth = ray_mul(x, x / 6);
    const auto inner = sixth ? checked_add(x / 2, *sixth) : std::nullopt;
    const auto outer = inner ? ray_mul(x, *inner) : std::nullopt;
    const auto a = outer ? checked_add(fixed_point::ray(), x) : std::nullopt;
    const auto sum = a ? checked_add(*a, *outer) : std::nullopt;
    if (!sum) return fail("aave: compounded interest overflows");
    return *sum;
}

}  // namespace

Result<U256> compounded_interest_ray(const U256& rate_ray, std::uint64_t last_update, std::uint64_t now,
                                     Compounding formula) {
    const auto dt = elapsed(last_update, now);
    if (!dt) return std::unexpected(dt.error());
    if (formula == Compounding::TaylorX) return compounded_taylor_x(rate_ray, *dt);
    if (*dt == 0) return fixed_point::ray();
    const U256 exp(*dt);
    const U256 exp_minus_one(*dt - 1);
    const U256 exp_minus_two(*dt > 2 ? *dt - 2 : 0);

    // rayMul reverts on overflow even inside the contract's unchecked block.
    const auto rate_squared = ray_mul(rate_ray, rate_ray);
    if (!rate_squared) return fail("aave: compounded interest: rate^2 overflows");
    const U256 base_power_two = *rate_squared / (kYear * kYear);
    const auto rate_cubed = ray_mul(base_power_two, rate_ray);
    if (!rate_cubed) return fail("aave: compounded interest: rate^3 overflows");
    const U256 base_power_three = *rate_cubed / kYear;

    const auto second_a = checked_mul(exp, exp_minus_one);
    const auto second = second_a ? checked_mul(*second_a, base_power_two) : std::nullopt;
    const auto third_b = second_a ? checked_mul(*second_a, exp_minus_two) : std::nullopt;
    const auto third = third_b ? checked_mul(*third_b, base_power_three) : std::nullopt;
    const auto first = checked_mul(rate_ray, exp);
    if (!second || !third || !first) return fail("aave: compounded interest: term overflows");

    const auto a = checked_add(fixed_point::ray(), *first / kYear);
    const auto b = a ? checked_add(*a, *second / 2) : std::nullopt;
    const auto c = b ? checked_add(*b, *third / 6) : std::nullopt;
    if (!c) return fail("aave: compounded interest overflows");
    return *c;
}

Result<U256> normalized_income_ray(const U256& liquidity_index_ray, const U256& current_liquidity_rate_ray,
                                   std::uint64_t last_update, std::uint64_t now) {
    if (last_update == now) return liquidity_index_ray;
    const auto interest = linear_interest_ray(current_liquidity_rate_ray, last_update, now);
    if (!interest) return std::unexpected(interest.error());
    const auto index = ray_mul(*interest, liquidity_index_ray);
    if (!index) return fail("aave: normalized income overflows");
    return *index;
}

Result<U256> normalized_variable_debt_ray(const U256& variable_borrow_index_ray,
                                          const U256& current_variable_borrow_rate_ray, std::uint64_t last_update,
                                          std::uint64_t now, Compounding formula) {
    if (last_update == now) return variable_borrow_index_ray;
    const auto interest = compounded_interest_ray(current_variable_borrow_rate_ray, last_update, now, formula);
    if (!interest) return std::unexpected(interest.error());
    const auto index = ray_mul(*interest, variable_borrow_index_ray);
    if (!index) return fail("aave: normalized variable debt overflows");
    return *index;
}

}  // namespace keeper::aave

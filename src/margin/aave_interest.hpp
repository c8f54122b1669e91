#pragma once
// Aave V3 index growth between reserve updates, to the wei: MathUtils
// (calculateLinearInterest, calculateCompoundedInterest) and
// ReserveLogic.getNormalizedIncome / getNormalizedDebt of @aave/core-v3 1.19.3,
// and the compounding of aave-v3-origin v3.4 and later (Compounding::TaylorX).
// A reserve stores its indexes and rates as of lastUpdateTimestamp; every
// balance in between is scaled balance x index grown to the block timestamp,
// so computing the growth here lets the keeper follow balances block by block
// without reading each token. Pure: `now` is the block timestamp the caller
// judges at. Each function fails exactly where the contract would revert
// (checked overflow, now < last_update underflowing).
#include <cstdint>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::aave {

inline constexpr std::uint64_t kSecondsPerYear = 365ULL * 24 * 60 * 60;  // MathUtils ignores leap years

// RAY + rate * elapsed / SECONDS_PER_YEAR (the liquidity rate accrues simply).
Result<U256> linear_interest_ray(const U256& rate_ray, std::uint64_t last_update, std::uint64_t now);

// How the borrow index compounds: up to v3.3 the three-term binomial series
// below; from v3.4 (MathUtils.calculateCompoundedInterest) with
// x = rate * elapsed / SECONDS_PER_YEAR: RAY + x + rayMul(x, x/2 + rayMul(x, x/6)).
enum class Compounding { Binomial3, TaylorX };

// The borrow rate compounds per second, approximated by the binomial series
// to three terms: RAY + r*n + n(n-1)/2 * r^2 + n(n-1)(n-2)/6 * r^3 with
// r = rate / SECONDS_PER_YEAR, where r^2 and r^3 are taken as
// rayMul(rate, rate) / SPY^2 and rayMul(that, rate) / SPY (each division
// rounding down before the multiplication by the n terms, as on chain).
Result<U256> compounded_interest_ray(const U256& rate_ray, std::uint64_t last_update, std::uint64_t now,
                                     Compounding formula = Compounding::Binomial3);

// The stored index when it was updated in this very block, else the index
// grown to `now`: rayMul(linear interest, liquidity index) resp.
// rayMul(compounded interest, variable borrow index).
Result<U256> normalized_income_ray(const U256& liquidity_index_ray, const U256& current_liquidity_rate_ray,
                                   std::uint64_t last_update, std::uint64_t now);
Result<U256> normalized_variable_debt_ray(const U256& variable_borrow_index_ray,
                                          const U256& current_variable_borrow_rate_ray, std::uint64_t last_update,
                                          std::uint64_t now, Compounding formula = Compounding::Binomial3);

}  // namespace keeper::aave

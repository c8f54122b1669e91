#pragma once
// The lending protocols' fixed-point helpers over U256, bit-for-bit: same
// scaling, same rounding direction, and std::nullopt exactly where the
// contract reverts (overflow, division by zero). Each family keeps the
// contract's own name so a reader can hold it next to the Solidity.
//
//   morpho::  Morpho Blue MathLib (Solidity 0.8 checked: x * y must fit 256 bits)
//   aave::    Aave V3 WadRayMath / PercentageMath / MathUtils.mulDivCeil
//             (assembly with explicit overflow guards; half-up in early v3,
//             Floor/Ceil variants added in v3.5)
#include <optional>

#include "core/u256.hpp"

namespace keeper::fixed_point {

// Functions rather than globals: no static-initialisation order to worry about.
inline U256 wad() { return U256(1'000'000'000'000'000'000ULL); }  // 1e18
inline U256 half_wad() { return U256(500'000'000'000'000'000ULL); }
inline U256 ray() { return U256::pow10(27); }  // 1e27
inline U256 half_ray() { return U256::pow10(27) / 2; }
inline U256 wad_ray_ratio() { return U256(1'000'000'000ULL); }  // 1e9
inline U256 percentage_factor() { return U256(10'000); }       // 1e4 = 100.00%
inline U256 half_percentage_factor() { return U256(5'000); }

}  // namespace keeper::fixed_point

namespace keeper::morpho {

// Call these qualified (morpho::mul_div_down): keeper::mul_div_down, found by
// ADL, has a 512-bit intermediate and would not revert where Morpho does.
// (x * y) / d, reverting when x * y overflows or d == 0.
std::optional<U256> mul_div_down(const U256& x, const U256& y, const U256& d);
// (x * y + (d - 1)) / d, reverting when the numerator overflows or d == 0.
std::optional<U256> mul_div_up(const U256& x, const U256& y, const U256& d);
std::optional<U256> w_mul_down(const U256& x, const U256& y);  // x * y / WAD
std::optional<U256> w_div_down(const U256& x, const U256& y);  // x * WAD / y
std::optional<U256> w_div_up(const U256& x, const U256& y);    // ceil(x * WAD / y)
// e^(x*n) - 1 to three Taylor terms: x*n + (x*n)^2/2 + (x*n)^3/6, each term
// rounded down from the previous one, as MathLib.wTaylorCompounded.
std::optional<U256> w_taylor_compounded(const U256& x, const U256& n);

}  // namespace keeper::morpho

namespace keeper::aave {

// Half-up: (a * b + HALF_WAD) / WAD; reverts when a > (MAX - HALF_WAD) / b.
std::optional<U256> wad_mul(const U256& a, const U256& b);
// Half-up: (a * WAD + b / 2) / b; reverts when b == 0 or a > (MAX - b/2) / WAD.
std::optional<U256> wad_div(const U256& a, const U256& b);
std::optional<U256> ray_mul(const U256& a, const U256& b);  // half-up, RAY
std::optional<U256> ray_div(const U256& a, const U256& b);  // half-up, RAY
// v3.5+: explicit rounding, guard a > MAX / b (resp. a > MAX / RAY).
std::optional<U256> ray_mul_floor(const U256& a, const U256& b);
std::optional<U256> ray_mul_ceil(const U256& a, const U256& b);
std::optional<U256> ray_div_floor(const U256& a, const U256& b);
std::optional<U256> ray_div_ceil(const U256& a, const U256& b);
// Half-up division by 1e9; cannot overflow.
U256 ray_to_wad(const U256& a);
// a * 1e9; reverts on overflow.
std::optional<U256> wad_to_ray(const U256& a);

// PercentageMath: 1e4 = 100%. Half-up, reverting on overflow or zero divisor.
std::optional<U256> percent_mul(const U256& value, const U256& percentage_bps);
std::optional<U256> percent_div(const U256& value, const U256& percentage_bps);
// v3.5+ variants.
std::optional<U256> percent_mul_floor(const U256& value, const U256& percentage_bps);
std::optional<U256> percent_mul_ceil(const U256& value, const U256& percentage_bps);
std::optional<U256> percent_div_ceil(const U256& value, const U256& percentage_bps);
// v3.7+ (the liquidation bonus split).
std::optional<U256> percent_div_floor(const U256& value, const U256& percentage_bps);

// MathUtils.mulDivCeil (v3.5+): ceil(a * b / c); reverts when c == 0 or a * b overflows.
std::optional<U256> mul_div_ceil(const U256& a, const U256& b, const U256& c);

}  // namespace keeper::aave

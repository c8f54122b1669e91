#include "core/fixed_point.hpp"

namespace keeper {
namespace {

// The guard the Aave assembly writes as `gt(a, div(limit, b))`: true when the
// contract reverts because a * b (+ rounding term) would exceed 2^256 - 1.
bool exceeds(const U256& a, const U256& limit, const U256& b) { return !b.is_zero() && a > limit / b; }

}  // namespace

namespace morpho {

std::optional<U256> mul_div_down(const U256& x, const U256& y, const U256& d) {
    const auto product = checked_mul(x, y);
    if (!product || d.is_zero()) return std::nullopt;
    return *product / d;
}

std::optional<U256> mul_div_up(const U256& x, const U256& y, const U256& d) {
    const auto product = checked_mul(x, y);
    if (!product || d.is_zero()) return std::nullopt;  // d - 1 underflows for d == 0
    const auto numerator = checked_add(*product, d - 1);
    if (!numerator) return std::nullopt;
    return *numerator / d;
}

std::optional<U256> w_mul_down(const U256& x, const U256& y) { return morpho::mul_div_down(x, y, fixed_point::wad()); }
std::optional<U256> w_div_down(const U256& x, const U256& y) { return morpho::mul_div_down(x, fixed_point::wad(), y); }
std::optional<U256> w_div_up(const U256& x, const U256& y) { return morpho::mul_div_up(x, fixed_point::wad(), y); }

std::optional<U256> w_taylor_compounded(const U256& x, const U256& n) {
    const auto first = checked_mul(x, n);
    if (!first) return std::nullopt;
    const auto second = morpho::mul_div_down(*first, *first, fixed_point::wad() * 2);
    if (!second) return std::nullopt;
    const auto third = morpho::mul_div_down(*second, *first, fixed_point::wad() * 3);
    if (!third) return std::nullopt;
    const auto partial = checked_add(*first, *second);
    if (!partial) return std::nullopt;
    return checked_add(*partial, *third);
}

}  // namespace morpho

namespace aave {

namespace {

std::optional<U256> half_up_mul(const U256& a, const U256& b, const U256& scale, const U256& half) {
    if (exceeds(a, U256::max() - half, b)) return std::nullopt;
    return (a * b + half) / scale;
}

std::optional<U256> half_up_div(const U256& a, const U256& b, const U256& scale) {
    if (b.is_zero()) return std::nullopt;
    const U256 half_b = b / 2;
    if (a > (U256::max() - half_b) / scale) return std::nullopt;
    return (a * scale + half_b) / b;
}

}  // namespace

std::optional<U256> wad_mul(const U256& a, const U256& b) {
    return half_up_mul(a, b, fixed_point::wad(), fixed_point::half_wad());
}
std::optional<U256> wad_div(const U256& a, const U256& b) { return half_up_div(a, b, fixed_point::wad()); }
std::optional<U256> ray_mul(const U256& a, const U256& b) {
    return half_up_mul(a, b, fixed_point::ray(), fixed_point::half_ray());
}
std::optional<U256> ray_div(const U256& a, const U256& b) { return half_up_div(a, b, fixed_point::ray()); }

std::optional<U256> ray_mul_floor(const U256& a, const U256& b) {
    if (exceeds(a, U256::max(), b)) return std::nullopt;
    return a * b / fixed_point::ray();
}

std::optional<U256> ray_mul_ceil(const U256& a, const U256& b) {
    if (exceeds(a, U256::max(), b)) return std::nullopt;
    return div_up(a * b, fixed_point::ray());
}

std::optional<U256> ray_div_floor(const U256& a, const U256& b) {
    if (b.is_zero() || a > U256::max() / fixed_point::ray()) return std::nullopt;
    return a * fixed_point::ray() / b;
}

std::optional<U256> ray_div_ceil(const U256& a, const U256& b) {
    if (b.is_zero() || a > U256::max() / fixed_point::ray()) return std::nullopt;
    return div_up(a * fixed_point::ray(), b);
}

U256 ray_to_wad(const U256& a) {
    const U256 ratio = fixed_point::wad_ray_ratio();
    const U256 quotient = a / ratio;
    // a / 1e9 <= 2^256 / 1e9, so adding one cannot wrap.
    return (a % ratio) < ratio / 2 ? quotient : quotient + 1;
}

std::optional<U256> wad_to_ray(const U256& a) { return checked_mul(a, fixed_point::wad_ray_ratio()); }

std::optional<U256> percent_mul(const U256& value, const U256& percentage_bps) {
    return half_up_mul(value, percentage_bps, fixed_point::percentage_factor(), fixed_point::half_percentage_factor());
}

std::optional<U256> percent_div(const U256& value, const U256& percentage_bps) {
    return half_up_div(value, percentage_bps, fixed_point::percentage_factor());
}

std::optional<U256> percent_mul_floor(const U256& value, const U256& percentage_bps) {
    if (exceeds(value, U256::max(), percentage_bps)) return std::nullopt;
    return value * percentage_bps / fixed_point::percentage_factor();
}

std::optional<U256> percent_mul_ceil(const U256& value, const U256& percentage_bps) {
    if (exceeds(value, U256::max(), percentage_bps)) return std::nullopt;
    return div_up(value * percentage_bps, fixed_point::percentage_factor());
}

std::optional<U256> percent_div_ceil(const U256& value, const U256& percentage_bps) {
    if (percentage_bps.is_zero() || value > U256::max() / fixed_point::percentage_factor()) return std::nullopt;
    return div_up(value * fixed_point::percentage_factor(), percentage_bps);
}

std::optional<U256> percent_div_floor(const U256& value, const U256& percentage_bps) {
    if (percentage_bps.is_zero() || value > U256::max() / fixed_point::percentage_factor()) return std::nullopt;
    return value * fixed_point::percentage_factor() / percentage_bps;
}

std::optional<U256> mul_div_ceil(const U256& a, const U256& b, const U256& c) {
    if (c.is_zero() || exceeds(a, U256::max(), b)) return std::nullopt;
    return div_up(a * b, c);
}

}  // namespace aave
}  // namespace keeper

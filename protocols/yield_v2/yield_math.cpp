#include "protocols/yield_v2/yield_math.hpp"

namespace keeper::yield_v2 {

std::optional<U256> wmul(const U256& x, const U256& y) {
    auto product = checked_mul(x, y);
    if (!product) return std::nullopt;
    return *product / wad();
}

std::optional<U256> wdiv(const U256& x, const U256& y) {
    if (y.is_zero()) return std::nullopt;
    auto scaled = checked_mul(x, wad());
    if (!scaled) return std::nullopt;
    return *scaled / y;
}

std::optional<U256> wdivup(const U256& x, const U256& y) {
    if (y.is_zero()) return std::nullopt;
    auto scaled = checked_mul(x, wad());
    if (!scaled) return std::nullopt;
    auto padded = checked_add(*scaled, y);
    if (!padded) return std::nullopt;
    return (*padded - U256(1)) / y;
}

U256 max_uint(unsigned bits) { return bits >= 256 ? U256::max() : (U256(1) << bits) - U256(1); }

}  // namespace keeper::yield_v2

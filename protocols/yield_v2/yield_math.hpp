#pragma once
// Yield's fixed-point helpers (utils-v2 2.6.8 math/WMul, WDiv, WDivUp) in
// U256 with Solidity 0.8's checked arithmetic: nullopt where the contract
// would revert (overflow, division by zero). Pure: core only.
#include <optional>

#include "core/u256.hpp"

namespace keeper::yield_v2 {

inline const U256& wad() {
    static const U256 one = U256::pow10(18);
    return one;
}

// x * y / 1e18, rounded down; the product is checked.
std::optional<U256> wmul(const U256& x, const U256& y);
// x * 1e18 / y, rounded down.
std::optional<U256> wdiv(const U256& x, const U256& y);
// (x * 1e18 + y - 1) / y: rounded up; x * 1e18 + y is checked.
std::optional<U256> wdivup(const U256& x, const U256& y);

// The largest value of a uint<bits>: 128 for art and ink.
U256 max_uint(unsigned bits);

}  // namespace keeper::yield_v2

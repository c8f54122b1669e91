#pragma once
// Binary search for the largest amount a monotone condition allows, shared by
// the strategies that size against a contract's own checks.
#include "core/u256.hpp"

namespace keeper::strategies {

// The largest x in [0, upper] with fits(x), for a predicate that holds up to
// some point and fails beyond it; fits(0) is taken as true (0 = none fits).
template <class Fits>
U256 largest_fitting(const U256& upper, Fits fits) {
    if (fits(upper)) return upper;
    U256 lo = 0;      // fits
    U256 hi = upper;  // does not fit
    while (hi - lo > 1) {
        const U256 mid = lo + (hi - lo) / 2;
        if (fits(mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

}  // namespace keeper::strategies

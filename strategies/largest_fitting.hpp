#pragma once
// Binary search for the largest amount a monotone condition allows, shared by
// the strategies that size against a contract's own checks.
#include "core/u256.hpp"

namespace keeper::strategies {

// The largest x in [lo, hi) with fits(x), given fits(lo) and !fits(hi).
template <class Fits>
U256 largest_fitting_between(U256 lo, U256 hi, Fits& fits) {
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

// The largest x in [0, upper] with fits(x), for a predicate that holds up to
// some point and fails beyond it; fits(0) is taken as true (0 = none fits).
template <class Fits>
U256 largest_fitting(const U256& upper, Fits fits) {
    if (fits(upper)) return upper;
    return largest_fitting_between(U256(), upper, fits);
}

// The same answer, found from a guess near it: steps of 1, 2, 4, ... away
// from the guess bracket the answer, then bisection. With the guess a few
// units off (a linear estimate of a rounded contract formula), about 2 x
// log2(error) + 2 evaluations instead of log2(upper), ~70 for token amounts.
template <class Fits>
U256 largest_fitting_near(const U256& upper, const U256& guess, Fits fits) {
    const U256 start = min(guess, upper);
    if (start.is_zero()) return largest_fitting(upper, fits);
    U256 step = 1;
    if (fits(start)) {
        U256 lo = start;
        while (true) {
            if (upper - lo <= step) return fits(upper) ? upper : largest_fitting_between(lo, upper, fits);
            const U256 next = lo + step;
            if (!fits(next)) return largest_fitting_between(lo, next, fits);
            lo = next;
            step = step + step;
        }
    }
    U256 hi = start;
    while (true) {
        if (hi <= step) return largest_fitting_between(U256(), hi, fits);
        const U256 next = hi - step;
        if (fits(next)) return largest_fitting_between(next, hi, fits);
        hi = next;
        step = step + step;
    }
}

}  // namespace keeper::strategies

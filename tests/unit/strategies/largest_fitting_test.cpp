#include <gtest/gtest.h>

#include <vector>

#include "strategies/largest_fitting.hpp"

using namespace keeper;
using namespace keeper::strategies;

namespace largest_fitting_test {

// fits(x) <=> x <= threshold: the answer is min(threshold, upper).
struct Counting {
    U256 threshold;
    int* calls;
    bool operator()(const U256& x) const {
        ++*calls;
        return x <= threshold;
    }
};

TEST(LargestFittingNear, FindsWhatTheBisectionFindsFromAnyGuess) {
    const std::vector<U256> thresholds{U256(0), U256(1), U256(5), U256(1000), U256::pow10(20) + U256(7)};
    const std::vector<U256> uppers{U256(0), U256(1), U256(6), U256(999), U256::pow10(21)};
    for (const U256& t : thresholds) {
        for (const U256& upper : uppers) {
            const U256 expected = min(t, upper);
            for (const U256& guess : {U256(0), U256(1), t, t + U256(3), t > U256(3) ? t - U256(3) : U256(0), upper,
                                      upper + U256(10), U256::pow10(25)}) {
                int calls = 0;
                EXPECT_EQ(largest_fitting_near(upper, guess, Counting{t, &calls}), expected)
                    << "threshold " << t.to_dec() << " upper " << upper.to_dec() << " guess " << guess.to_dec();
            }
        }
    }
}

TEST(LargestFittingNear, AGuessAFewUnitsOffTakesAFewSteps) {
    // Threshold 1e20 + 7 under an upper of 1e21: bisection takes ~70 calls.
    const U256 t = U256::pow10(20) + U256(7);
    int bisection = 0;
    EXPECT_EQ(largest_fitting(U256::pow10(21), Counting{t, &bisection}), t);
    int near_below = 0, near_above = 0;
    EXPECT_EQ(largest_fitting_near(U256::pow10(21), t - U256(3), Counting{t, &near_below}), t);
    EXPECT_EQ(largest_fitting_near(U256::pow10(21), t + U256(3), Counting{t, &near_above}), t);
    EXPECT_GE(bisection, 65);
    EXPECT_LE(near_below, 6);  // t-3, t-2, t, t+4 (fails), then t+1 .. : bracket [t, t+4)
    EXPECT_LE(near_above, 6);
}

}  // namespace largest_fitting_test

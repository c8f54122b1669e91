// The Monte-Carlo's random numbers: a generator written out (not the standard
// library's, whose normal distribution differs between libstdc++ and libc++),
// so a seed means the same draws everywhere. The expected words below come
// from an independent arbitrary-precision implementation of splitmix64 and
// xoshiro256** (Python integers), not from this code.
#include <gtest/gtest.h>

#include <cmath>

#include "margin/cholesky.hpp"
#include "margin/stress_random.hpp"

namespace keeper::margin::stress {
namespace stress_random_test {

TEST(StressRandom, Splitmix64FillsTheStateFromTheSeed) {
    std::uint64_t state = 1;
    EXPECT_EQ(splitmix64(state), 0x910a2dec89025cc1ULL);
    EXPECT_EQ(splitmix64(state), 0xbeeb8da1658eec67ULL);
    EXPECT_EQ(splitmix64(state), 0xf893a2eefb32555eULL);
    EXPECT_EQ(splitmix64(state), 0x71c18690ee42c90bULL);
}

TEST(StressRandom, Xoshiro256StarStarFromSeedOne) {
    Xoshiro256ss rng(1);
    EXPECT_EQ(rng.next(), 0xb3f2af6d0fc710c5ULL);
    EXPECT_EQ(rng.next(), 0x853b559647364ceaULL);
    EXPECT_EQ(rng.next(), 0x92f89756082a4514ULL);
}

TEST(StressRandom, UniformsAreTheTop53BitsAndNeverZero) {
    Xoshiro256ss rng(1);
    // (0xb3f2af6d0fc710c5 >> 11) + 1 = 6331357011769571, x 2^-53.
    EXPECT_EQ(rng.uniform01(), 6331357011769571.0 / 9007199254740992.0);
    for (int i = 0; i < 100'000; ++i) {
        const double u = rng.uniform01();
        ASSERT_GT(u, 0.0);
        ASSERT_LE(u, 1.0);
    }
}

TEST(StressRandom, SameSeedSameNormalsOtherSeedOtherNormals) {
    NormalSource a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const double x = a.next();
        EXPECT_EQ(x, b.next());
        differs = differs || x != c.next();
    }
    EXPECT_TRUE(differs);
}

TEST(StressRandom, NormalsHaveMeanZeroAndVarianceOne) {
    // 200,000 draws: the sample mean's standard error is 1/sqrt(200000) =
    // 0.0022, the variance's sqrt(2/200000) = 0.0032; bounds at ~4.5 of them.
    NormalSource normals(7);
    constexpr int kN = 200'000;
    double sum = 0.0, squares = 0.0, below = 0.0;
    for (int i = 0; i < kN; ++i) {
        const double z = normals.next();
        sum += z;
        squares += z * z;
        if (z < -2.326347874) below += 1.0;  // the 1 % quantile
    }
    EXPECT_NEAR(sum / kN, 0.0, 0.01);
    EXPECT_NEAR(squares / kN, 1.0, 0.015);
    // P(z < q_1%) = 0.01, standard error sqrt(0.01 x 0.99 / 200000) = 0.00022.
    EXPECT_NEAR(below / kN, 0.01, 0.001);
}

TEST(Cholesky, TwoByTwoWorkedByHand) {
    // [[4, 2], [2, 5]] = L L^T with L = [[2, 0], [1, 2]]: 2 = sqrt(4), 1 = 2 / 2, 2 = sqrt(5 - 1).
    const std::vector<double> a{4, 2, 2, 5};
    const auto l = cholesky(a, 2);
    ASSERT_TRUE(l.has_value()) << l.error().message;
    EXPECT_EQ(*l, (std::vector<double>{2, 0, 1, 2}));
}

TEST(Cholesky, ThreeByThreeReproducesTheMatrix) {
    // L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]]: the classic
    // [[4, 12, -16], [12, 37, -43], [-16, -43, 98]].
    const std::vector<double> a{4, 12, -16, 12, 37, -43, -16, -43, 98};
    const auto l = cholesky(a, 3);
    ASSERT_TRUE(l.has_value()) << l.error().message;
    EXPECT_EQ(*l, (std::vector<double>{2, 0, 0, 6, 1, 0, -8, 5, 3}));
}

TEST(Cholesky, PerfectCorrelationGivesAZeroColumnNotAFailure) {
    // Two assets that always move together: [[1, 1], [1, 1]] -> [[1, 0], [1, 0]].
    const std::vector<double> a{1, 1, 1, 1};
    const auto l = cholesky(a, 2);
    ASSERT_TRUE(l.has_value()) << l.error().message;
    EXPECT_EQ(*l, (std::vector<double>{1, 0, 1, 0}));
}

TEST(Cholesky, ContradictoryCorrelationsFailNamingTheRow) {
    // a with b 0.9, a with c 0.9, b with c -0.9: no three variables can do that.
    const std::vector<double> a{1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1};
    const auto l = cholesky(a, 3);
    ASSERT_FALSE(l.has_value());
    EXPECT_NE(l.error().message.find("row 2"), std::string::npos) << l.error().message;
    EXPECT_FALSE(cholesky(std::vector<double>{1, 0, 0}, 2).has_value());  // wrong size
}

}  // namespace stress_random_test
}  // namespace keeper::margin::stress

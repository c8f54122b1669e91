// The contracts' fixed-point helpers: rounding at the half and the exact
// inputs where the Solidity reverts.
#include <gtest/gtest.h>

#include "core/fixed_point.hpp"

namespace keeper {
namespace fixed_point_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kWad = fixed_point::wad();
const U256 kRay = fixed_point::ray();

TEST(MorphoMath, RoundsAndReverts) {
    EXPECT_EQ(morpho::mul_div_down(7, 3, 2), U256(10));
    EXPECT_EQ(morpho::mul_div_up(7, 3, 2), U256(11));
    EXPECT_EQ(morpho::w_div_up(1, 3), n("333333333333333334"));
    EXPECT_EQ(morpho::w_div_down(1, 3), n("333333333333333333"));
    EXPECT_FALSE(morpho::mul_div_down(1, 1, 0).has_value());
    EXPECT_FALSE(morpho::mul_div_up(1, 1, 0).has_value());
    // Unlike keeper::mul_div_down (512-bit), Morpho reverts when x * y overflows.
    EXPECT_FALSE(morpho::mul_div_down(U256::max(), 2, 2).has_value());
    EXPECT_EQ(keeper::mul_div_down(U256::max(), 2, 2), U256::max());
    // 1e18 * 1: x*n = 1e18, + 1e36/2e18 = 0.5e18, + 0.5e18 * 1e18 / 3e18 = 0.1666e18
    EXPECT_EQ(morpho::w_taylor_compounded(kWad, 1), n("1666666666666666666"));
}

TEST(AaveMath, HalfUpAtTheHalf) {
    EXPECT_EQ(aave::wad_mul(n("500000000000000000"), 1), U256(1));  // 0.5 rounds up
    EXPECT_EQ(aave::wad_mul(n("499999999999999999"), 1), U256(0));
    EXPECT_EQ(aave::wad_div(1, 2 * kWad), U256(1));                   // 0.5 -> 1
    EXPECT_EQ(aave::ray_mul(n("500000000000000000000000000"), 1), U256(1));
    EXPECT_EQ(aave::ray_div(3, 2 * kRay), U256(2));  // 1.5 -> 2
    EXPECT_EQ(aave::ray_to_wad(n("1499999999")), U256(1));
    EXPECT_EQ(aave::ray_to_wad(n("1500000000")), U256(2));
    EXPECT_EQ(aave::wad_to_ray(3), n("3000000000"));
    EXPECT_EQ(aave::percent_mul(3, 5'000), U256(2));  // 1.5 -> 2
    EXPECT_EQ(aave::percent_div(1, 20'000), U256(1));  // 0.5 -> 1
}

TEST(AaveMath, FloorCeilVariants) {
    EXPECT_EQ(aave::ray_mul_floor(n("1500000000000000000000000000"), 1), U256(1));
    EXPECT_EQ(aave::ray_mul_ceil(n("1000000000000000000000000001"), 1), U256(2));
    EXPECT_EQ(aave::ray_div_floor(2, 3 * kRay), U256(0));
    EXPECT_EQ(aave::ray_div_ceil(2, 3 * kRay), U256(1));
    EXPECT_EQ(aave::percent_mul_floor(19'999, 5'000), U256(9'999));
    EXPECT_EQ(aave::percent_mul_ceil(19'999, 5'000), U256(10'000));
    EXPECT_EQ(aave::percent_div_ceil(1, 30'000), U256(1));
    EXPECT_EQ(aave::percent_div_floor(10, 10'500), U256(9));    // 9.52
    EXPECT_EQ(aave::percent_div(10, 10'500), U256(10));         // half-up
    EXPECT_EQ(aave::percent_div_floor(1, 0), std::nullopt);
    EXPECT_EQ(aave::mul_div_ceil(10, 10, 3), U256(34));
}

TEST(AaveMath, RevertBoundaries) {
    // wadMul reverts iff a > (MAX - HALF_WAD) / b.
    const U256 b = 3;
    const U256 limit = (U256::max() - fixed_point::half_wad()) / b;
    EXPECT_TRUE(aave::wad_mul(limit, b).has_value());
    EXPECT_FALSE(aave::wad_mul(limit + 1, b).has_value());
    EXPECT_EQ(aave::wad_mul(U256::max(), 0), U256(0));
    EXPECT_FALSE(aave::wad_div(1, 0).has_value());
    EXPECT_FALSE(aave::ray_div(1, 0).has_value());
    EXPECT_FALSE(aave::percent_div(1, 0).has_value());
    EXPECT_FALSE(aave::ray_div_floor(U256::max() / kRay + 1, 1).has_value());
    EXPECT_FALSE(aave::ray_mul_ceil(U256::max(), 2).has_value());
    EXPECT_FALSE(aave::wad_to_ray(U256::max()).has_value());
    EXPECT_FALSE(aave::mul_div_ceil(1, 1, 0).has_value());
    EXPECT_EQ(aave::percent_mul(U256::max(), 0), U256(0));
}

}  // namespace fixed_point_test
}  // namespace keeper

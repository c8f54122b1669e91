// Aave V3 index growth (core-v3 1.19.3 MathUtils / ReserveLogic). Worked with
// SPY = 31536000 s and a 5% APR rate, 0.05e27 = 5e25 ray:
//   linear:     RAY + rate * dt / SPY
//   compounded: basePowerTwo   = rayMul(5e25, 5e25) / SPY^2 = 2.5e24 / 994519296000000 = 2513777269
//               basePowerThree = rayMul(2513777269, 5e25) / SPY = 125688863 / 31536000 = 3
//               RAY + rate*dt/SPY + dt(dt-1)*2513777269/2 + dt(dt-1)(dt-2)*3/6
// basePowerThree keeps only 3 of its ~3.99 ray-wei: the contract's truncation,
// reproduced rather than corrected.
#include <gtest/gtest.h>

#include <limits>

#include "margin/aave_interest.hpp"

namespace keeper::aave {
namespace aave_interest_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kRay = U256::pow10(27);
const U256 kFivePercent = n("50000000000000000000000000");   // 0.05e27
const U256 kEightPercent = n("80000000000000000000000000");  // 0.08e27
constexpr std::uint64_t kT0 = 1'700'000'000;
constexpr std::uint64_t kDay = 86'400;

TEST(AaveLinearInterest, FivePercentOverADayAndAYear) {
    // 5e25 * 86400 / 31536000 = 136986301369863013698630 (rounded down).
    EXPECT_EQ(linear_interest_ray(kFivePercent, kT0, kT0 + kDay).value(), n("1000136986301369863013698630"));
    // A whole year is exactly the rate: 1.05.
    EXPECT_EQ(linear_interest_ray(kFivePercent, kT0, kT0 + kSecondsPerYear).value(),
              n("1050000000000000000000000000"));
    // One second: 5e25 / 31536000 = 1585489599188229325.
    EXPECT_EQ(linear_interest_ray(kFivePercent, kT0, kT0 + 1).value(), n("1000000001585489599188229325"));
    EXPECT_EQ(linear_interest_ray(kFivePercent, kT0, kT0).value(), kRay);
}

TEST(AaveCompoundedInterest, FivePercentOverADayAndAYear) {
    // A day: 136986301369863013698630 + 86400*86399*2513777269/2 (= 9382514785819099200)
    //        + 86400*86399*86398*3/6 (= 322475074646400).
    EXPECT_EQ(compounded_interest_ray(kFivePercent, kT0, kT0 + kDay).value(), n("1000136995684207123907444230"));
    // A year: 0.05e27 + 1249999960296101334408000 + 15681578767549087536000 = 1.05126568...e27,
    // below e^0.05 = 1.0512710963...: the three-term series undercharges borrowers.
    EXPECT_EQ(compounded_interest_ray(kFivePercent, kT0, kT0 + kSecondsPerYear).value(),
              n("1051265681539063650421944000"));
}

TEST(AaveCompoundedInterest, FirstSecondsAndNoElapsedTime) {
    // exp == 0 returns RAY before any arithmetic.
    EXPECT_EQ(compounded_interest_ray(kFivePercent, kT0, kT0).value(), kRay);
    // One second: both higher terms vanish (exp - 1 = 0), same as linear.
    EXPECT_EQ(compounded_interest_ray(kFivePercent, kT0, kT0 + 1).value(), n("1000000001585489599188229325"));
    // Two seconds: expMinusTwo is 0, second term 2*1*2513777269/2 = 2513777269.
    EXPECT_EQ(compounded_interest_ray(kFivePercent, kT0, kT0 + 2).value(), n("1000000003170979200890235919"));
    // Three seconds: second 3*2*2513777269/2 = 7541331807, third 3*2*1*3/6 = 3.
    EXPECT_EQ(compounded_interest_ray(kFivePercent, kT0, kT0 + 3).value(), n("1000000004756468805106019785"));
}

TEST(AaveNormalizedIncome, StoredIndexInItsOwnBlockElseGrownLinearly) {
    const U256 index = n("1023456789012345678901234567");
    // Same block: the stored index, whatever the rate.
    EXPECT_EQ(normalized_income_ray(index, kFivePercent, kT0, kT0).value(), index);
    EXPECT_EQ(normalized_income_ray(index, U256::max(), kT0, kT0).value(), index);
    // rayMul(1000136986301369863013698630, index), half-up.
    EXPECT_EQ(normalized_income_ray(index, kFivePercent, kT0, kT0 + kDay).value(),
              n("1023596988572484356391495010"));
    // rayMul(1.05e27, index) = 1074629628462962962846296295.35 -> ...295.
    EXPECT_EQ(normalized_income_ray(index, kFivePercent, kT0, kT0 + kSecondsPerYear).value(),
              n("1074629628462962962846296295"));
    // A zero rate leaves the index where it is.
    EXPECT_EQ(normalized_income_ray(index, U256(), kT0, kT0 + kDay).value(), index);
}

TEST(AaveNormalizedDebt, StoredIndexInItsOwnBlockElseCompounded) {
    // 8% APR: basePowerTwo = 6435269808, basePowerThree = 16.
    const U256 index = n("1087654321098765432109876543");
    EXPECT_EQ(normalized_variable_debt_ray(index, kEightPercent, kT0, kT0).value(), index);
    // compounded(8%, 1 day) = 1000219202103149497194833008.
    EXPECT_EQ(compounded_interest_ray(kEightPercent, kT0, kT0 + kDay).value(), n("1000219202103149497194833008"));
    EXPECT_EQ(normalized_variable_debt_ray(index, kEightPercent, kT0, kT0 + kDay).value(),
              n("1087892737213449920033250997"));
    // compounded(8%, 1 year) = 1083283634984800035051648000.
    EXPECT_EQ(normalized_variable_debt_ray(index, kEightPercent, kT0, kT0 + kSecondsPerYear).value(),
              n("1178238126566795503751707955"));
}

TEST(AaveInterest, RevertsWhereTheContractWould) {
    // block.timestamp - lastUpdateTimestamp underflows.
    EXPECT_FALSE(linear_interest_ray(kFivePercent, kT0 + 1, kT0).has_value());
    EXPECT_FALSE(compounded_interest_ray(kFivePercent, kT0 + 1, kT0).has_value());
    EXPECT_FALSE(normalized_income_ray(kRay, kFivePercent, kT0 + 1, kT0).has_value());
    EXPECT_FALSE(normalized_variable_debt_ray(kRay, kFivePercent, kT0 + 1, kT0).has_value());
    // rate * elapsed overflows (checked), and rayMul(rate, rate) overflows.
    EXPECT_FALSE(linear_interest_ray(U256::max(), kT0, kT0 + 2).has_value());
    EXPECT_FALSE(compounded_interest_ray(U256::max() / 2, kT0, kT0 + 1).has_value());
    // The largest rate over one second: rate * 1 fits and RAY + max / SPY does too.
    EXPECT_TRUE(linear_interest_ray(U256::max(), kT0, kT0 + 1).has_value());
    // rayMul of a grown index overflowing reverts too.
    EXPECT_FALSE(normalized_income_ray(U256::max(), kFivePercent, kT0, kT0 + 1).has_value());
    // Timestamps near uint64's top still subtract exactly.
    constexpr std::uint64_t kTop = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(linear_interest_ray(kFivePercent, kTop - kSecondsPerYear, kTop).value(), n("1050000000000000000000000000"));
}

}  // namespace aave_interest_test
}  // namespace keeper::aave

// Cauldron._level and ChainlinkMultiOracle._peek, worked by hand.
#include "protocols/yield_v2/cauldron_level.hpp"

#include <gtest/gtest.h>

namespace keeper::yield_v2 {
namespace cauldron_level_test {

U256 usdc(std::uint64_t units) { return U256(units) * U256::pow10(6); }
const U256 kWad = U256::pow10(18);

TEST(CauldronLevel, ValueMinusDebtTimesRatio) {
    // 1 ETH at 1500 USDC for 1200 USDC at 150%: 1500 - 1800 = -300 USDC.
    EXPECT_EQ(cauldron_level({usdc(1500), usdc(1200), 1'500'000, std::nullopt}).value(), (Level{true, usdc(300)}));
    EXPECT_EQ(cauldron_level({usdc(2000), usdc(1200), 1'500'000, std::nullopt}).value(), (Level{false, usdc(200)}));
    // Exactly at the ratio is not under.
    EXPECT_FALSE(undercollateralised(cauldron_level({usdc(1800), usdc(1200), 1'500'000, std::nullopt}).value()));
}

TEST(CauldronLevel, FromMaturityTheDebtAccrues) {
    // rate 1.05e18 now, 1.0e18 at maturity: accrual 1.05; 1200 x 1.05 x 1.5 = 1890.
    const U256 accrual = accrual_wad(U256(105) * U256::pow10(16), kWad).value();
    EXPECT_EQ(accrual, U256(105) * U256::pow10(16));
    EXPECT_EQ(cauldron_level({usdc(2000), usdc(1200), 1'500'000, accrual}).value(), (Level{false, usdc(110)}));
    // Not recorded yet, or below 1: accrual is 1.
    EXPECT_EQ(accrual_wad(U256(7), U256()).value(), kWad);
    EXPECT_EQ(accrual_wad(U256(9) * U256::pow10(17), kWad).value(), kWad);
    // debtFromBase rounds up: 100 USDC at 1.05 is 95.238096 USDC of art.
    EXPECT_EQ(debt_from_base(usdc(100), accrual).value(), U256(95'238'096));
    EXPECT_EQ(debt_to_base(U256(95'238'096), accrual).value(), U256(100'000'000));
}

TEST(CauldronLevel, ChainlinkQuotesBothDirections) {
    // ETH -> USDC: 0.2 ETH x 1500e6 / 1e18 = 300 USDC.
    EXPECT_EQ(chainlink_quote({usdc(1500), 18, 6, false}, U256(2) * U256::pow10(17)).value(), usdc(300));
    // USDC -> ETH (the inverse source): 300e6 x 1e18 / 1500e6 = 0.2 ETH.
    EXPECT_EQ(chainlink_quote({usdc(1500), 6, 18, true}, usdc(300)).value(), U256(2) * U256::pow10(17));
    EXPECT_FALSE(chainlink_quote({U256(), 18, 6, false}, usdc(1)).has_value());
}

}  // namespace cauldron_level_test
}  // namespace keeper::yield_v2

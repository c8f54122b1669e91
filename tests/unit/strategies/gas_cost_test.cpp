// Gas in loan-token units, rounded up, and the gas limit's safety margin.
#include <gtest/gtest.h>

#include <cstdint>

#include "strategies/gas_cost.hpp"

namespace keeper::strategies {
namespace gas_cost_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }

TEST(GasLimitWithMargin, RoundsUpAndSaturates) {
    struct Row {
        std::uint64_t estimate;
        unsigned margin_percent;
        std::uint64_t limit;
    };
    const Row rows[] = {
        {100'000, 20, 120'000},
        {100'001, 20, 120'002},  // 120001.2 -> 120002
        {100'000, 0, 100'000},
        {21'000, 100, 42'000},
        {1, 1, 2},  // 1.01 -> 2
        {0, 20, 0},
        {UINT64_MAX, 20, UINT64_MAX},
        {UINT64_MAX, 0, UINT64_MAX},
    };
    for (const Row& r : rows) {
        EXPECT_EQ(gas_limit_with_margin(r.estimate, r.margin_percent), r.limit) << r.estimate << " +" << r.margin_percent;
    }
}

TEST(GasCostInLoan, WorstCaseFeeAtTheNativePrice) {
    // 500,000 gas at 20 gwei = 1e16 wei = 0.01 ETH; at 2000 loan-token units
    // (18 decimals) per ETH a wei buys 2000 loan units: price 2000e36 = 2e39.
    const GasCost gas{500'000, U256(20'000'000'000ULL), n("2000000000000000000000000000000000000000")};
    const auto cost = gas_cost_in_loan(gas);
    ASSERT_TRUE(cost.has_value()) << cost.error().message;
    EXPECT_TRUE(cost->priced);
    EXPECT_EQ(cost->loan, n("20000000000000000000"));  // 20 tokens
}

TEST(GasCostInLoan, RoundsUp) {
    // USDC (6 decimals) at 2000 per ETH: a wei is worth 2000e6 / 1e18 = 2e-9 USDC
    // units, price 2e27. 21,000 gas at 1 wei: 42,000 * 2e-9 = 0.000084 -> 1 unit.
    const GasCost gas{21'000, U256(1), n("2000000000000000000000000000")};
    const auto cost = gas_cost_in_loan(gas);
    ASSERT_TRUE(cost.has_value());
    EXPECT_EQ(cost->loan, U256(1));
    // 100,000 gas at 30 gwei = 3e15 wei -> 3e15 * 2e-9 = 6,000,000 units (6 USDC), exact.
    const auto exact = gas_cost_in_loan(GasCost{100'000, U256(30'000'000'000ULL), n("2000000000000000000000000000")});
    ASSERT_TRUE(exact.has_value());
    EXPECT_EQ(exact->loan, U256(6'000'000));
}

TEST(GasCostInLoan, UnpricedIsZeroAndFlagged) {
    const auto no_price = gas_cost_in_loan(GasCost{500'000, U256(20'000'000'000ULL), std::nullopt});
    ASSERT_TRUE(no_price.has_value());
    EXPECT_FALSE(no_price->priced);
    EXPECT_EQ(no_price->loan, U256(0));
    const auto no_gas = gas_cost_in_loan(std::nullopt);
    ASSERT_TRUE(no_gas.has_value());
    EXPECT_FALSE(no_gas->priced);
    EXPECT_EQ(no_gas->loan, U256(0));
}

TEST(GasCostInLoan, OverflowIsAnError) {
    const auto cost = gas_cost_in_loan(GasCost{2, U256::max(), U256(1)});
    ASSERT_FALSE(cost.has_value());
    EXPECT_NE(cost.error().message.find("overflows"), std::string::npos);
}

}  // namespace gas_cost_test
}  // namespace keeper::strategies

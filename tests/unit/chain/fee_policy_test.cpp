#include <gtest/gtest.h>

#include "chain/fee_policy.hpp"

using keeper::U256;
using namespace keeper::chain;

namespace {
const U256 gwei = U256::pow10(9);
}

TEST(FeePolicy, TipIsTheMedianRewardAndMaxFeeLeavesRoomForTwoBaseFees) {
    // Next base fee 30 gwei; rewards 1, 2, 3, 50 gwei -> median 2.5 gwei.
    const FeeHistory history{30 * gwei, {1 * gwei, 3 * gwei, 50 * gwei, 2 * gwei}};
    auto fees = choose_fees(history, FeeCaps{});
    ASSERT_TRUE(fees.has_value());
    EXPECT_EQ(fees->max_priority_fee_per_gas_wei, U256(2'500'000'000ULL));
    EXPECT_EQ(fees->max_fee_per_gas_wei, U256(62'500'000'000ULL));  // 2 x 30 + 2.5 gwei
}

TEST(FeePolicy, CapsBoundWhatWeOffer) {
    const FeeHistory history{400 * gwei, {300 * gwei}};
    FeeCaps caps;
    caps.max_fee_per_gas_wei = 500 * gwei;
    caps.max_priority_fee_per_gas_wei = 5 * gwei;
    auto fees = choose_fees(history, caps);
    ASSERT_TRUE(fees.has_value());
    EXPECT_EQ(fees->max_priority_fee_per_gas_wei, 5 * gwei);
    EXPECT_EQ(fees->max_fee_per_gas_wei, 500 * gwei);  // 805 gwei wanted, capped
}

TEST(FeePolicy, RefusesWhenTheBaseFeeAloneIsAboveTheCap) {
    FeeCaps caps;
    caps.max_fee_per_gas_wei = 20 * gwei;
    auto fees = choose_fees(FeeHistory{21 * gwei, {}}, caps);
    ASSERT_FALSE(fees.has_value());
    EXPECT_EQ(fees.error().message,
              "fees: next base fee 21000000000 wei is above the cap 20000000000 wei (max_fee_per_gas)");
}

TEST(FeePolicy, AnEmptyHistoryStillGivesTheMinimumTip) {
    auto fees = choose_fees(FeeHistory{U256(7), {}}, FeeCaps{});
    ASSERT_TRUE(fees.has_value());
    EXPECT_EQ(fees->max_priority_fee_per_gas_wei, U256(1));
    EXPECT_EQ(fees->max_fee_per_gas_wei, U256(15));
}

TEST(FeePolicy, AReplacementRaisesBothFieldsByAtLeastTenPercentRoundedUp) {
    // Old: 33 gwei + 1.5 gwei; the market has not moved (wanted = old).
    const Eip1559Fees old{33 * gwei, U256(1'500'000'001ULL)};
    auto fees = replacement_fees(old, old, FeeCaps{});
    ASSERT_TRUE(fees.has_value());
    EXPECT_EQ(fees->max_fee_per_gas_wei, U256(36'300'000'000ULL));
    EXPECT_EQ(fees->max_priority_fee_per_gas_wei, U256(1'650'000'002ULL));  // 1650000001.1 rounded up
}

TEST(FeePolicy, AReplacementFollowsTheMarketWhenItRoseMore) {
    const Eip1559Fees old{10 * gwei, 1 * gwei};
    const Eip1559Fees wanted{40 * gwei, 3 * gwei};
    EXPECT_EQ(replacement_fees(old, wanted, FeeCaps{}).value(), wanted);
}

TEST(FeePolicy, AReplacementAboveTheCapIsRefused) {
    FeeCaps caps;
    caps.max_fee_per_gas_wei = 100 * gwei;
    auto fees = replacement_fees(Eip1559Fees{95 * gwei, 1 * gwei}, Eip1559Fees{95 * gwei, 1 * gwei}, caps);
    ASSERT_FALSE(fees.has_value());
    EXPECT_NE(fees.error().message.find("above the cap"), std::string::npos);
}

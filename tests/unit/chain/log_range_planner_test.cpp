#include <gtest/gtest.h>

#include "chain/log_range_planner.hpp"

using keeper::chain::BlockRange;
using keeper::chain::LogRangePlanner;
using keeper::chain::RangeLimits;

TEST(LogRangePlanner, CoversEveryBlockExactlyOnce) {
    LogRangePlanner plan(100, 5'099, RangeLimits{.initial_span = 1'000, .max_span = 1'000});
    std::uint64_t expected_from = 100;
    int ranges = 0;
    while (auto r = plan.next()) {
        EXPECT_EQ(r->from, expected_from);
        expected_from = r->to + 1;
        plan.on_success(*r, 10, 0);
        ++ranges;
    }
    EXPECT_EQ(expected_from, 5'100u);
    EXPECT_EQ(ranges, 5);
    EXPECT_DOUBLE_EQ(plan.progress(), 1.0);
}

TEST(LogRangePlanner, HalvesOnRefusalAndRetriesTheSameStart) {
    LogRangePlanner plan(0, 9'999, RangeLimits{.initial_span = 2'000});
    const BlockRange first = *plan.next();
    EXPECT_EQ(first, (BlockRange{0, 1'999}));
    ASSERT_TRUE(plan.on_too_large(first).has_value());
    EXPECT_EQ(*plan.next(), (BlockRange{0, 999}));
    ASSERT_TRUE(plan.on_too_large(*plan.next()).has_value());
    EXPECT_EQ(*plan.next(), (BlockRange{0, 499}));
}

TEST(LogRangePlanner, GrowsWhileAnswersAreFastAndSmallUpToTheCap) {
    LogRangePlanner plan(0, 1'000'000, RangeLimits{.initial_span = 1'000, .max_span = 4'000, .fast_ms = 500});
    plan.on_success(*plan.next(), 100, 10);
    EXPECT_EQ(plan.span(), 2'000u);
    plan.on_success(*plan.next(), 100, 10);
    plan.on_success(*plan.next(), 100, 10);
    EXPECT_EQ(plan.span(), 4'000u);  // capped
    plan.on_success(*plan.next(), 900, 10);  // slow: no growth
    EXPECT_EQ(plan.span(), 4'000u);
    EXPECT_EQ(plan.next_block(), 1'000u + 2'000u + 4'000u + 4'000u);
}

TEST(LogRangePlanner, GivesUpOnlyWhenASingleBlockIsRefused) {
    LogRangePlanner plan(42, 43, RangeLimits{.initial_span = 2});
    ASSERT_TRUE(plan.on_too_large(*plan.next()).has_value());
    auto refused = plan.on_too_large(*plan.next());
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message,
              "log sync: the node refuses even 1 block(s) at 42; use a node without a log limit");
}

TEST(LogRangePlanner, RecognisesProvidersRangeErrors) {
    using keeper::chain::is_range_too_large_error;
    EXPECT_TRUE(is_range_too_large_error(-32005, "query returned more than 10000 results"));
    EXPECT_TRUE(is_range_too_large_error(-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range"));
    EXPECT_TRUE(is_range_too_large_error(-32000, "block range is too wide"));
    EXPECT_FALSE(is_range_too_large_error(-32000, "execution reverted"));
    EXPECT_FALSE(is_range_too_large_error(-32601, "the method eth_getLogs does not exist"));
}

TEST(LogRangePlanner, AnEmptyRangeIsAlreadyDone) {
    LogRangePlanner plan(10, 9);
    EXPECT_FALSE(plan.next().has_value());
    EXPECT_DOUBLE_EQ(plan.progress(), 1.0);
}

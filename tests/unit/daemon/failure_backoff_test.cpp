// FailureBackoff and WorkErrors: how one failing piece of work (a poisoned
// loan token, a market, a position) is skipped for a doubling number of
// blocks, forgotten on success, and logged once per change, not every round.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keeper/daemon/failure_backoff.hpp"
#include "keeper/daemon/work_errors.hpp"

namespace keeper::app {
namespace failure_backoff_test {

TEST(FailureBackoff, SkipsForADoublingNumberOfBlocksUpToTheCap) {
    FailureBackoff backoff(8);
    EXPECT_FALSE(backoff.skips("token A", 100));
    // (block seen, next block tried): 1, 2, 4, 8, 8 blocks.
    const std::vector<std::pair<std::uint64_t, std::uint64_t>> table{
        {100, 101}, {101, 103}, {103, 107}, {107, 115}, {115, 123}, {123, 131}};
    std::uint32_t n = 0;
    for (const auto& [seen, retry] : table) {
        ASSERT_FALSE(backoff.skips("token A", seen)) << seen;
        const auto failure = backoff.failed("token A", seen, "balanceOf reverted");
        EXPECT_EQ(failure.consecutive, ++n);
        EXPECT_EQ(failure.retry_at, retry) << "failure " << n;
        for (std::uint64_t b = seen; b < retry; ++b) EXPECT_TRUE(backoff.skips("token A", b)) << b;
        EXPECT_FALSE(backoff.skips("token A", retry));
    }
}

TEST(FailureBackoff, KeysAreIndependentAndSuccessForgets) {
    FailureBackoff backoff;
    backoff.failed("token A", 10, "reverted");
    EXPECT_TRUE(backoff.skips("token A", 10));
    EXPECT_FALSE(backoff.skips("token B", 10));
    backoff.failed("token A", 11, "reverted");
    EXPECT_TRUE(backoff.skips("token A", 12));
    EXPECT_TRUE(backoff.succeeded("token A"));
    EXPECT_FALSE(backoff.succeeded("token A"));
    EXPECT_FALSE(backoff.skips("token A", 12));
    EXPECT_EQ(backoff.size(), 0u);
    // After a success the count starts again from one block.
    EXPECT_EQ(backoff.failed("token A", 20, "reverted").retry_at, 21u);
}

TEST(FailureBackoff, ReportsAChangeOnlyForANewKeyOrADifferentMessage) {
    FailureBackoff backoff;
    EXPECT_TRUE(backoff.failed("m", 1, "oracle reverted").changed);
    EXPECT_FALSE(backoff.failed("m", 2, "oracle reverted").changed);
    EXPECT_FALSE(backoff.failed("m", 4, "oracle reverted").changed);
    EXPECT_TRUE(backoff.failed("m", 8, "timeout").changed);
    EXPECT_EQ(backoff.last_error("m"), "timeout");
    backoff.succeeded("m");
    EXPECT_TRUE(backoff.failed("m", 9, "timeout").changed);
}

TEST(FailureBackoff, ForgetUnlessKeepsOnlyWorkThatStillExists) {
    FailureBackoff backoff;
    for (const char* key : {"position 1", "position 2", "token A"}) backoff.failed(key, 5, "x");
    backoff.forget_unless([](const std::string& key) { return key != "position 2"; });
    EXPECT_EQ(backoff.size(), 2u);
    EXPECT_FALSE(backoff.last_error("position 2"));
    EXPECT_TRUE(backoff.last_error("position 1"));
}

TEST(FailureBackoff, NeverOverflowsNearTheLastBlock) {
    FailureBackoff backoff(1u << 20);
    for (int i = 0; i < 80; ++i) backoff.failed("k", UINT64_MAX - 3, "x");
    EXPECT_EQ(backoff.failed("k", UINT64_MAX - 3, "x").retry_at, UINT64_MAX);
    FailureBackoff capped(64);
    std::uint64_t retry = 0;
    for (int i = 0; i < 100; ++i) retry = capped.failed("k", 1000, "x").retry_at;
    EXPECT_EQ(retry, 1064u);
}

// A poisoned token seen every round for 40 rounds: one warning, tried again
// only at the backoff's blocks, each round's skips counted; one line when it
// recovers.
TEST(WorkErrors, LogsOncePerChangeAndCountsEverySkippedRound) {
    std::vector<std::string> warnings, infos;
    WorkErrors errors([&](const std::string& l) { warnings.push_back(l); },
                      [&](const std::string& l) { infos.push_back(l); }, 16);
    std::vector<std::uint64_t> tried_at;
    std::size_t counted = 0;
    for (std::uint64_t block = 100; block < 140; ++block) {
        errors.start_round();
        if (!errors.skips("token P", block)) {
            tried_at.push_back(block);
            errors.failed("token P", block, "reading balance of token P: execution reverted");
        }
        EXPECT_EQ(errors.skipped(), 1u) << "block " << block;
        counted += errors.skipped();
    }
    EXPECT_EQ(counted, 40u);
    EXPECT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings.front().find("execution reverted"), std::string::npos);
    EXPECT_EQ(tried_at, (std::vector<std::uint64_t>{100, 101, 103, 107, 115, 131}));

    errors.failed("token P", 131 + 16, "reading balance of token P: timeout");
    EXPECT_EQ(warnings.size(), 2u);
    errors.succeeded("token P");
    errors.succeeded("token P");
    ASSERT_EQ(infos.size(), 1u);
    EXPECT_EQ(infos.front(), "token P: works again");
}

TEST(WorkErrors, NotedErrorsAreLoggedOncePerChangeWithoutBackoff) {
    std::vector<std::string> warnings;
    WorkErrors errors([&](const std::string& l) { warnings.push_back(l); }, {});
    for (std::uint64_t block = 1; block <= 10; ++block) {
        errors.start_round();
        errors.noted("protocol", block, "following: eth_getLogs failed");
        EXPECT_EQ(errors.skipped(), 1u);
    }
    EXPECT_EQ(warnings.size(), 1u);
}

// An Aave reserve that fails leaves out only part of an account's choices:
// the caller counts the account once, and only if it is left out.
TEST(WorkErrors, APartialFailureIsCountedByTheCallerOnce) {
    std::vector<std::string> warnings;
    WorkErrors errors([&](const std::string& l) { warnings.push_back(l); }, {});
    errors.start_round();
    errors.failed("reserve DAI: balance", 50, "reserve DAI: balance: reverted", false);
    EXPECT_EQ(errors.skipped(), 0u);
    EXPECT_TRUE(errors.waiting("reserve DAI: balance", 50));
    EXPECT_EQ(errors.skipped(), 0u) << "waiting() does not count";
    errors.count_skipped();
    EXPECT_EQ(errors.skipped(), 1u);
    EXPECT_EQ(warnings.size(), 1u);
    errors.start_round();
    EXPECT_EQ(errors.skipped(), 0u);
}

}  // namespace failure_backoff_test
}  // namespace keeper::app

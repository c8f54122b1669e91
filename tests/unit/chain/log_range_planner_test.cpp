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

// A provider with a fixed range limit (here 300 blocks): once refused, the
// span stays below the limit for a while instead of bouncing off it on every
// other request.
TEST(LogRangePlanner, AfterARefusalGrowsOnlyAfterARunOfAnswers) {
    LogRangePlanner plan(0, 1'000'000, RangeLimits{.initial_span = 1'000, .successes_before_regrowth = 4});
    int refused = 0, answered = 0;
    while (plan.next_block() < 20'000) {
        const BlockRange r = *plan.next();
        if (r.size() > 300) {
            ASSERT_TRUE(plan.on_too_large(r).has_value());
            ++refused;
        } else {
            plan.on_success(r, 10, 0);
            ++answered;
        }
    }
    // 1000 -> 500 -> 250 (2 refusals); then every 4 answers one try at 500.
    EXPECT_EQ(answered, 80);
    EXPECT_EQ(refused, 2 + 80 / 4 - 1);
    EXPECT_LE(refused * 3, answered) << "at most one refusal per three answers";
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

// What real providers and clients answer to an eth_getLogs over too wide a
// range (or with too many results): each must shrink the range, not stop the sync.
TEST(LogRangePlanner, RecognisesTheRangeLimitWordingsOfRealProviders) {
    using keeper::chain::is_range_too_large_error;
    struct Refusal {
        const char* who;
        int code;
        const char* message;
    };
    const Refusal refusals[] = {
        {"Infura (results)", -32005, "query returned more than 10000 results. Try with this block range [0xBDE5F8, 0x102DBCC]."},
        {"Infura (range)", -32602, "range 1000000 exceeds limit of 10000"},
        {"Alchemy (size)", -32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size"},
        {"Alchemy (range)", -32600, "You can make eth_getLogs requests with up to a 500 block range. Based on your parameters, this block range should work: [0x1a30dfd, 0x1a30ff0]"},
        {"QuickNode", -32614, "eth_getLogs is limited to a 10,000 range"},
        {"QuickNode (older)", -32602, "eth_getLogs and eth_newFilter are limited to a 10,000 blocks range"},
        {"geth-based (BSC, PublicNode)", -32000, "exceed maximum block range: 50000"},
        {"Reth (range)", -32602, "query exceeds max block range 100000"},
        {"Reth, LlamaRPC (results)", -32602, "query exceeds max results 20000, retry with the range 24383075-24383096"},
        {"Erigon (cdk)", -32005, "block range too large, max range: 1000"},
        {"Ankr", -32600, "block range is too wide"},
        {"Moonbeam", -32603, "block range is too wide (maximum 1024)"},
        {"Avalanche", -32000, "requested too many blocks from 0 to 100000, maximum is set to 2048"},
        {"Chainstack", -32000, "Block range limit exceeded."},
        {"Optimism proxyd", -32000, "backend response too large"},
        {"Optimism", -32000, "Block range is too large"},
        {"Arbitrum", -32000, "logs matched by query exceeds limit of 10000"},
        {"Cloudflare", -32047, "Max range: 800"},
        {"thirdweb", -32602, "Maximum allowed number of requested blocks is 1000"},
        {"Blast", -32000, "eth_getLogs exceeds the range allowed for your plan (5000 > 500)."},
        {"Coinbase", -32000, "please limit the query to at most 1000 blocks"},
        {"1RPC", -32000, "response size should not greater than 10000000 bytes"},
        {"Harmony", -32000, "query must be smaller than size 1024"},
        {"Scroll", -32000, "block range is bigger than maxBlockRange"},
        {"morphl2", -32000, "block range is larger than max block range, block range = 5120, max block range = 5000"},
        {"a node that gave up", -32000, "query timeout exceeded"},
        // An HTTP 413 whose body is the provider's answer reaches us as a transport error.
        {"QuickNode over HTTP 413", 0, "all RPC endpoints failed: https://example.quiknode.pro: HTTP status 413: "
                                       "{\"jsonrpc\":\"2.0\",\"id\":56,\"error\":{\"code\":-32614,\"message\":\"eth_getLogs is limited to a 10,000 range\"}}"},
    };
    for (const auto& r : refusals) EXPECT_TRUE(is_range_too_large_error(r.code, r.message)) << r.who << ": " << r.message;

    const Refusal other_errors[] = {
        {"revert", -32000, "execution reverted"},
        {"no such method", -32601, "the method eth_getLogs does not exist/is not available"},
        {"bad params", -32602, "invalid argument 0: hex string without 0x prefix"},
        {"Infura rate limit", -32005, "daily request count exceeded, request rate limited"},
        {"rate limit", 429, "Too Many Requests"},
        {"head lag", -32602, "block range extends beyond current head block"},
        {"from after to", -32602, "invalid block range params"},
        {"dead node", 0, "all RPC endpoints failed: http://127.0.0.1:8545: connection refused"},
    };
    for (const auto& r : other_errors) EXPECT_FALSE(is_range_too_large_error(r.code, r.message)) << r.who << ": " << r.message;
}

TEST(LogRangePlanner, AnEmptyRangeIsAlreadyDone) {
    LogRangePlanner plan(10, 9);
    EXPECT_FALSE(plan.next().has_value());
    EXPECT_DOUBLE_EQ(plan.progress(), 1.0);
}

#include <gtest/gtest.h>

#include <deque>

#include "chain/failover_transport.hpp"
#include "chain/retrying_transport.hpp"
#include "chain/transport_failure.hpp"

using namespace keeper::chain;
using namespace std::chrono_literals;

namespace transport_layers_test {

constexpr const char* kOk = R"({"jsonrpc":"2.0","id":1,"result":"0x7a69"})";
constexpr const char* kRateLimited = R"({"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"daily request count exceeded, request rate limited"}})";
constexpr const char* kRevert = R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}})";

// Answers from a script, one per request, and counts what it was sent.
class ScriptedTransport final : public Transport {
public:
    explicit ScriptedTransport(std::deque<keeper::Result<std::string>> script, int* calls)
        : script_(std::move(script)), calls_(calls) {}
    keeper::Result<std::string> send(const std::string&) override {
        ++*calls_;
        if (script_.empty()) return keeper::fail("script exhausted");
        auto next = script_.front();
        script_.pop_front();
        return next;
    }

private:
    std::deque<keeper::Result<std::string>> script_;
    int* calls_;
};

keeper::Result<std::string> down(const char* why) { return keeper::fail(why); }

struct RecordedSleeps {
    std::vector<std::chrono::milliseconds> waits;
    RetryEnvironment environment() {
        return {[this](std::chrono::milliseconds d) { waits.push_back(d); }, [] { return 0.5; }};
    }
};

TEST(TransportFailure, SortsAnswersFromErrors) {
    EXPECT_EQ(classify_response(kOk), FailureKind::none);
    EXPECT_EQ(classify_response(kRevert), FailureKind::none);  // an answer: do not retry a revert
    EXPECT_EQ(classify_response(kRateLimited), FailureKind::rate_limited);
    EXPECT_EQ(classify_response(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"query returned more than 10000 results"}})"),
              FailureKind::none);  // about the range, not the rate
    EXPECT_EQ(classify_response(R"({"jsonrpc":"2.0","id":1,"resu)"), FailureKind::unavailable);  // cut mid-body
    EXPECT_EQ(classify_response(R"([{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"2.0","id":2,"error":{"code":429,"message":"Too Many Requests"}}])"),
              FailureKind::rate_limited);
    EXPECT_EQ(classify_transport_error(keeper::Error{"HTTP status 429: slow down"}), FailureKind::rate_limited);
    EXPECT_EQ(classify_transport_error(keeper::Error{"http http://127.0.0.1:1: connect: refused"}), FailureKind::unavailable);
}

TEST(RetryingTransport, RetriesUntilAnAnswerWithGrowingJitteredBackoff) {
    int calls = 0;
    RecordedSleeps sleeps;
    RetryingTransport retry(std::make_unique<ScriptedTransport>(
                                std::deque<keeper::Result<std::string>>{down("timeout"), down("HTTP status 502: bad gateway"), kOk}, &calls),
                            RetryPolicy{.max_attempts = 4, .base_delay = 100ms, .max_delay = 5'000ms}, sleeps.environment());
    auto answer = retry.send("{}");
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(*answer, kOk);
    EXPECT_EQ(calls, 3);
    // Full jitter at 0.5: half of 100 ms, then half of 200 ms.
    EXPECT_EQ(sleeps.waits, (std::vector<std::chrono::milliseconds>{50ms, 100ms}));
}

TEST(RetryingTransport, WaitsAtLeastTheRateLimitFloorAfterA429) {
    int calls = 0;
    RecordedSleeps sleeps;
    RetryingTransport retry(
        std::make_unique<ScriptedTransport>(std::deque<keeper::Result<std::string>>{kRateLimited, kOk}, &calls),
        RetryPolicy{.rate_limit_delay = 1'000ms}, sleeps.environment());
    ASSERT_TRUE(retry.send("{}").has_value());
    EXPECT_EQ(sleeps.waits, (std::vector<std::chrono::milliseconds>{1'000ms}));
}

TEST(RetryingTransport, DoesNotRetryARevert) {
    int calls = 0;
    RecordedSleeps sleeps;
    RetryingTransport retry(std::make_unique<ScriptedTransport>(std::deque<keeper::Result<std::string>>{kRevert, kOk}, &calls),
                            RetryPolicy{}, sleeps.environment());
    EXPECT_EQ(*retry.send("{}"), kRevert);
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(sleeps.waits.empty());
}

TEST(RetryingTransport, GivesUpAfterMaxAttemptsSayingHowMany) {
    int calls = 0;
    RecordedSleeps sleeps;
    RetryingTransport retry(std::make_unique<ScriptedTransport>(
                                std::deque<keeper::Result<std::string>>{down("a"), down("b"), down("connect: refused")}, &calls),
                            RetryPolicy{.max_attempts = 3}, sleeps.environment());
    auto answer = retry.send("{}");
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().message, "after 3 attempts: connect: refused");
    EXPECT_EQ(calls, 3);
}

TEST(RetryingTransport, BackoffIsCappedAtTheMaximum) {
    RecordedSleeps sleeps;
    int calls = 0;
    RetryingTransport retry(std::make_unique<ScriptedTransport>(std::deque<keeper::Result<std::string>>{}, &calls),
                            RetryPolicy{.base_delay = 100ms, .max_delay = 1'000ms},
                            RetryEnvironment{[](auto) {}, [] { return 0.999; }});
    EXPECT_EQ(retry.backoff(1, false), 99ms);
    EXPECT_EQ(retry.backoff(10, false), 999ms);
}

TEST(FailoverTransport, MovesToTheNextNodeAndComesBackAfterTheCooldown) {
    auto t = std::chrono::steady_clock::time_point{} + 1h;
    int primary_calls = 0, backup_calls = 0;
    std::vector<FailoverTransport::Endpoint> endpoints;
    endpoints.push_back({"primary", std::make_unique<ScriptedTransport>(
                                        std::deque<keeper::Result<std::string>>{down("connect: refused"), kOk}, &primary_calls)});
    endpoints.push_back({"backup", std::make_unique<ScriptedTransport>(
                                       std::deque<keeper::Result<std::string>>{kOk, kOk}, &backup_calls)});
    FailoverTransport failover(std::move(endpoints), FailoverPolicy{.base_cooldown = 1'000ms}, [&] { return t; });

    EXPECT_EQ(*failover.send("{}"), kOk);  // primary fails, backup answers
    EXPECT_EQ(primary_calls, 1);
    EXPECT_EQ(backup_calls, 1);
    EXPECT_EQ(failover.health()[0].consecutive_failures, 1u);

    t += 500ms;  // primary still cooling: straight to backup
    EXPECT_EQ(*failover.send("{}"), kOk);
    EXPECT_EQ(primary_calls, 1);
    EXPECT_EQ(backup_calls, 2);

    t += 600ms;  // cooldown over: primary first again
    EXPECT_EQ(*failover.send("{}"), kOk);
    EXPECT_EQ(primary_calls, 2);
    EXPECT_EQ(failover.health()[0].consecutive_failures, 0u);
}

TEST(FailoverTransport, ReportsEveryEndpointWhenAllFail) {
    int a = 0, b = 0;
    std::vector<FailoverTransport::Endpoint> endpoints;
    endpoints.push_back({"http://a", std::make_unique<ScriptedTransport>(std::deque<keeper::Result<std::string>>{down("timeout")}, &a)});
    endpoints.push_back({"http://b", std::make_unique<ScriptedTransport>(std::deque<keeper::Result<std::string>>{kRateLimited}, &b)});
    FailoverTransport failover(std::move(endpoints));
    auto answer = failover.send("{}");
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().message, "all RPC endpoints failed: http://a: timeout; http://b: rate limited");
}

TEST(FailoverTransport, CooldownDoublesWithConsecutiveFailures) {
    auto t = std::chrono::steady_clock::time_point{} + 1h;
    int calls = 0;
    std::vector<FailoverTransport::Endpoint> endpoints;
    endpoints.push_back({"only", std::make_unique<ScriptedTransport>(
                                     std::deque<keeper::Result<std::string>>{down("x"), down("x"), down("x")}, &calls)});
    FailoverTransport failover(std::move(endpoints), FailoverPolicy{.base_cooldown = 1'000ms, .max_cooldown = 3'000ms},
                               [&] { return t; });
    (void)failover.send("{}");
    EXPECT_EQ(failover.health()[0].down_until - t, 1'000ms);
    (void)failover.send("{}");  // an only endpoint is still tried while cooling
    EXPECT_EQ(failover.health()[0].down_until - t, 2'000ms);
    (void)failover.send("{}");
    EXPECT_EQ(failover.health()[0].down_until - t, 3'000ms);  // capped
}

}  // namespace transport_layers_test

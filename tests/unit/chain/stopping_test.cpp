// A shutdown cuts the network layers short: RetryingTransport makes no
// further attempt and no backoff wait once its environment says `stopping`,
// and SubscriptionClient attempts no (re)connection. The predicate comes in
// through RetryEnvironment: chain/ knows no signal handler.
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "chain/retrying_transport.hpp"
#include "chain/subscription.hpp"

using namespace keeper::chain;
using namespace std::chrono_literals;

namespace stopping_test {

class AlwaysDown final : public Transport {
public:
    explicit AlwaysDown(int* calls) : calls_(calls) {}
    keeper::Result<std::string> send(const std::string&) override {
        ++*calls_;
        return keeper::fail("http http://node:8545: timeout: no answer in 8000 ms");
    }

private:
    int* calls_;
};

TEST(Stopping, NoRetryAndNoBackoffOnceStoppingHolds) {
    int calls = 0;
    std::vector<std::chrono::milliseconds> waits;
    bool stopping = true;
    RetryingTransport retry(std::make_unique<AlwaysDown>(&calls), RetryPolicy{},
                            RetryEnvironment{[&](std::chrono::milliseconds d) { waits.push_back(d); }, [] { return 0.5; },
                                             [&] { return stopping; }});
    auto answer = retry.send("{}");
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(waits.empty());
    EXPECT_EQ(answer.error().message,
              "after 1 attempt (stopping: no retry): http http://node:8545: timeout: no answer in 8000 ms");
}

TEST(Stopping, AShutdownDuringTheBackoffWaitEndsTheRetryLoop) {
    int calls = 0;
    bool stopping = false;
    std::vector<std::chrono::milliseconds> waits;
    RetryingTransport retry(std::make_unique<AlwaysDown>(&calls), RetryPolicy{},
                            RetryEnvironment{[&](std::chrono::milliseconds d) {
                                                 waits.push_back(d);
                                                 stopping = true;  // SIGTERM arrives while we wait
                                             },
                                             [] { return 0.5; }, [&] { return stopping; }});
    EXPECT_FALSE(retry.send("{}").has_value());
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(waits.size(), 1u);
}

TEST(Stopping, WithoutAStoppingPredicateEveryAttemptIsMade) {
    int calls = 0;
    RetryingTransport retry(std::make_unique<AlwaysDown>(&calls), RetryPolicy{},
                            RetryEnvironment{[](std::chrono::milliseconds) {}, [] { return 0.5; }});
    EXPECT_FALSE(retry.send("{}").has_value());
    EXPECT_EQ(calls, 4);
}

TEST(Stopping, TheRealSleepReturnsAtOnceWhenStopping) {
    // Not a timing assertion: with `stopping` already true the wait of an
    // hour must return, or this test never ends.
    RetryEnvironment env = real_retry_environment([] { return true; });
    env.sleep(std::chrono::hours(1));
    SUCCEED();
}

TEST(Stopping, ASubscriptionClientDoesNotConnectWhenStopping) {
    int connects = 0;
    ChannelFactory factory = [&connects]() -> keeper::Result<std::unique_ptr<MessageChannel>> {
        ++connects;
        return keeper::fail("ws ws://node:80: connect: Connection refused");
    };
    std::vector<std::chrono::milliseconds> waits;
    SubscriptionClient client(factory, ReconnectPolicy{},
                              RetryEnvironment{[&](std::chrono::milliseconds d) { waits.push_back(d); },
                                               [] { return 1.0; }, [] { return true; }});
    auto key = client.subscribe_new_heads();
    ASSERT_FALSE(key.has_value());
    EXPECT_NE(key.error().message.find("stopped (shutdown)"), std::string::npos) << key.error().message;
    EXPECT_EQ(connects, 0);
    EXPECT_TRUE(waits.empty());
}

}  // namespace stopping_test

// AlertDispatcher: enqueue never waits for the post; a full queue drops the
// oldest waiting alert (counted); alerts leave in order; stop() abandons a
// post that never returns by itself. The fake post is held and released by
// the test through a gate, so nothing here depends on timing.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "keeper/alerts/alert_dispatcher.hpp"

namespace keeper::alerts {
namespace alert_dispatcher_test {

using namespace std::chrono_literals;

Alert numbered(int n) {
    Alert alert{Severity::warning, AccountHealth{}, "alert " + std::to_string(n)};
    return alert;
}

// A webhook the test controls: each post waits until the gate is open (or
// abandoned), and records what it was given.
class FakeWebhook {
public:
    Result<void> post(const Alert& alert) {
        std::unique_lock lock(mutex_);
        started_.push_back(alert.text);
        changed_.notify_all();
        changed_.wait(lock, [&] { return open_ || abandoned_; });
        if (abandoned_ && !open_) return fail("cancelled");
        posted_.push_back(alert.text);
        return {};
    }
    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }
    void abandon() {
        std::lock_guard lock(mutex_);
        abandoned_ = true;
        changed_.notify_all();
    }
    // Blocks until `n` posts have started.
    void wait_started(std::size_t n) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return started_.size() >= n; });
    }
    std::vector<std::string> posted() {
        std::lock_guard lock(mutex_);
        return posted_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool open_ = false;
    bool abandoned_ = false;
    std::vector<std::string> started_;
    std::vector<std::string> posted_;
};

AlertDispatcher::Post poster(FakeWebhook& hook) {
    return [&hook](const Alert& alert) { return hook.post(alert); };
}

TEST(AlertDispatcher, EnqueueDoesNotWaitForAHeldPostAndAFullQueueDropsTheOldest) {
    FakeWebhook hook;
    std::vector<std::string> warnings;
    DispatcherOptions options;
    options.capacity = 3;
    options.drain_at_stop = 1h;  // never reached: the queue drains once the gate opens
    AlertDispatcher dispatcher(poster(hook), [&](const std::string& w) { warnings.push_back(w); }, options,
                               [&] { hook.abandon(); });
    EXPECT_FALSE(dispatcher.enqueue(numbered(1)));
    hook.wait_started(1);  // the worker holds alert 1; the queue is empty again
    // The post in progress never returns until the gate opens, yet every
    // enqueue below returns at once: that is the whole point.
    EXPECT_FALSE(dispatcher.enqueue(numbered(2)));
    EXPECT_FALSE(dispatcher.enqueue(numbered(3)));
    EXPECT_FALSE(dispatcher.enqueue(numbered(4)));
    EXPECT_TRUE(dispatcher.enqueue(numbered(5)));  // 2 dropped
    EXPECT_TRUE(dispatcher.enqueue(numbered(6)));  // 3 dropped
    EXPECT_EQ(dispatcher.queued(), 3u);
    EXPECT_EQ(dispatcher.counts().dropped, 2u);

    hook.open();
    dispatcher.stop();
    EXPECT_EQ(hook.posted(), (std::vector<std::string>{"alert 1", "alert 4", "alert 5", "alert 6"}));
    const DispatcherCounts counts = dispatcher.counts();
    EXPECT_EQ(counts.sent, 4u);
    EXPECT_EQ(counts.failed, 0u);
    EXPECT_EQ(counts.dropped, 2u);
    EXPECT_TRUE(warnings.empty());
}

TEST(AlertDispatcher, StopAbandonsAPostThatNeverReturnsAndCountsWhatWasLeft) {
    FakeWebhook hook;
    std::vector<std::string> warnings;
    std::mutex warnings_mutex;
    DispatcherOptions options;
    options.capacity = 8;
    options.drain_at_stop = 0ms;
    AlertDispatcher dispatcher(
        poster(hook),
        [&](const std::string& w) {
            std::lock_guard lock(warnings_mutex);
            warnings.push_back(w);
        },
        options, [&] { hook.abandon(); });
    dispatcher.enqueue(numbered(1));
    hook.wait_started(1);
    dispatcher.enqueue(numbered(2));
    dispatcher.enqueue(numbered(3));

    dispatcher.stop();  // returns only because the abandon hook ends the held post
    const DispatcherCounts counts = dispatcher.counts();
    EXPECT_EQ(counts.sent, 0u);
    EXPECT_EQ(counts.failed, 1u);
    EXPECT_EQ(counts.dropped, 2u);
    EXPECT_TRUE(hook.posted().empty());
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_EQ(warnings[0], "alert webhook: cancelled");
    EXPECT_EQ(warnings[1], "alerts: 2 alert(s) still queued at shutdown were not sent");

    // After stop, nothing is taken (and nothing blocks).
    EXPECT_FALSE(dispatcher.enqueue(numbered(4)));
    EXPECT_EQ(dispatcher.counts().dropped, 3u);
    dispatcher.stop();  // twice is fine
}

TEST(AlertDispatcher, FailedPostsAreLoggedAndCountedAndTheNextGoesOut) {
    std::vector<std::string> warnings;
    std::vector<std::string> posted;
    DispatcherOptions options;
    options.drain_at_stop = 1h;  // drains as soon as empty
    {
        AlertDispatcher dispatcher(
            [&](const Alert& alert) -> Result<void> {
                if (alert.text == "alert 1") return fail("webhook http://hook: timeout: no answer");
                posted.push_back(alert.text);
                return {};
            },
            [&](const std::string& w) { warnings.push_back(w); }, options);
        dispatcher.enqueue(numbered(1));
        dispatcher.enqueue(numbered(2));
        dispatcher.stop();
        EXPECT_EQ(dispatcher.counts().sent, 1u);
        EXPECT_EQ(dispatcher.counts().failed, 1u);
    }
    EXPECT_EQ(posted, (std::vector<std::string>{"alert 2"}));
    EXPECT_EQ(warnings, (std::vector<std::string>{"alert webhook: webhook http://hook: timeout: no answer"}));
}

}  // namespace alert_dispatcher_test
}  // namespace keeper::alerts

// HeadSourceThread and FallbackHeadSource with scripted sources: a websocket
// that is down never holds up the caller (heads come from polling), a live
// but silent one does not either, heads are never repeated, and stop() ends
// a source step that honours `stopping`. Nothing asserts on time: waits for
// the worker thread are bounded only to turn a bug into a failure, not a hang.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chain/fallback_head_source.hpp"
#include "chain/head_source_thread.hpp"

namespace keeper::chain {
namespace head_fallback_test {

using namespace std::chrono_literals;

BlockHeader head(std::uint64_t number) {
    BlockHeader h;
    h.number = number;
    h.hash.bytes[31] = static_cast<std::uint8_t>(number);
    h.hash.bytes[0] = 0xaa;
    return h;
}

// Repeats `check` until true or a generous bound (a guard against hanging, not a timing assertion).
template <class F>
bool eventually(F check) {
    for (int i = 0; i < 2000; ++i) {
        if (check()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return check();
}

// Runs on the worker thread: hands out queued heads, else says nothing; or
// fails every call.
class ScriptedWebsocket final : public HeadSource {
public:
    struct Script {
        std::mutex mutex;
        std::deque<BlockHeader> heads;
        bool fail = false;
        std::atomic<int> calls{0};
    };
    explicit ScriptedWebsocket(std::shared_ptr<Script> script) : script_(std::move(script)) {}
    Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds) override {
        ++script_->calls;
        std::lock_guard lock(script_->mutex);
        if (script_->fail) return fail("ws ws://node:1: handshake: timed out after 3000 ms");
        if (script_->heads.empty()) return std::optional<BlockHeader>{};
        BlockHeader h = script_->heads.front();
        script_->heads.pop_front();
        return std::optional<BlockHeader>(h);
    }
    std::string_view kind() const override { return "websocket"; }

private:
    std::shared_ptr<Script> script_;
};

// Runs on the caller's thread: one scripted answer per call, never waits.
class ScriptedPolling final : public HeadSource {
public:
    explicit ScriptedPolling(std::deque<std::optional<BlockHeader>> answers, int* calls)
        : answers_(std::move(answers)), calls_(calls) {}
    Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds) override {
        ++*calls_;
        if (answers_.empty()) return std::optional<BlockHeader>{};
        auto next = answers_.front();
        answers_.pop_front();
        return next;
    }
    std::string_view kind() const override { return "polling"; }

private:
    std::deque<std::optional<BlockHeader>> answers_;
    int* calls_;
};

std::unique_ptr<HeadSourceThread> websocket_thread(std::shared_ptr<ScriptedWebsocket::Script> script) {
    HeadSourceThread::Options options;
    options.pause_after_error = 1ms;
    return std::make_unique<HeadSourceThread>(
        [script](std::function<bool()>) { return std::make_unique<ScriptedWebsocket>(script); },
        options);
}

TEST(HeadSourceThread, HandsOverHeadsInOrderAndIsLiveAfterASuccess) {
    auto script = std::make_shared<ScriptedWebsocket::Script>();
    script->heads = {head(1), head(2), head(3)};
    auto thread = websocket_thread(script);
    EXPECT_FALSE(thread->live());  // nothing ran yet
    thread->start();
    std::vector<std::uint64_t> got;
    ASSERT_TRUE(eventually([&] {
        while (auto h = thread->take()) got.push_back(h->number);
        return got.size() == 3;
    }));
    EXPECT_EQ(got, (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_TRUE(thread->live());
    thread->stop();
    EXPECT_FALSE(thread->live());
}

TEST(HeadSourceThread, AFailingSourceIsNotLiveAndSaysWhy) {
    auto script = std::make_shared<ScriptedWebsocket::Script>();
    script->fail = true;
    auto thread = websocket_thread(script);
    thread->start();
    ASSERT_TRUE(eventually([&] { return !thread->last_error().empty(); }));
    EXPECT_FALSE(thread->live());
    EXPECT_NE(thread->last_error().find("handshake: timed out"), std::string::npos) << thread->last_error();
}

// A step that would block for ever unless `stopping` turns true: what a
// connect to a hung node is, bounded by its timeout instead.
class BlockingUntilStopped final : public HeadSource {
public:
    BlockingUntilStopped(std::function<bool()> stopping, std::atomic<bool>* entered)
        : stopping_(std::move(stopping)), entered_(entered) {}
    Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds) override {
        *entered_ = true;
        while (!stopping_()) std::this_thread::sleep_for(1ms);
        return fail("stopped");
    }
    std::string_view kind() const override { return "websocket"; }

private:
    std::function<bool()> stopping_;
    std::atomic<bool>* entered_;
};

TEST(HeadSourceThread, StopEndsAStepThatHonoursStopping) {
    std::atomic<bool> entered{false};
    HeadSourceThread thread(
        [&entered](std::function<bool()> stopping) {
            return std::make_unique<BlockingUntilStopped>(std::move(stopping), &entered);
        },
        HeadSourceThread::Options{});
    thread.start();
    ASSERT_TRUE(eventually([&] { return entered.load(); }));
    thread.stop();  // returns: the join is bounded by the step, not by the network
    SUCCEED();
}

TEST(HeadSourceThread, TheProgramsOwnStoppingEndsTheWorkerToo) {
    std::atomic<bool> entered{false};
    std::atomic<bool> shutdown{false};
    HeadSourceThread thread(
        [&entered](std::function<bool()> stopping) {
            return std::make_unique<BlockingUntilStopped>(std::move(stopping), &entered);
        },
        HeadSourceThread::Options{}, [&shutdown] { return shutdown.load(); });
    thread.start();
    ASSERT_TRUE(eventually([&] { return entered.load(); }));
    shutdown = true;
    ASSERT_TRUE(eventually([&] { return thread.ended(); }));
    thread.stop();
}

TEST(FallbackHeadSource, AWebsocketThatIsDownLeavesEveryHeadToPollingWithoutRepeats) {
    auto script = std::make_shared<ScriptedWebsocket::Script>();
    script->fail = true;
    int polls = 0;
    auto polling = std::make_unique<ScriptedPolling>(
        std::deque<std::optional<BlockHeader>>{head(5), head(5), std::nullopt, head(6)}, &polls);
    std::vector<std::pair<bool, std::string>> notes;
    FallbackHeadSource source(websocket_thread(script), std::move(polling), 1000ms,
                              [&](bool trouble, const std::string& line) { notes.emplace_back(trouble, line); });
    EXPECT_EQ(source.kind(), "websocket");

    std::vector<std::uint64_t> got;
    for (int i = 0; i < 4; ++i) {
        auto h = source.next_head(1h);  // would hang if it waited for the websocket
        ASSERT_TRUE(h.has_value()) << h.error().message;
        if (*h) got.push_back((*h)->number);
        EXPECT_TRUE(source.polling());
    }
    EXPECT_EQ(got, (std::vector<std::uint64_t>{5, 6}));  // 5 once, though polling saw it twice
    EXPECT_EQ(polls, 4);

    // Once the socket's failure is known, the switch is told (once).
    ASSERT_TRUE(eventually([&] {
        (void)source.next_head(0ms);
        return !notes.empty();
    }));
    EXPECT_TRUE(notes.front().first);
    EXPECT_NE(notes.front().second.find("websocket heads down (ws ws://node:1: handshake: timed out"), std::string::npos)
        << notes.front().second;
    EXPECT_EQ(notes.size(), 1u);
}

TEST(FallbackHeadSource, ALiveButSilentWebsocketDoesNotHoldUpAHeadThatHttpHas) {
    auto script = std::make_shared<ScriptedWebsocket::Script>();
    script->heads = {head(7)};
    auto thread = websocket_thread(script);
    HeadSourceThread* socket = thread.get();
    socket->start();
    ASSERT_TRUE(eventually([&] { return socket->live(); }));  // subscribed; says nothing after block 7
    int polls = 0;
    // HTTP: block 7 (already had from the socket), then 8 and 9 the socket never sends.
    auto polling = std::make_unique<ScriptedPolling>(std::deque<std::optional<BlockHeader>>{head(7), head(8), head(9)},
                                                     &polls);
    std::vector<std::pair<bool, std::string>> notes;
    FallbackHeadSource source(std::move(thread), std::move(polling), 1ms,
                              [&](bool trouble, const std::string& line) { notes.emplace_back(trouble, line); });

    std::vector<std::uint64_t> got;
    for (int i = 0; i < 3; ++i) {
        auto h = source.next_head(1h);  // returns as soon as either way has something new
        ASSERT_TRUE(h.has_value()) << h.error().message;
        ASSERT_TRUE(h->has_value());
        got.push_back((*h)->number);
        EXPECT_FALSE(source.polling());
    }
    // 7 once, then 8 and 9 from HTTP although the socket stays silent.
    EXPECT_EQ(got, (std::vector<std::uint64_t>{7, 8, 9}));
    // Told once: the first is "subscribed", then the second head HTTP had first.
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_FALSE(notes[0].first);
    EXPECT_EQ(notes[0].second, "websocket heads: subscribed");
    EXPECT_TRUE(notes[1].first);
    EXPECT_NE(notes[1].second.find("blocks up to 9 came by HTTP first, the websocket is connected but silent"),
              std::string::npos)
        << notes[1].second;
}

}  // namespace head_fallback_test
}  // namespace keeper::chain

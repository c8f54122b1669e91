#pragma once
// A HeadSource run on a thread of its own: connecting, subscribing,
// reconnecting with backoff and waiting on a socket happen there, so none of
// it ever holds up the thread that runs the keeper's rounds. Heads it yields
// wait in a short queue for take(); live() tells whether its last step
// succeeded (for a websocket: connected and subscribed).
//
// Stopping is bounded by the source's longest single step (a connect or a
// request timeout): the source is built with a `stopping` predicate (give it
// to its RetryEnvironment) that turns true on stop() or when the program's
// own `stopping` does, so its backoff waits and further attempts end at once.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "chain/rpc_types.hpp"
#include "chain/subscription.hpp"

namespace keeper::chain {

class HeadSourceThread {
public:
    // Builds the source on the worker thread; `stopping` as described above.
    using Factory = std::function<std::unique_ptr<HeadSource>(std::function<bool()> stopping)>;

    struct Options {
        std::chrono::milliseconds wait_slice{200};          // one next_head() call on the worker
        std::chrono::milliseconds pause_after_error{250};   // besides the source's own backoff
        std::size_t max_queued = 16;                        // the oldest go first: only new heads matter
    };

    HeadSourceThread(Factory make, Options options, std::function<bool()> stopping = {});
    ~HeadSourceThread();
    HeadSourceThread(const HeadSourceThread&) = delete;
    HeadSourceThread& operator=(const HeadSourceThread&) = delete;

    // Starts the worker (once; later calls do nothing).
    void start();
    // Asks the worker to end and joins it.
    void stop();

    // The oldest queued head, if any.
    std::optional<BlockHeader> take();
    // Until a head is queued (true), the source is not live (any more), the
    // worker ends, or `timeout` passes (false).
    bool wait_for_head(std::chrono::milliseconds timeout);
    // The worker's last step succeeded. False before the first success.
    bool live() const;
    // Why the last step failed, while not live.
    std::string last_error() const;
    std::uint64_t dropped_heads() const;
    // The worker has ended: stop(), or the program's own `stopping`.
    bool ended() const;

private:
    struct Shared {
        mutable std::mutex mutex;
        std::condition_variable changed;
        std::deque<BlockHeader> queue;
        std::atomic<bool> stop{false};
        bool live = false;
        bool ended = false;
        std::string error;
        std::uint64_t dropped = 0;
    };

    void run();

    Factory make_;
    Options options_;
    std::function<bool()> outer_stopping_;
    std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
    std::thread worker_;
};

}  // namespace keeper::chain

#pragma once
// Operator alerts leave on a thread of their own, so a slow or hung webhook
// never holds up a round: the keeper enqueues and goes on. The queue is
// bounded (BoundedQueue: when full, the oldest waiting alert is dropped and
// counted); the worker posts one alert at a time, each bounded by the
// sender's own short timeout (webhook_http_options()). stop() lets what is
// queued leave for a short while, then abandons the post in progress, drops
// (and counts) the rest and joins: shutdown waits at most about
// `drain_at_stop` plus libcurl's cancel latency (a second).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "keeper/alerts/alert.hpp"
#include "keeper/alerts/bounded_queue.hpp"
#include "keeper/alerts/webhook_body.hpp"

namespace keeper::alerts {

struct DispatcherOptions {
    std::size_t capacity = 64;                         // alerts waiting; AlertPolicy sends at most max_per_minute
    std::chrono::milliseconds drain_at_stop{1'000};
};

struct DispatcherCounts {
    std::uint64_t sent = 0;
    std::uint64_t failed = 0;   // posted, and the post failed (logged)
    std::uint64_t dropped = 0;  // never posted: the queue was full, or still waiting at stop()
};

class AlertDispatcher {
public:
    using Post = std::function<Result<void>(const Alert&)>;
    using Log = std::function<void(const std::string&)>;

    // `warn` hears each failed post (from the worker thread). `abandon` is
    // called once, by stop() when the drain time is over: it must make a post
    // in progress return soon (webhook_dispatcher() wires it to the sender's
    // HttpOptions::cancelled).
    AlertDispatcher(Post post, Log warn, DispatcherOptions options, std::function<void()> abandon = {});
    ~AlertDispatcher();
    AlertDispatcher(const AlertDispatcher&) = delete;
    AlertDispatcher& operator=(const AlertDispatcher&) = delete;

    // Never waits on the network. True when the queue was full and the
    // oldest waiting alert was dropped to make room for this one. After
    // stop(), the alert is dropped (counted) and false is returned.
    bool enqueue(Alert alert);
    // Drains for at most drain_at_stop, then abandons and joins. Idempotent.
    void stop();

    DispatcherCounts counts() const;
    std::size_t queued() const;
    std::size_t capacity() const { return options_.capacity == 0 ? 1 : options_.capacity; }

private:
    void run();

    Post post_;
    Log warn_;
    DispatcherOptions options_;
    std::function<void()> abandon_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    BoundedQueue<Alert> queue_;
    bool closing_ = false;   // no more alerts taken
    bool abandoned_ = false; // the worker ends after the post in progress
    bool busy_ = false;      // a post is in progress
    std::uint64_t sent_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t dropped_at_stop_ = 0;
    std::thread worker_;
};

// The daemon's dispatcher: each alert POSTed to `url` by a WebhookSender with
// webhook_http_options(); stop() cancels the request in progress.
std::unique_ptr<AlertDispatcher> webhook_dispatcher(std::string url, WebhookFormat format, DispatcherOptions options,
                                                    AlertDispatcher::Log warn);

}  // namespace keeper::alerts

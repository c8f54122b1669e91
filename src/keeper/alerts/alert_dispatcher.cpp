#include "keeper/alerts/alert_dispatcher.hpp"

#include <atomic>
#include <utility>

#include "keeper/alerts/alert_channels.hpp"

namespace keeper::alerts {

AlertDispatcher::AlertDispatcher(Post post, Log warn, DispatcherOptions options, std::function<void()> abandon)
    : post_(std::move(post)),
      warn_(std::move(warn)),
      options_(options),
      abandon_(std::move(abandon)),
      queue_(options.capacity),
      worker_([this] { run(); }) {}

AlertDispatcher::~AlertDispatcher() { stop(); }

bool AlertDispatcher::enqueue(Alert alert) {
    bool dropped = false;
    {
        std::lock_guard lock(mutex_);
        if (closing_) {
            ++dropped_at_stop_;
            return false;
        }
        dropped = queue_.push(std::move(alert));
    }
    changed_.notify_all();
    return dropped;
}

void AlertDispatcher::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [&] { return abandoned_ || closing_ || !queue_.empty(); });
        if (abandoned_) return;
        auto alert = queue_.pop();
        if (!alert) return;  // closing and nothing left
        busy_ = true;
        lock.unlock();
        Result<void> posted = post_(*alert);
        if (!posted && warn_) warn_("alert webhook: " + posted.error().message);
        lock.lock();
        busy_ = false;
        ++(posted ? sent_ : failed_);
        changed_.notify_all();
    }
}

void AlertDispatcher::stop() {
    std::unique_lock lock(mutex_);
    if (!worker_.joinable()) return;
    closing_ = true;
    changed_.notify_all();
    // What is queued may still leave, for a short while.
    (void)changed_.wait_for(lock, options_.drain_at_stop, [&] { return queue_.empty() && !busy_; });
    abandoned_ = true;
    const std::size_t left = queue_.drop_all();
    const bool was_busy = busy_;
    changed_.notify_all();
    lock.unlock();
    if (was_busy && abandon_) abandon_();
    worker_.join();
    if (left > 0 && warn_) warn_("alerts: " + std::to_string(left) + " alert(s) still queued at shutdown were not sent");
}

DispatcherCounts AlertDispatcher::counts() const {
    std::lock_guard lock(mutex_);
    return DispatcherCounts{sent_, failed_, queue_.dropped() + dropped_at_stop_};
}

std::size_t AlertDispatcher::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::unique_ptr<AlertDispatcher> webhook_dispatcher(std::string url, WebhookFormat format, DispatcherOptions options,
                                                    AlertDispatcher::Log warn) {
    // Unnamed: its log lines keep their wording ("alert webhook: ...").
    ChannelSpec channel = webhook_channel(std::move(url), format);
    channel.name.clear();
    return channel_dispatcher(std::move(channel), options, std::move(warn));
}

}  // namespace keeper::alerts

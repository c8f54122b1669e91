#include "chain/head_source_thread.hpp"

#include <algorithm>
#include <utility>

namespace keeper::chain {

HeadSourceThread::HeadSourceThread(Factory make, Options options, std::function<bool()> stopping)
    : make_(std::move(make)), options_(options), outer_stopping_(std::move(stopping)) {}

HeadSourceThread::~HeadSourceThread() { stop(); }

void HeadSourceThread::start() {
    if (worker_.joinable()) return;
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->ended) return;
    }
    worker_ = std::thread([this] { run(); });
}

void HeadSourceThread::stop() {
    {
        std::lock_guard lock(shared_->mutex);
        shared_->stop = true;
    }
    shared_->changed.notify_all();
    if (worker_.joinable()) worker_.join();
}

void HeadSourceThread::run() {
    std::function<bool()> stopping = [shared = shared_, outer = outer_stopping_] {
        return shared->stop.load() || (outer && outer());
    };
    std::unique_ptr<HeadSource> source = make_(stopping);
    while (!stopping()) {
        auto head = source->next_head(options_.wait_slice);
        std::unique_lock lock(shared_->mutex);
        if (!head) {
            shared_->live = false;
            shared_->error = head.error().message;
            shared_->changed.notify_all();
            shared_->changed.wait_for(lock, options_.pause_after_error, [&] { return shared_->stop.load(); });
            continue;
        }
        shared_->live = true;
        shared_->error.clear();
        if (*head) {
            if (shared_->queue.size() >= std::max<std::size_t>(options_.max_queued, 1)) {
                shared_->queue.pop_front();
                ++shared_->dropped;
            }
            shared_->queue.push_back(std::move(**head));
            shared_->changed.notify_all();
        }
    }
    source.reset();  // closes the socket here, on the thread that used it
    std::lock_guard lock(shared_->mutex);
    shared_->live = false;
    shared_->ended = true;
    shared_->changed.notify_all();
}

std::optional<BlockHeader> HeadSourceThread::take() {
    std::lock_guard lock(shared_->mutex);
    if (shared_->queue.empty()) return std::nullopt;
    BlockHeader head = std::move(shared_->queue.front());
    shared_->queue.pop_front();
    return head;
}

bool HeadSourceThread::wait_for_head(std::chrono::milliseconds timeout) {
    std::unique_lock lock(shared_->mutex);
    (void)shared_->changed.wait_for(lock, timeout,
                                    [&] { return !shared_->queue.empty() || shared_->ended || !shared_->live; });
    return !shared_->queue.empty();
}

bool HeadSourceThread::live() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->live;
}

std::string HeadSourceThread::last_error() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->error;
}

bool HeadSourceThread::ended() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->ended;
}

std::uint64_t HeadSourceThread::dropped_heads() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->dropped;
}

}  // namespace keeper::chain

#pragma once
// A FIFO with a fixed capacity that never blocks the producer: pushing onto a
// full queue drops the OLDEST waiting item (for alerts the newest state of
// the world is the one worth sending) and counts it. Not thread-safe by
// itself; AlertDispatcher guards it with its mutex. Pure: no clock, no I/O.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

namespace keeper::alerts {

template <typename T>
class BoundedQueue {
public:
    // A capacity of 0 counts as 1.
    explicit BoundedQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    // True when an older item was dropped to make room.
    bool push(T item) {
        bool dropped = false;
        if (items_.size() >= capacity_) {
            items_.pop_front();
            ++dropped_;
            dropped = true;
        }
        items_.push_back(std::move(item));
        return dropped;
    }

    std::optional<T> pop() {
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        return item;
    }

    // Empties the queue, counting what was waiting as dropped; returns how many.
    std::size_t drop_all() {
        const std::size_t n = items_.size();
        items_.clear();
        dropped_ += n;
        return n;
    }

    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    std::size_t capacity() const { return capacity_; }
    std::uint64_t dropped() const { return dropped_; }

private:
    std::size_t capacity_;
    std::deque<T> items_;
    std::uint64_t dropped_ = 0;
};

}  // namespace keeper::alerts

// BoundedQueue: first in, first out up to its capacity; pushing onto a full
// queue drops the oldest waiting item and counts it. No clock anywhere.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "keeper/alerts/bounded_queue.hpp"

namespace keeper::alerts {
namespace bounded_queue_test {

std::vector<int> drain(BoundedQueue<int>& queue) {
    std::vector<int> out;
    while (auto item = queue.pop()) out.push_back(*item);
    return out;
}

TEST(BoundedQueue, KeepsOrderBelowCapacity) {
    BoundedQueue<int> queue(4);
    EXPECT_TRUE(queue.empty());
    EXPECT_FALSE(queue.push(1));
    EXPECT_FALSE(queue.push(2));
    EXPECT_FALSE(queue.push(3));
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_EQ(drain(queue), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(queue.dropped(), 0u);
    EXPECT_EQ(queue.pop(), std::nullopt);
}

TEST(BoundedQueue, AFullQueueDropsTheOldestAndCountsEachDrop) {
    BoundedQueue<int> queue(3);
    for (int i = 1; i <= 3; ++i) EXPECT_FALSE(queue.push(i)) << i;
    EXPECT_TRUE(queue.push(4));  // 1 goes
    EXPECT_TRUE(queue.push(5));  // 2 goes
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_EQ(queue.dropped(), 2u);
    EXPECT_EQ(drain(queue), (std::vector<int>{3, 4, 5}));
    // Room again: no drop, and the count stays.
    EXPECT_FALSE(queue.push(6));
    EXPECT_EQ(queue.dropped(), 2u);
    EXPECT_EQ(drain(queue), (std::vector<int>{6}));
}

TEST(BoundedQueue, InterleavedPushAndPopNeverReorders) {
    BoundedQueue<int> queue(2);
    std::vector<int> out;
    for (int i = 0; i < 10; ++i) {
        queue.push(i);
        if (i % 3 == 2) out.push_back(*queue.pop());
    }
    for (auto rest = drain(queue); int i : rest) out.push_back(i);
    // Whatever survived came out in the order it went in.
    for (std::size_t i = 1; i < out.size(); ++i) EXPECT_LT(out[i - 1], out[i]);
    EXPECT_EQ(out.size() + queue.dropped(), 10u);
}

TEST(BoundedQueue, DropAllCountsWhatWasWaiting) {
    BoundedQueue<std::string> queue(5);
    queue.push("a");
    queue.push("b");
    EXPECT_EQ(queue.drop_all(), 2u);
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.dropped(), 2u);
}

TEST(BoundedQueue, CapacityZeroMeansOne) {
    BoundedQueue<int> queue(0);
    EXPECT_EQ(queue.capacity(), 1u);
    EXPECT_FALSE(queue.push(1));
    EXPECT_TRUE(queue.push(2));
    EXPECT_EQ(drain(queue), (std::vector<int>{2}));
    EXPECT_EQ(queue.dropped(), 1u);
}

}  // namespace bounded_queue_test
}  // namespace keeper::alerts

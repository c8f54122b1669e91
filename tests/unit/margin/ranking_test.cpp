#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "margin/ranking.hpp"

using namespace keeper::margin;

TEST(CandidateSet, InsertUpdateEraseAndRank) {
    CandidateSet set;
    set.resize(10);
    EXPECT_TRUE(set.insert(4, 0.98f));
    EXPECT_TRUE(set.insert(7, 0.91f));
    EXPECT_TRUE(set.insert(2, 1.03f));
    EXPECT_FALSE(set.insert(4, 0.95f));  // already a member: health updated
    EXPECT_EQ(set.size(), 3u);
    auto ranked = set.lowest(10);
    ASSERT_EQ(ranked.size(), 3u);
    EXPECT_EQ(ranked[0].slot, 7u);
    EXPECT_EQ(ranked[1].slot, 4u);
    EXPECT_FLOAT_EQ(ranked[1].health, 0.95f);
    EXPECT_EQ(ranked[2].slot, 2u);
    set.set_health(2, 0.5f);
    EXPECT_EQ(set.lowest(1)[0].slot, 2u);
    EXPECT_TRUE(set.erase(7));
    EXPECT_FALSE(set.erase(7));
    EXPECT_FALSE(set.contains(7));
    ranked = set.lowest(10);
    ASSERT_EQ(ranked.size(), 2u);
    EXPECT_EQ(ranked[0].slot, 2u);
    EXPECT_EQ(ranked[1].slot, 4u);
    EXPECT_TRUE(set.lowest(0).empty());
}

TEST(CandidateSet, TiesAreBrokenBySlot) {
    CandidateSet set;
    set.insert(9, 0.9f);
    set.insert(3, 0.9f);
    set.insert(5, 0.9f);
    const auto ranked = set.lowest(2);
    ASSERT_EQ(ranked.size(), 2u);
    EXPECT_EQ(ranked[0].slot, 3u);
    EXPECT_EQ(ranked[1].slot, 5u);
}

TEST(CandidateSet, LowestKEqualsTheHeadOfAFullSort) {
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> health(0.5f, 1.05f);
    CandidateSet set;
    std::vector<RankedAccount> all;
    for (std::uint32_t slot = 0; slot < 5000; ++slot) {
        if (slot % 3 == 0) {
            continue;
        }
        const float h = health(rng);
        set.insert(slot, h);
        all.push_back({slot, h});
    }
    for (std::uint32_t slot = 1; slot < 5000; slot += 7) {  // remove some again
        if (set.erase(slot)) {
            all.erase(std::find_if(all.begin(), all.end(), [&](const RankedAccount& r) { return r.slot == slot; }));
        }
    }
    std::sort(all.begin(), all.end(), [](const RankedAccount& a, const RankedAccount& b) {
        return a.health != b.health ? a.health < b.health : a.slot < b.slot;
    });
    const auto top = set.lowest(100);
    ASSERT_EQ(top.size(), 100u);
    for (std::size_t i = 0; i < top.size(); ++i) {
        EXPECT_EQ(top[i].slot, all[i].slot);
        EXPECT_EQ(top[i].health, all[i].health);
    }
}

// StateStore: the ids a protocol follows (Yield v2 vaults) and its cursor.
#include <vector>

#include "state_test_support.hpp"

namespace keeper::state {
namespace followed_state_test {

using testing::hash_n;

const ProtocolBinding kYield{"yield-v2@0x00000000000000000000000000000000000000dd", 7, hash_n(7)};

// A bytes12 vault id ending in n.
Bytes vault_n(std::uint8_t n) {
    Bytes id(12, 0x00);
    id[0] = 0xc0;
    id[11] = n;
    return id;
}

class FollowedState : public testing::StateDirTest {
protected:
    void SetUp() override {
        StateDirTest::SetUp();
        store_.emplace(open_store());
        auto bound = store_->bind_protocol(kYield);
        ASSERT_TRUE(bound.has_value()) << bound.error().message;
    }
    FollowedSnapshot load() {
        auto snapshot = store_->load_followed(kYield.key);
        if (!snapshot) ADD_FAILURE() << snapshot.error().message;
        return snapshot.value_or(FollowedSnapshot{});
    }
    std::optional<StateStore> store_;
};

TEST_F(FollowedState, ABoundProtocolStartsWithoutCursorOrIds) {
    const FollowedSnapshot s = load();
    EXPECT_FALSE(s.cursor.has_value());
    EXPECT_TRUE(s.ids.empty());
}

TEST_F(FollowedState, IdsKeepTheirFirstBlockAndLeaveWhenGone) {
    // Block 10 opens vaults 3 and 1; block 12 opens 2 and destroys 3.
    const std::vector<FollowedId> first{{vault_n(3), 10}, {vault_n(1), 10}};
    ASSERT_TRUE(store_->commit_followed(kYield.key, {10, hash_n(10)}, first, {}).has_value());
    const std::vector<FollowedId> second{{vault_n(2), 12}};
    const std::vector<Bytes> gone{vault_n(3)};
    ASSERT_TRUE(store_->commit_followed(kYield.key, {12, hash_n(12)}, second, gone).has_value());

    const FollowedSnapshot s = load();
    ASSERT_TRUE(s.cursor.has_value());
    EXPECT_EQ(*s.cursor, (BlockCursor{12, hash_n(12)}));
    EXPECT_EQ(s.ids, (std::vector<FollowedId>{{vault_n(1), 10}, {vault_n(2), 12}}));
}

TEST_F(FollowedState, ResetAndADifferentStartBlockHashForgetTheIds) {
    const std::vector<FollowedId> some{{vault_n(5), 9}};
    ASSERT_TRUE(store_->commit_followed(kYield.key, {10, hash_n(10)}, some, {}).has_value());
    ASSERT_TRUE(store_->reset_protocol(kYield.key).has_value());
    EXPECT_TRUE(load().ids.empty());
    EXPECT_FALSE(load().cursor.has_value());

    ASSERT_TRUE(store_->commit_followed(kYield.key, {10, hash_n(10)}, some, {}).has_value());
    auto rebound = store_->bind_protocol({kYield.key, 7, hash_n(77)});  // a fresh chain at the same addresses
    ASSERT_TRUE(rebound.has_value());
    EXPECT_EQ(*rebound, BindOutcome::discarded);
    EXPECT_TRUE(load().ids.empty());
}

TEST_F(FollowedState, CommittingForAnUnboundProtocolIsRefusedAndWritesNothing) {
    const std::vector<FollowedId> some{{vault_n(5), 9}};
    auto committed = store_->commit_followed("yield-v2@0x00000000000000000000000000000000000000ee", {1, hash_n(1)},
                                             some, {});
    ASSERT_FALSE(committed.has_value());
    EXPECT_NE(committed.error().message.find("not bound"), std::string::npos) << committed.error().message;
}

}  // namespace followed_state_test
}  // namespace keeper::state

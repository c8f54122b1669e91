// StateStore: an Aave V3 pool's accounts and cursor.
#include <vector>

#include "state_test_support.hpp"

namespace keeper::state {
namespace aave_state_test {

using testing::address_n;
using testing::hash_n;

const ProtocolBinding kAave{"aave-v3@0x00000000000000000000000000000000000000bb", 7, hash_n(7)};

class AaveState : public testing::StateDirTest {
protected:
    void SetUp() override {
        StateDirTest::SetUp();
        store_.emplace(open_store());
        auto bound = store_->bind_protocol(kAave);
        ASSERT_TRUE(bound.has_value()) << bound.error().message;
    }
    AaveSnapshot load() {
        auto snapshot = store_->load_aave(kAave.key);
        if (!snapshot) ADD_FAILURE() << snapshot.error().message;
        return snapshot.value_or(AaveSnapshot{});
    }
    std::optional<StateStore> store_;
};

TEST_F(AaveState, ABoundPoolStartsWithoutCursorOrAccounts) {
    const AaveSnapshot s = load();
    EXPECT_FALSE(s.cursor.has_value());
    EXPECT_TRUE(s.accounts.empty());
}

TEST_F(AaveState, AccountsAccumulateOnceEachAndTheCursorMovesWithThem) {
    const std::vector<Address> first{address_n(3), address_n(1)};
    ASSERT_TRUE(store_->commit_aave(kAave.key, {10, hash_n(10)}, first).has_value());
    const std::vector<Address> second{address_n(1), address_n(2)};  // 1 again: ignored
    ASSERT_TRUE(store_->commit_aave(kAave.key, {12, hash_n(12)}, second).has_value());

    const AaveSnapshot s = load();
    ASSERT_TRUE(s.cursor.has_value());
    EXPECT_EQ(*s.cursor, (BlockCursor{12, hash_n(12)}));
    EXPECT_EQ(s.accounts, (std::vector<Address>{address_n(1), address_n(2), address_n(3)}));
}

TEST_F(AaveState, ResetForgetsAccountsAndCursorButKeepsTheBinding) {
    const std::vector<Address> some{address_n(5)};
    ASSERT_TRUE(store_->commit_aave(kAave.key, {10, hash_n(10)}, some).has_value());
    ASSERT_TRUE(store_->reset_protocol(kAave.key).has_value());
    const AaveSnapshot s = load();
    EXPECT_FALSE(s.cursor.has_value());
    EXPECT_TRUE(s.accounts.empty());
    auto again = store_->bind_protocol(kAave);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, BindOutcome::resumed);
}

TEST_F(AaveState, ANewStartBlockHashDiscardsTheAccounts) {
    const std::vector<Address> some{address_n(5)};
    ASSERT_TRUE(store_->commit_aave(kAave.key, {10, hash_n(10)}, some).has_value());
    auto rebound = store_->bind_protocol({kAave.key, 7, hash_n(77)});  // a fresh chain at the same addresses
    ASSERT_TRUE(rebound.has_value());
    EXPECT_EQ(*rebound, BindOutcome::discarded);
    EXPECT_TRUE(load().accounts.empty());
}

TEST_F(AaveState, CommittingForAnUnboundPoolIsRefused) {
    const std::vector<Address> some{address_n(5)};
    auto committed = store_->commit_aave("aave-v3@0x00000000000000000000000000000000000000cc", {1, hash_n(1)}, some);
    ASSERT_FALSE(committed.has_value());
    EXPECT_NE(committed.error().message.find("not bound"), std::string::npos) << committed.error().message;
}

}  // namespace aave_state_test
}  // namespace keeper::state

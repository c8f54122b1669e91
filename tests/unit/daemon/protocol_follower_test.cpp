// The keeper's one log follower for every adapter, against a scripted chain
// (no anvil): one eth_getLogs per head with every adapter's addresses and
// topics, each adapter handed only its own logs; an adapter that starts from
// its own cursor or fails to apply is caught up on its own and never holds
// the others; a reorg rolls back the adapters that had the removed blocks.
#include <gtest/gtest.h>

#include "fake_adapter.hpp"
#include "keeper/daemon/protocol_follower.hpp"
#include "scripted_chain.hpp"
#include "scripted_node.hpp"

namespace keeper::app {
namespace protocol_follower_test {

using nlohmann::json;
using testing::FakeAdapter;
using testing::ScriptedNode;

using testing::ScriptedChain;
using testing::kA;
using testing::kB;
using testing::kTopicA;
using testing::kTopicB;

class ProtocolFollowerTest : public ::testing::Test {
protected:
    void SetUp() override { chain_.serve(*node_); }
    std::size_t get_logs_calls() const { return node_->count("eth_getLogs"); }

    std::shared_ptr<ScriptedNode> node_ = std::make_shared<ScriptedNode>();
    chain::JsonRpcClient client_ = testing::scripted_client(node_);
    ScriptedChain chain_;
    FakeAdapter a_{"a@1", kA, kTopicA};
    FakeAdapter b_{"b@1", kB, kTopicB};
    std::vector<std::string> notices_;
    ProtocolFollower follower_{client_, {&a_, &b_}, [this](const std::string& n) { notices_.push_back(n); }, {}, 64};
};

TEST_F(ProtocolFollowerTest, OneGetLogsPerHeadServesEveryAdapterItsOwnLogs) {
    chain_.height = 10;
    ASSERT_TRUE(follower_.open(chain_.block(10)));
    EXPECT_EQ(a_.synced_through(), 10u);
    EXPECT_EQ(b_.synced_through(), 10u);
    a_.applied_blocks.clear();
    b_.applied_blocks.clear();

    chain_.height = 11;
    const std::size_t before = get_logs_calls();
    auto followed = follower_.follow(chain_.block(11));
    ASSERT_TRUE(followed) << followed.error().message;
    EXPECT_TRUE(followed->behind.empty());
    EXPECT_EQ(get_logs_calls() - before, 1u) << "one eth_getLogs for both adapters";
    const auto& last = node_->requests.back();
    ASSERT_EQ(last["method"], "eth_getLogs");
    EXPECT_EQ(last["params"][0]["address"].size(), 2u) << last.dump();
    EXPECT_EQ(a_.applied_blocks, std::vector<std::uint64_t>{11}) << "A's log only";
    EXPECT_EQ(b_.applied_blocks, std::vector<std::uint64_t>{11}) << "B's log only";
    EXPECT_EQ(a_.commits.back(), 11u);
}

TEST_F(ProtocolFollowerTest, AnAdapterResumingFromItsOwnCursorIsCaughtUpAlone) {
    chain_.height = 20;
    b_.saved_ = chain::BlockRef{15, chain_.hash(15), chain_.hash(14)};
    ASSERT_TRUE(follower_.open(chain_.block(20)));
    EXPECT_EQ(a_.applied_blocks.size(), 20u) << "A from its start block: blocks 1..20";
    EXPECT_EQ(b_.applied_blocks, (std::vector<std::uint64_t>{16, 17, 18, 19, 20})) << "B from its cursor";
}

TEST_F(ProtocolFollowerTest, AnAdapterThatCannotApplyFallsBehindWithoutHoldingTheOthers) {
    chain_.height = 10;
    ASSERT_TRUE(follower_.open(chain_.block(10)));
    b_.fail_at_ = 12;
    chain_.height = 13;
    auto followed = follower_.follow(chain_.block(13));
    ASSERT_TRUE(followed) << followed.error().message;
    EXPECT_EQ(a_.synced_through(), 13u);
    EXPECT_EQ(b_.synced_through(), 11u);
    ASSERT_TRUE(followed->behind.contains("b@1"));
    EXPECT_EQ(followed->behind.at("b@1").message, "following b@1: block 12: bad log");

    // The next head: still failing, the same words (logged once by the keeper).
    chain_.height = 14;
    followed = follower_.follow(chain_.block(14));
    ASSERT_TRUE(followed);
    EXPECT_EQ(followed->behind.at("b@1").message, "following b@1: block 12: bad log");
    EXPECT_EQ(a_.synced_through(), 14u);

    // Fixed: B catches up from its own cursor and joins the shared stream.
    b_.fail_at_.reset();
    chain_.height = 15;
    followed = follower_.follow(chain_.block(15));
    ASSERT_TRUE(followed);
    EXPECT_TRUE(followed->behind.empty());
    EXPECT_EQ(b_.synced_through(), 15u);
}

TEST_F(ProtocolFollowerTest, AReorgRollsBackEveryAdapterThatHadTheRemovedBlocks) {
    chain_.height = 10;
    ASSERT_TRUE(follower_.open(chain_.block(10)));
    chain_.height = 12;
    ASSERT_TRUE(follower_.follow(chain_.block(12)));
    // Blocks 11 and 12 replaced, and one more on top.
    chain_.fork = 1;
    chain_.fork_from = 11;
    chain_.height = 13;
    auto followed = follower_.follow(chain_.block(13));
    ASSERT_TRUE(followed) << followed.error().message;
    EXPECT_EQ(a_.rollbacks, std::vector<std::uint64_t>{10});
    EXPECT_EQ(b_.rollbacks, std::vector<std::uint64_t>{10});
    EXPECT_EQ(a_.synced_through(), 13u);
    bool noticed = false;
    for (const auto& n : notices_) noticed = noticed || n.starts_with("reorg: rolled back 2 block(s) from 11");
    EXPECT_TRUE(noticed);
}

}  // namespace protocol_follower_test
}  // namespace keeper::app

// The keeper's round over protocol adapters, against a scripted node and fake
// adapters (no anvil): the head it is given is the head it uses, every
// adapter is followed by one log follower and refreshed at that head, its
// decisions go through the one executor, and one protocol that fails is left
// out while the others go on; only a round in which every protocol failed fails.
#include <gtest/gtest.h>

#include "fake_adapter.hpp"
#include "keeper/daemon/keeper.hpp"
#include "scripted_chain.hpp"
#include "scripted_node.hpp"

namespace keeper::app {
namespace keeper_round_test {

using nlohmann::json;
using testing::FakeAdapter;
using testing::ScriptedChain;
using testing::ScriptedNode;

struct FakeConfig final : protocols::ProtocolConfig {
    explicit FakeConfig(std::string k) : key_(std::move(k)) {}
    std::string_view kind() const override { return "fake"; }
    std::string key() const override { return key_; }
    std::uint64_t start_block() const override { return 0; }
    std::string key_;
};

const Address kLoan = Address::parse("0x00000000000000000000000000000000000000c5").value();

class KeeperRoundTest : public ::testing::Test {
protected:
    void SetUp() override {
        chain_.height = 10;
        chain_.serve(*node_);
        node_->methods["eth_chainId"] = [](const json&) { return json("0x7a69"); };
        node_->methods["eth_estimateGas"] = [](const json&) { return json("0x186a0"); };
        node_->methods["eth_feeHistory"] = [](const json&) {
            return json{{"baseFeePerGas", {"0x3b9aca00", "0x3b9aca00"}}, {"reward", {{"0x3b9aca00"}}}};
        };
        node_->methods["eth_call"] = [](const json&) { return json("0x" + std::string(62, '0') + "64"); };  // 100
        config_.source = "test";
        config_.chain.rpc = {"http://127.0.0.1:1"};  // never used: the client is scripted
        config_.protocols = {std::make_shared<FakeConfig>("a@1"), std::make_shared<FakeConfig>("b@1")};
    }

    std::unique_ptr<Keeper> open_dry_run() {
        KeeperOptions options;
        options.mode = KeeperMode::dry_run;
        options.persist = false;
        auto key = chain::PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        auto keeper = Keeper::open(config_, options, std::move(*key), testing::scripted_client(node_),
                                   [this](const protocols::ProtocolConfig& c, protocols::AdapterServices)
                                       -> std::unique_ptr<protocols::ProtocolAdapter> {
                                       const bool a = c.key() == "a@1";
                                       auto adapter = std::make_unique<FakeAdapter>(
                                           c.key(), a ? testing::kA : testing::kB, a ? testing::kTopicA : testing::kTopicB);
                                       (a ? a_ : b_) = adapter.get();
                                       return adapter;
                                   });
        EXPECT_TRUE(keeper.has_value()) << keeper.error().message;
        return keeper ? std::move(*keeper) : nullptr;
    }

    std::size_t latest_reads() const {
        std::size_t n = 0;
        for (const auto& r : node_->requests)
            n += r["method"] == "eth_getBlockByNumber" && r["params"][0] == "latest" ? 1 : 0;
        return n;
    }

    static protocols::PositionRow liquidatable_row() {
        protocols::PositionRow row;
        row.protocol = "fake";
        row.health_wad = U256::pow10(17) * U256(9);  // 0.9
        row.liquidatable = true;
        return row;
    }

    static protocols::Action action_for(const std::string& key) {
        protocols::Action a;
        a.protocol_key = key;
        a.work_key = key + ":0x01";
        a.to = testing::kA;
        a.calldata = Bytes{0x01};
        a.profit = protocols::ExpectedProfit{U256::pow10(18), "loan", std::nullopt, U256()};
        a.subject = "position 1";
        return a;
    }

    std::shared_ptr<ScriptedNode> node_ = std::make_shared<ScriptedNode>();
    ScriptedChain chain_;
    config::KeeperConfig config_;
    FakeAdapter* a_ = nullptr;
    FakeAdapter* b_ = nullptr;
};

TEST_F(KeeperRoundTest, TheRoundUsesTheHeadItIsGivenAndReadsNoOther) {
    auto keeper = open_dry_run();
    ASSERT_TRUE(keeper);
    chain_.height = 12;  // the node already has 12; the subscription delivered 11
    const std::size_t latest_before = latest_reads();
    auto report = keeper->tick(chain_.block(11));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->head, 11u);
    EXPECT_EQ(latest_reads(), latest_before) << "the delivered head is not read again";
    EXPECT_EQ(a_->synced_through(), 11u);
    EXPECT_EQ(b_->synced_through(), 11u);
    EXPECT_EQ(keeper->positions().at(0).snapshot->block, 11u);
    // Without a head, the round reads the latest.
    report = keeper->tick();
    ASSERT_TRUE(report);
    EXPECT_EQ(report->head, 12u);
    EXPECT_EQ(latest_reads(), latest_before + 1);
}

TEST_F(KeeperRoundTest, ADecisionGoesThroughTheExecutorWithTheBalancesItAskedFor) {
    auto keeper = open_dry_run();
    ASSERT_TRUE(keeper);
    a_->rows = {liquidatable_row()};
    a_->funding = {{kLoan, "loan token"}};
    a_->decisions.actions = {action_for("a@1")};
    chain_.height = 11;
    auto report = keeper->tick(chain_.block(11));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->positions, 1u);
    EXPECT_EQ(report->liquidatable, 1u);
    ASSERT_NE(a_->last_input.holdings.find(kLoan), nullptr);
    EXPECT_EQ(*a_->last_input.holdings.find(kLoan), U256(100)) << "balanceOf as the node answered";
    EXPECT_EQ(a_->last_input.head_block, 11u);
    ASSERT_EQ(keeper->records().size(), 1u);
    EXPECT_EQ(keeper->records()[0].simulation, "ok");
    EXPECT_EQ(keeper->records()[0].gas_limit, 120'000u) << "estimate 100,000 + 20%";
    EXPECT_EQ(report->records, 1u);
}

TEST_F(KeeperRoundTest, OneProtocolThatFailsIsLeftOutAndTheOtherGoesOn) {
    auto keeper = open_dry_run();
    ASSERT_TRUE(keeper);
    b_->fail_at_ = 11;
    a_->rows = {liquidatable_row()};
    chain_.height = 11;
    auto report = keeper->tick(chain_.block(11));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->failed_protocols, std::vector<std::string>{"b@1"});
    EXPECT_EQ(report->liquidatable, 1u) << "a@1 was judged";
    EXPECT_EQ(b_->refreshes, 0u) << "b@1 is behind: not refreshed on events it missed";
    EXPECT_EQ(a_->synced_through(), 11u);

    // Every protocol failing fails the round (a dead node, say): the caller backs off.
    a_->refresh_fails_ = true;
    chain_.height = 12;
    EXPECT_FALSE(keeper->tick(chain_.block(12)).has_value());
}

}  // namespace keeper_round_test
}  // namespace keeper::app

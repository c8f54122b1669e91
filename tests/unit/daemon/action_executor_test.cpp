// The one executor against a scripted node (no anvil): gas by the action's
// rule, profit judged after gas with the round's fees, dry-run simulation and
// reports once per change, balances with backoff, and timed actions.
#include <gtest/gtest.h>

#include "chain/morpho/morpho_calls.hpp"
#include "fake_adapter.hpp"
#include "keeper/daemon/action_executor.hpp"
#include "scripted_node.hpp"

namespace keeper::app {
namespace action_executor_test {

using nlohmann::json;
using testing::FakeAdapter;
using testing::ScriptedNode;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }
Address address(std::string_view hex) { return Address::parse(hex).value(); }

const Address kKeeper = address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
const Address kMorpho = address("0x00000000000000000000000000000000000000aa");
const Address kLoan = address("0x00000000000000000000000000000000000000b1");
const Address kCollateral = address("0x00000000000000000000000000000000000000c1");
const Address kBorrower = address("0x00000000000000000000000000000000000000d1");

class ActionExecutorTest : public ::testing::Test {
protected:
    void SetUp() override {
        node_->methods["eth_estimateGas"] = [](const json&) { return json("0x186a0"); };  // 100,000
        // Next base fee 1 gwei, tips 1 gwei: max fee = 2 x 1 gwei + 1 gwei = 3 gwei.
        node_->methods["eth_feeHistory"] = [](const json&) {
            return json{{"baseFeePerGas", {"0x3b9aca00", "0x3b9aca00"}}, {"reward", {{"0x3b9aca00"}}}};
        };
        node_->methods["eth_call"] = [](const json&) { return json("0x"); };
    }

    // A Morpho-shaped liquidation: 5 loan tokens of profit before gas, gas
    // priced at 2,000 loan units per wei (x 1e36), the Morpho gas rule.
    protocols::Action liquidation(const U256& profit_before_gas) const {
        protocols::Action a;
        a.protocol_key = adapter_.key();
        a.work_key = adapter_.key() + ":" + kBorrower.hex();
        a.to = kMorpho;
        a.calldata = Bytes{0xd8, 0xea, 0xbc, 0xb8};
        a.spends.push_back({kLoan, kMorpho, dec("95000000000000000000")});
        a.gas = protocols::GasRule{20, 30'000};
        a.profit = protocols::ExpectedProfit{profit_before_gas, "loan", U256(2000) * U256::pow10(36), U256()};
        a.prediction = protocols::Prediction{kBorrower, Bytes32{}, kCollateral, kLoan, dec("100000000000000000000"),
                                             dec("95000000000000000000"), true};
        a.subject = kBorrower.checksummed() + " in market 0x00";
        a.summary = "seize 100e18 collateral, repay 95e18 loan";
        return a;
    }

    ActionExecutor dry_run_executor() {
        return ActionExecutor(client_, kKeeper, ActionExecutor::Settings{true, {}}, nullptr,
                              [this](const std::string& l) { info_.push_back(l); },
                              [this](const std::string& l) { warn_.push_back(l); });
    }

    chain::BlockHeader head(std::uint64_t number) const {
        chain::BlockHeader h;
        h.number = number;
        return h;
    }

    std::shared_ptr<ScriptedNode> node_ = std::make_shared<ScriptedNode>();
    chain::JsonRpcClient client_ = testing::scripted_client(node_);
    FakeAdapter adapter_{"fake@0xaa", kMorpho, Bytes32{}};
    std::vector<std::string> info_, warn_;
};

TEST_F(ActionExecutorTest, ADryRunSizesGasByTheActionsRuleAndJudgesProfitAfterGas) {
    auto executor = dry_run_executor();
    executor.start_round();
    protocols::Decisions decisions;
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));  // 5 loan tokens
    ExecutionCounts counts;
    executor.execute(adapter_, decisions, head(100), counts);

    ASSERT_EQ(executor.records().size(), 1u);
    const auto& r = executor.records()[0];
    // ceil(100,000 x 1.20) + 30,000 for the accrual the landing block may do.
    EXPECT_EQ(r.gas_limit, 150'000u);
    // Gas: 150,000 x 3 gwei x 2,000 = 0.9 loan tokens; 5 - 0.9 = 4.1 after gas.
    EXPECT_EQ(r.predicted_profit, dec("4100000000000000000"));
    EXPECT_EQ(r.simulation, "ok");
    EXPECT_TRUE(r.dry_run);
    EXPECT_EQ(r.prediction.collateral_out, dec("100000000000000000000"));
    EXPECT_EQ(node_->count("eth_estimateGas"), 1u);
    EXPECT_EQ(node_->count("eth_feeHistory"), 1u);
    EXPECT_EQ(node_->count("eth_call"), 1u);
    EXPECT_EQ(counts.declined, 0u);

    // The same plan next round: simulated and logged once, not again.
    executor.start_round();
    executor.execute(adapter_, decisions, head(101), counts);
    EXPECT_EQ(executor.records().size(), 1u);
    EXPECT_EQ(node_->count("eth_call"), 1u);
}

TEST_F(ActionExecutorTest, TheLogsNameWhatEachActionDoesNotALiquidationForAll) {
    auto executor = dry_run_executor();
    executor.start_round();
    protocols::Decisions decisions;
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));
    decisions.actions.back().kind = protocols::ActionKind::start_auction;
    decisions.actions.back().work_key = "yield-auction:0x01";
    decisions.actions.back().subject = "vault 0x01";
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));
    decisions.actions.back().kind = protocols::ActionKind::bid;
    decisions.actions.back().work_key = "yield-bid:0x02";
    decisions.actions.back().subject = "vault 0x02";
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));
    ExecutionCounts counts;
    executor.execute(adapter_, decisions, head(100), counts);

    ASSERT_EQ(info_.size(), 3u);
    EXPECT_TRUE(info_[0].starts_with("DRY-RUN would start the auction of vault 0x01: ")) << info_[0];
    EXPECT_TRUE(info_[1].starts_with("DRY-RUN would bid on vault 0x02: ")) << info_[1];
    EXPECT_TRUE(info_[2].starts_with("DRY-RUN would liquidate " + kBorrower.checksummed())) << info_[2];
    EXPECT_EQ(info_[0].find("liquidat"), std::string::npos) << info_[0];
    EXPECT_EQ(info_[1].find("liquidat"), std::string::npos) << info_[1];
}

TEST_F(ActionExecutorTest, GasThatEatsTheProfitDeclinesWithoutSimulating) {
    auto executor = dry_run_executor();
    executor.start_round();
    protocols::Decisions decisions;
    decisions.actions.push_back(liquidation(dec("900000000000000000")));  // 0.9: exactly the gas
    ExecutionCounts counts;
    executor.execute(adapter_, decisions, head(100), counts);
    EXPECT_TRUE(executor.records().empty());
    EXPECT_EQ(counts.declined, 1u);
    EXPECT_EQ(node_->count("eth_call"), 0u);
}

TEST_F(ActionExecutorTest, AMinimumAfterGasIsTheOperatorsFloor) {
    auto executor = dry_run_executor();
    executor.start_round();
    protocols::Decisions decisions;
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));
    decisions.actions.back().profit.min_after_gas = dec("4100000000000000001");  // one wei above 4.1
    ExecutionCounts counts;
    executor.execute(adapter_, decisions, head(100), counts);
    EXPECT_TRUE(executor.records().empty());
    EXPECT_EQ(counts.declined, 1u);
}

TEST_F(ActionExecutorTest, ADryRunRecordsWhyTheSimulationReverts) {
    node_->methods["eth_estimateGas"] = [](const json&) { return ScriptedNode::error(3, "execution reverted"); };
    auto executor = dry_run_executor();
    executor.start_round();
    protocols::Decisions decisions;
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));
    ExecutionCounts counts;
    executor.execute(adapter_, decisions, head(100), counts);
    ASSERT_EQ(executor.records().size(), 1u);
    EXPECT_TRUE(executor.records()[0].simulation.starts_with("simulation reverted")) << executor.records()[0].simulation;
    EXPECT_EQ(node_->count("eth_feeHistory"), 0u) << "no fees needed for what will not be sent";
}

TEST_F(ActionExecutorTest, AnActionTimedForALaterBlockWaits) {
    auto executor = dry_run_executor();
    executor.start_round();
    protocols::Decisions decisions;
    decisions.actions.push_back(liquidation(dec("5000000000000000000")));
    decisions.actions.back().not_before_block = 102;  // head 100: the next block is 101
    ExecutionCounts counts;
    executor.execute(adapter_, decisions, head(100), counts);
    EXPECT_EQ(counts.waiting, 1u);
    EXPECT_EQ(node_->count("eth_estimateGas"), 0u);
    executor.execute(adapter_, decisions, head(101), counts);  // the next block is 102: now
    EXPECT_EQ(executor.records().size(), 1u);
}

TEST_F(ActionExecutorTest, BalancesAreReadOncePerTokenAndAFailingTokenWaitsOutItsBackoff) {
    const Address broken = address("0x00000000000000000000000000000000000000e1");
    node_->methods["eth_call"] = [&](const json& params) {
        if (Address::parse(params[0]["to"].get<std::string>()).value() == broken)
            return ScriptedNode::error(3, "execution reverted: balanceOf is poisoned");
        return json("0x" + std::string(63, '0') + "0");  // an empty balance
    };
    auto executor = dry_run_executor();
    const std::vector<protocols::FundingToken> tokens{{kLoan, "market 0x01: loan token"}, {broken, "reserve X"}};
    executor.start_round();
    const auto holdings = executor.read_holdings(adapter_, tokens, head(100));
    // A dry run answers "what would it send if funded": empty reads as unlimited.
    ASSERT_NE(holdings.find(kLoan), nullptr);
    EXPECT_EQ(*holdings.find(kLoan), U256::max());
    EXPECT_EQ(holdings.find(broken), nullptr);
    ASSERT_EQ(warn_.size(), 1u);
    EXPECT_NE(warn_[0].find("fake@0xaa: reserve X: balance"), std::string::npos) << warn_[0];
    // Retried at the next block (1 block of backoff), failing again: then it
    // waits 2 blocks, so at block 102 only the good token is read.
    executor.start_round();
    (void)executor.read_holdings(adapter_, tokens, head(101));
    EXPECT_EQ(node_->count("eth_call"), 4u);
    executor.start_round();
    (void)executor.read_holdings(adapter_, tokens, head(102));
    EXPECT_EQ(node_->count("eth_call"), 5u);
    EXPECT_EQ(warn_.size(), 1u) << "logged once, not every round";
}

}  // namespace action_executor_test
}  // namespace keeper::app

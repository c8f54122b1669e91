// The price feeds of [[feeds]] at the keeper's edge, against a scripted node.
// Worked example: WETH priced by an ETH / USD feed of 8 decimals behind an
// EAC proxy. At block 10 (timestamp 1010) its aggregator's latest round 1 is
// 2000.00000000, updated at 1010. A head at timestamp 4710 is 3700 s later:
// past the heartbeat 3600 s + margin 60 s, the feed is stale and every
// action on a position holding WETH is held back ("oracle stale"); an
// AnswerUpdated(1500.00000000, round 2, updatedAt 4722) in block 13 resumes it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/hex.hpp"
#include "fake_adapter.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/operator_feed.hpp"
#include "keeper/daemon/oracle_feeds.hpp"
#include "keeper/daemon/status_snapshot.hpp"
#include "oracles/chainlink_calls.hpp"
#include "oracles/chainlink_events.hpp"
#include "scripted_chain.hpp"
#include "scripted_node.hpp"

namespace keeper::app {
namespace oracle_feeds_test {

using nlohmann::json;
using testing::FakeAdapter;
using ::testing::HasSubstr;
using testing::quantity;
using testing::ScriptedChain;
using testing::ScriptedNode;

const Address kWeth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();
const Address kUsdc = Address::parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").value();
const Address kDai = Address::parse("0x6B175474E89094C44Da98b954EedeAC495271d0F").value();
const Address kProxy = Address::parse("0x00000000000000000000000000000000000000f1").value();
const Address kAggregator = Address::parse("0x00000000000000000000000000000000000000a9").value();
const Address kSecond = Address::parse("0x00000000000000000000000000000000000000f2").value();

std::string word_hex(const U256& v) {
    const std::string digits = v.to_hex().substr(2);
    return std::string(64 - digits.size(), '0') + digits;
}
std::string address_word(const Address& a) { return std::string(24, '0') + a.hex().substr(2); }

struct Round {
    std::uint64_t round_id = 0;
    std::int64_t answer = 0;
    std::uint64_t updated_at_s = 0;
};

// A node holding one feed: the proxy answers aggregator(); the aggregator
// (and the second feed) answer decimals() and latestRoundData().
struct FeedNode {
    std::optional<Round> latest{Round{1, 2000'00000000, 1010}};
    std::optional<Round> second_latest;
    bool proxy = true;

    json answer(const json& params) const {
        const auto to = Address::parse(params[0]["to"].get<std::string>()).value();
        const std::string data = params[0]["data"].get<std::string>();
        json reverted = ScriptedNode::error(3, "execution reverted");
        if (data == hex::encode(oracles::chainlink::aggregator_call()))
            return proxy && to == kProxy ? json("0x" + address_word(kAggregator)) : reverted;
        const bool feed = to == kAggregator || (!proxy && to == kProxy) || to == kSecond;
        if (!feed) return json("0x" + word_hex(U256(100)));  // the fixture's balanceOf
        if (data == hex::encode(oracles::chainlink::decimals_call())) return json("0x" + word_hex(U256(8)));
        const auto& round = to == kSecond ? second_latest : latest;
        if (!round) return reverted;
        const U256 id(round->round_id), at(round->updated_at_s);
        return json("0x" + word_hex(id) + word_hex(abi::I256::from_int64(round->answer).twos) + word_hex(at) +
                    word_hex(at) + word_hex(id));
    }
};

json answer_updated_log(const Address& aggregator, std::int64_t answer, std::uint64_t round, std::uint64_t updated_at,
                        std::uint64_t block, const ScriptedChain& chain) {
    return {{"address", aggregator.hex()},
            {"topics",
             {oracles::chainlink::answer_updated_topic().hex(), "0x" + word_hex(abi::I256::from_int64(answer).twos),
              "0x" + word_hex(U256(round))}},
            {"data", "0x" + word_hex(U256(updated_at))},
            {"blockNumber", quantity(block)},
            {"blockHash", chain.hash(block).hex()},
            {"transactionHash", testing::word(block, 9).hex()},
            {"logIndex", quantity(99)}};
}

chain::Log decoded(const json& log) { return chain::decode_log(log).value(); }

config::FeedSettings weth_feed() {
    config::FeedSettings feed;
    feed.asset = kWeth;
    feed.aggregator = kProxy;
    return feed;  // heartbeat 3600 s, margin 60 s
}

protocols::Action action_on(const Address& collateral, const Address& debt) {
    protocols::Action a;
    a.protocol_key = "a@1";
    a.work_key = "a@1:0x01";
    a.prediction.collateral_token = collateral;
    a.prediction.debt_token = debt;
    return a;
}

class OracleFeedsTest : public ::testing::Test {
protected:
    void SetUp() override {
        chain_.height = 10;
        chain_.serve(*node_);
        node_->methods["eth_call"] = [this](const json& params) { return feed_.answer(params); };
    }

    std::unique_ptr<OracleFeeds> open(const std::vector<config::FeedSettings>& feeds = {weth_feed()}) {
        auto client = testing::scripted_client(node_);
        auto opened = OracleFeeds::open(
            client, feeds, chain_.block(10), [this](const std::string& l) { info_.push_back(l); },
            [this](const std::string& l) { warn_.push_back(l); });
        EXPECT_TRUE(opened.has_value()) << opened.error().message;
        return opened ? std::move(*opened) : nullptr;
    }

    std::shared_ptr<ScriptedNode> node_ = std::make_shared<ScriptedNode>();
    ScriptedChain chain_;
    FeedNode feed_;
    std::vector<std::string> info_, warn_;
};

TEST_F(OracleFeedsTest, AProxyIsResolvedToItsAggregatorWhoseLogsAndFirstRoundAreRead) {
    auto feeds = open();
    ASSERT_TRUE(feeds);
    const auto filter = feeds->log_filter();
    EXPECT_EQ(filter.addresses, std::vector<Address>{kAggregator}) << "the proxy emits no logs";
    EXPECT_EQ(filter.any_topic0, oracles::chainlink::followed_topics());
    for (const auto& r : node_->requests)
        if (r["method"] == "eth_call") {
            EXPECT_EQ(r["params"][1], "0xa") << "read at the head the follower starts from";
        }

    const auto status = feeds->evaluate(1011);
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].asset, kWeth);
    EXPECT_EQ(status[0].feed, kProxy);
    EXPECT_EQ(status[0].aggregator, kAggregator);
    EXPECT_EQ(status[0].updated_at_s, 1010u);
    EXPECT_EQ(status[0].age_s, 1u);
    EXPECT_EQ(status[0].max_age_s, 3660u);
    EXPECT_EQ(status[0].price, "2000.00000000");
    EXPECT_EQ(status[0].verdict, oracles::FeedVerdict::sane);
    EXPECT_FALSE(status[0].halted);
    EXPECT_EQ(feeds->hold(action_on(kWeth, kUsdc)), std::nullopt);
    EXPECT_TRUE(warn_.empty());
}

TEST_F(OracleFeedsTest, StaleAfterHeartbeatPlusMarginHoldsWethPositionsUntilAnAnswerUpdatedResumesThem) {
    auto feeds = open();
    ASSERT_TRUE(feeds);
    feeds->evaluate(1011);

    // 3700 s after the update: 40 s past heartbeat + margin.
    const auto stale = feeds->evaluate(4710);
    EXPECT_TRUE(stale[0].halted);
    EXPECT_EQ(stale[0].verdict, oracles::FeedVerdict::stale);
    EXPECT_EQ(stale[0].age_s, 3700u);
    ASSERT_EQ(warn_.size(), 1u);
    EXPECT_EQ(warn_[0], "oracle for " + kWeth.checksummed() +
                            " halted: updated 3700 s ago, heartbeat 3600 s + margin 60 s; actions on positions "
                            "holding it are held back");
    feeds->evaluate(4711);
    EXPECT_EQ(warn_.size(), 1u) << "logged once per change";

    const auto as_collateral = feeds->hold(action_on(kWeth, kUsdc));
    ASSERT_TRUE(as_collateral.has_value());
    EXPECT_EQ(as_collateral.value_or(Hold{}).label, "oracle_stale");
    EXPECT_THAT(as_collateral.value_or(Hold{}).text, HasSubstr("oracle stale"));
    const auto as_debt = feeds->hold(action_on(kDai, kWeth));
    ASSERT_TRUE(as_debt.has_value());
    EXPECT_EQ(as_debt.value_or(Hold{}).label, "oracle_stale");
    EXPECT_EQ(feeds->hold(action_on(kDai, kUsdc)), std::nullopt) << "assets without a feed are never held";

    // AnswerUpdated(1500.00000000, round 2, updatedAt 4722), mined in block 13.
    auto head = chain_.block(13);
    head.timestamp = 4722;
    const chain::Log update = decoded(answer_updated_log(kAggregator, 1500'00000000, 2, 4722, 13, chain_));
    feeds->apply(std::span(&update, 1), head);
    EXPECT_EQ(info_.back(), "feed update for " + kWeth.checksummed() +
                                ": 1500.00000000 from chainlink AnswerUpdated of " + kAggregator.checksummed() +
                                " round 2 in block 13");
    const auto resumed = feeds->evaluate(4722);
    EXPECT_FALSE(resumed[0].halted);
    EXPECT_EQ(resumed[0].price, "1500.00000000");
    EXPECT_EQ(resumed[0].age_s, 0u);
    EXPECT_EQ(info_.back(),
              "oracle for " + kWeth.checksummed() + " resumed: updated 0 s ago (heartbeat 3600 s + margin 60 s)");
    EXPECT_EQ(feeds->hold(action_on(kWeth, kUsdc)), std::nullopt);
}

TEST_F(OracleFeedsTest, APlainAggregatorIsFollowedItselfAndOneWithoutARoundStartsWithoutAPrice) {
    feed_.proxy = false;   // aggregator() reverts: kProxy is the aggregator
    feed_.latest.reset();  // latestRoundData() reverts
    auto feeds = open();
    ASSERT_TRUE(feeds);
    EXPECT_EQ(feeds->log_filter().addresses, std::vector<Address>{kProxy});
    ASSERT_EQ(warn_.size(), 1u);
    EXPECT_THAT(warn_[0], HasSubstr("no price until the feed's next update"));
    const auto status = feeds->evaluate(1011);
    EXPECT_TRUE(status[0].halted);
    EXPECT_EQ(status[0].updated_at_s, std::nullopt);
    EXPECT_THAT(warn_.back(), HasSubstr("halted: no price observed yet"));
    const auto hold = feeds->hold(action_on(kWeth, kUsdc));
    ASSERT_TRUE(hold.has_value());
    EXPECT_EQ(hold.value_or(Hold{}).label, "oracle_no_price");
}

TEST_F(OracleFeedsTest, AFeedFurtherThanMaxDeviationFromItsSecondSourceHolds) {
    feed_.latest = Round{1, 2040'00000000, 1010};         // 2040 against
    feed_.second_latest = Round{7, 2000'00000000, 1005};  // 2000: 200 bps
    auto feed = weth_feed();
    feed.second_aggregator = kSecond;
    feed.max_deviation_bps = 150;
    auto feeds = open({feed});
    ASSERT_TRUE(feeds);
    EXPECT_EQ(feeds->log_filter().addresses, (std::vector<Address>{kAggregator, kSecond}));
    const auto status = feeds->evaluate(1011);
    EXPECT_TRUE(status[0].halted);
    EXPECT_EQ(status[0].verdict, oracles::FeedVerdict::deviating);
    EXPECT_THAT(warn_.back(), HasSubstr("2040.00000000 is 200 bps from the second source's 2000.00000000"));
    const auto hold = feeds->hold(action_on(kWeth, kUsdc));
    ASSERT_TRUE(hold.has_value());
    EXPECT_EQ(hold.value_or(Hold{}).label, "oracle_deviating");
    EXPECT_THAT(hold.value_or(Hold{}).text, HasSubstr("oracle deviating"));
}

TEST_F(OracleFeedsTest, AFeedThatIsNotAnAggregatorFailsTheStartNamingIt) {
    node_->methods["eth_call"] = [](const json&) { return ScriptedNode::error(3, "execution reverted"); };
    auto client = testing::scripted_client(node_);
    auto opened = OracleFeeds::open(client, {weth_feed()}, chain_.block(10), {}, {});
    ASSERT_FALSE(opened.has_value());
    EXPECT_THAT(opened.error().message,
                HasSubstr("feed " + kProxy.checksummed() + " of " + kWeth.checksummed() + ": decimals()"));
}

TEST(FeedOperatorViews, AgesStatusRowsAndHaltedAssetsNameTheAssetAndItsFeed) {
    FeedStatus fresh;
    fresh.asset = kWeth;
    fresh.feed = kProxy;
    fresh.updated_at_s = 1010;
    fresh.age_s = 3700;
    fresh.max_age_s = 3660;
    fresh.halted = true;
    FeedStatus unpriced;
    unpriced.asset = kDai;
    unpriced.feed = kSecond;
    const std::vector<FeedStatus> feeds{fresh, unpriced};

    const auto ages = feed_ages(feeds);
    ASSERT_EQ(ages.size(), 1u) << "a feed without a price has no age";
    EXPECT_EQ(ages[0].feed, kWeth.checksummed() + " feed " + kProxy.checksummed());
    EXPECT_EQ(ages[0].age, std::chrono::seconds(3700));
    EXPECT_EQ(ages[0].max_age, std::chrono::seconds(3660));

    const auto rows = oracle_statuses(feeds);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].feed, ages[0].feed);
    EXPECT_EQ(rows[0].updated_at, 1010u);
    EXPECT_EQ(rows[0].age_seconds, 3700u);
    EXPECT_EQ(halted_assets(feeds), (std::vector<std::string>{kWeth.checksummed(), kDai.checksummed()}));
}

// The keeper's round with a [[feeds]] entry: the aggregator's logs come in
// the one shared eth_getLogs, the feed is judged at the head's timestamp
// before any decision, and the executor holds back the action while stale.
struct FakeConfig final : protocols::ProtocolConfig {
    std::string_view kind() const override { return "fake"; }
    std::string key() const override { return "a@1"; }
    std::uint64_t start_block() const override { return 0; }
};

class KeeperFeedsTest : public OracleFeedsTest {
protected:
    void SetUp() override {
        OracleFeedsTest::SetUp();
        node_->methods["eth_chainId"] = [](const json&) { return json("0x7a69"); };
        node_->methods["eth_estimateGas"] = [](const json&) { return json("0x186a0"); };
        node_->methods["eth_feeHistory"] = [](const json&) {
            return json{{"baseFeePerGas", {"0x3b9aca00", "0x3b9aca00"}}, {"reward", {{"0x3b9aca00"}}}};
        };
        // The chain's logs plus the feed's, when the filter names the aggregator.
        auto chain_logs = node_->methods["eth_getLogs"];
        node_->methods["eth_getLogs"] = [this, chain_logs](const json& params) {
            json logs = chain_logs(params);
            ++get_logs_;
            const auto& f = params[0];
            const std::uint64_t from = U256::from_hex(f["fromBlock"].get<std::string>()).value().low64();
            const std::uint64_t to = U256::from_hex(f["toBlock"].get<std::string>()).value().low64();
            bool names_aggregator = false;
            for (const auto& a : f["address"]) names_aggregator = names_aggregator || a == kAggregator.hex();
            for (const auto& log : feed_logs_) {
                const std::uint64_t n = U256::from_hex(log["blockNumber"].get<std::string>()).value().low64();
                if (names_aggregator && n >= from && n <= to) logs.push_back(log);
            }
            return logs;
        };
        config_.source = "test";
        config_.chain.rpc = {"http://127.0.0.1:1"};
        config_.protocols = {std::make_shared<FakeConfig>()};
        config_.feeds = {weth_feed()};
    }

    std::unique_ptr<Keeper> open_dry_run() {
        KeeperOptions options;
        options.mode = KeeperMode::dry_run;
        options.persist = false;
        auto key = chain::PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        auto keeper = Keeper::open(
            config_, options, std::move(*key), testing::scripted_client(node_),
            [this](const protocols::ProtocolConfig& c,
                   const protocols::AdapterServices&) -> std::unique_ptr<protocols::ProtocolAdapter> {
                auto adapter = std::make_unique<FakeAdapter>(c.key(), testing::kA, testing::kTopicA);
                adapter_ = adapter.get();
                return adapter;
            });
        EXPECT_TRUE(keeper.has_value()) << keeper.error().message;
        if (!keeper) return nullptr;
        (*keeper)->executor()->set_events([this](const ActionEvent& e) { events_.push_back(e); });
        protocols::PositionRow row;
        row.protocol = "fake";
        row.health_wad = U256::pow10(17) * U256(9);
        row.liquidatable = true;
        adapter_->rows = {row};
        auto action = action_on(kWeth, kUsdc);
        action.to = testing::kA;
        action.calldata = Bytes{0x01};
        action.profit = protocols::ExpectedProfit{U256::pow10(18), "loan", std::nullopt, U256()};
        action.subject = "0xBorrower in market 0x01";
        adapter_->decisions.actions = {action};
        return std::move(*keeper);
    }

    chain::BlockHeader head(std::uint64_t n, std::uint64_t timestamp) {
        chain_.height = n;
        auto h = chain_.block(n);
        h.timestamp = timestamp;
        return h;
    }

    config::KeeperConfig config_;
    FakeAdapter* adapter_ = nullptr;
    std::vector<ActionEvent> events_;
    std::vector<json> feed_logs_;
    std::size_t get_logs_ = 0;
};

TEST_F(KeeperFeedsTest, AStaleFeedHoldsTheRoundsActionsAndAnAnswerUpdatedInTheSharedLogsResumesThem) {
    auto keeper = open_dry_run();
    ASSERT_TRUE(keeper);

    // Block 11, 1 s after the feed's update: the liquidation is simulated.
    auto report = keeper->tick(head(11, 1011));
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->feeds.size(), 1u);
    EXPECT_FALSE(report->feeds[0].halted);
    EXPECT_EQ(report->feeds[0].age_s, 1u);
    EXPECT_EQ(report->records, 1u);

    // Block 12, 3700 s after it: stale, the action is declined as "oracle_stale".
    const std::size_t get_logs_before = get_logs_;
    report = keeper->tick(head(12, 4710));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(get_logs_ - get_logs_before, 1u) << "one eth_getLogs for the protocol and the feed";
    EXPECT_TRUE(report->feeds[0].halted);
    EXPECT_EQ(report->feeds[0].age_s, 3700u);
    EXPECT_EQ(report->records, 1u) << "nothing simulated while the feed is stale";
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].outcome, ActionEvent::Outcome::declined);
    EXPECT_EQ(events_[0].reason, "oracle_stale");
    EXPECT_THAT(events_[0].text, HasSubstr("oracle stale"));

    // The next block holds it back again, without a second decline.
    report = keeper->tick(head(13, 4716));
    ASSERT_TRUE(report);
    EXPECT_EQ(events_.size(), 1u);

    // AnswerUpdated in block 14: the feed resumes in the same round and the action goes.
    feed_logs_.push_back(answer_updated_log(kAggregator, 1500'00000000, 2, 4728, 14, chain_));
    report = keeper->tick(head(14, 4728));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_FALSE(report->feeds[0].halted);
    EXPECT_EQ(report->feeds[0].price, "1500.00000000");
    EXPECT_EQ(report->feeds[0].age_s, 0u);
    EXPECT_EQ(report->records, 2u) << "simulated again once the feed is fresh";
}

}  // namespace oracle_feeds_test
}  // namespace keeper::app

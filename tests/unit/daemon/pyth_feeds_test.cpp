// A Pyth price feed in [[feeds]] at the keeper's edge, against a scripted node.
// Worked example: WETH priced by Pyth's ETH / USD id in a Pyth contract.
// At block 10 (timestamp 1010) getPriceUnsafe(id) answers 2000.00000000
// (price 200000000000, expo -8) published at 1010: the expo the events lack
// is read here. A head at timestamp 4710 is 3700 s later: past heartbeat
// 3600 s + margin 60 s, WETH is halted; a PriceFeedUpdate of another id
// changes nothing, one of ours (1500.00000000 published at 4722, block 13)
// resumes it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/hex.hpp"
#include "keeper/daemon/oracle_feeds.hpp"
#include "oracles/chainlink_calls.hpp"
#include "oracles/chainlink_events.hpp"
#include "oracles/pyth_calls.hpp"
#include "oracles/pyth_events.hpp"
#include "scripted_chain.hpp"
#include "scripted_node.hpp"

namespace keeper::app {
namespace pyth_feeds_test {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::quantity;
using testing::ScriptedChain;
using testing::ScriptedNode;

const Address kWeth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();
const Address kUsdc = Address::parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").value();
const Address kPyth = Address::parse("0x4305FB66699C3B2702D4d05CF36551390A4c69C6").value();
const Address kChainlink = Address::parse("0x00000000000000000000000000000000000000f2").value();
const Bytes32 kEthUsd = Bytes32::from_hex("0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace").value();
const Bytes32 kBtcUsd = Bytes32::from_hex("0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43").value();

std::string hex_word(const U256& v) {
    const std::string digits = v.to_hex().substr(2);
    return std::string(64 - digits.size(), '0') + digits;
}
std::string int_word(std::int64_t v) { return hex_word(abi::I256::from_int64(v).twos); }

// The Pyth contract holds ETH / USD only (BTC / USD reverts PriceFeedNotFound);
// the Chainlink feed (8 decimals) answers `chainlink_answer` updated at 1005.
struct PythNode {
    std::int64_t pyth_price = 2000'00000000;
    std::int64_t chainlink_answer = 2000'00000000;

    json answer(const json& params) const {
        const auto to = Address::parse(params[0]["to"].get<std::string>()).value();
        const std::string data = params[0]["data"].get<std::string>();
        json reverted = ScriptedNode::error(3, "execution reverted");
        if (to == kPyth) {
            if (data != hex::encode(oracles::pyth::get_price_unsafe_call(kEthUsd))) return reverted;
            return json("0x" + int_word(pyth_price) + hex_word(U256(5'000'000)) + int_word(-8) + hex_word(U256(1010)));
        }
        if (to != kChainlink || data == hex::encode(oracles::chainlink::aggregator_call())) return reverted;
        if (data == hex::encode(oracles::chainlink::decimals_call())) return json("0x" + hex_word(U256(8)));
        return json("0x" + hex_word(U256(7)) + int_word(chainlink_answer) + hex_word(U256(1005)) +
                    hex_word(U256(1005)) + hex_word(U256(7)));
    }
};

chain::Log price_feed_update(const Bytes32& id, std::int64_t price, std::uint64_t published, std::uint64_t block,
                             const ScriptedChain& chain) {
    const json log{{"address", kPyth.hex()},
                   {"topics", {oracles::pyth::price_feed_update_topic().hex(), id.hex()}},
                   {"data", "0x" + hex_word(U256(published)) + int_word(price) + hex_word(U256(70'000))},
                   {"blockNumber", quantity(block)},
                   {"blockHash", chain.hash(block).hex()},
                   {"transactionHash", testing::word(block, 7).hex()},
                   {"logIndex", quantity(3)}};
    return chain::decode_log(log).value();
}

config::FeedSettings pyth_feed(const Bytes32& id = kEthUsd) {
    config::FeedSettings feed;
    feed.asset = kWeth;
    feed.pyth = config::PythFeedSettings{kPyth, id};
    return feed;  // heartbeat 3600 s, margin 60 s
}

protocols::Action action_on_weth() {
    protocols::Action a;
    a.protocol_key = "a@1";
    a.work_key = "a@1:0x01";
    a.prediction.collateral_token = kWeth;
    a.prediction.debt_token = kUsdc;
    return a;
}

class PythFeedsTest : public ::testing::Test {
protected:
    void SetUp() override {
        chain_.height = 10;
        chain_.serve(*node_);
        node_->methods["eth_call"] = [this](const json& params) { return pyth_.answer(params); };
    }

    Result<std::unique_ptr<OracleFeeds>> open(const std::vector<config::FeedSettings>& feeds) {
        auto client = testing::scripted_client(node_);
        return OracleFeeds::open(
            client, feeds, chain_.block(10), [this](const std::string& l) { info_.push_back(l); },
            [this](const std::string& l) { warn_.push_back(l); });
    }

    std::shared_ptr<ScriptedNode> node_ = std::make_shared<ScriptedNode>();
    ScriptedChain chain_;
    PythNode pyth_;
    std::vector<std::string> info_, warn_;
};

TEST_F(PythFeedsTest, TheExpoIsReadAtStartAndOnlyTheConfiguredIdsUpdatesMoveThePrice) {
    auto opened = open({pyth_feed()});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    auto& feeds = **opened;
    ASSERT_FALSE(info_.empty());
    EXPECT_EQ(info_[0], "pyth feed " + kEthUsd.hex() + " of " + kWeth.checksummed() + " in " + kPyth.checksummed() +
                            ", expo -8: 2000.00000000 from pyth getPriceUnsafe of " + kPyth.checksummed() + " id " +
                            kEthUsd.hex() + " published at 1010 in block 10");
    const auto filter = feeds.log_filter();
    EXPECT_EQ(filter.addresses, std::vector<Address>{kPyth});
    EXPECT_EQ(filter.any_topic0.size(), oracles::chainlink::followed_topics().size() + 1);
    EXPECT_EQ(filter.any_topic0.back(), oracles::pyth::price_feed_update_topic());

    const auto sane = feeds.evaluate(1011);
    ASSERT_EQ(sane.size(), 1u);
    EXPECT_EQ(sane[0].feed, kPyth);
    EXPECT_EQ(sane[0].updated_at_s, 1010u);
    EXPECT_EQ(sane[0].price, "2000.00000000");
    EXPECT_FALSE(sane[0].halted);
    EXPECT_EQ(feeds.hold(action_on_weth()), std::nullopt);

    // 3700 s after publishTime: stale.
    const auto stale = feeds.evaluate(4710);
    EXPECT_TRUE(stale[0].halted);
    EXPECT_EQ(stale[0].verdict, oracles::FeedVerdict::stale);
    ASSERT_FALSE(warn_.empty());
    EXPECT_EQ(warn_.back(), "oracle for " + kWeth.checksummed() +
                                " halted: updated 3700 s ago, heartbeat 3600 s + margin 60 s; actions on positions "
                                "holding it are held back");
    const auto hold = feeds.hold(action_on_weth());
    ASSERT_TRUE(hold.has_value());
    EXPECT_EQ(hold.value_or(Hold{}).label, "oracle_stale");
    EXPECT_THAT(hold.value_or(Hold{}).text,
                HasSubstr("the feed " + kPyth.checksummed() + " of " + kWeth.checksummed()));

    // Block 13: BTC / USD (not ours) at 4722, then ETH / USD 1500.00000000 at 4722.
    auto head = chain_.block(13);
    head.timestamp = 4722;
    const std::vector<chain::Log> logs{price_feed_update(kBtcUsd, 90000'00000000, 4722, 13, chain_),
                                       price_feed_update(kEthUsd, 1500'00000000, 4722, 13, chain_)};
    const std::size_t lines = info_.size();
    feeds.apply(logs, head);
    ASSERT_EQ(info_.size(), lines + 1) << "one line: the other id is not followed";
    EXPECT_EQ(info_.back(), "feed update for " + kWeth.checksummed() + ": 1500.00000000 from pyth PriceFeedUpdate of " +
                                kPyth.checksummed() + " id " + kEthUsd.hex() + " published at 4722 in block 13");
    const auto resumed = feeds.evaluate(4722);
    EXPECT_FALSE(resumed[0].halted);
    EXPECT_EQ(resumed[0].price, "1500.00000000");
    EXPECT_EQ(info_.back(),
              "oracle for " + kWeth.checksummed() + " resumed: updated 0 s ago (heartbeat 3600 s + margin 60 s)");

    // An older publish time than the one held is not a newer price.
    const chain::Log older = price_feed_update(kEthUsd, 1'00000000, 4000, 13, chain_);
    feeds.apply(std::span(&older, 1), head);
    EXPECT_EQ(feeds.evaluate(4723)[0].price, "1500.00000000");
}

TEST_F(PythFeedsTest, APythPriceFurtherThanMaxDeviationFromAChainlinkSecondSourceHolds) {
    pyth_.pyth_price = 2040'00000000;        // 2040 against
    pyth_.chainlink_answer = 2000'00000000;  // 2000: 200 bps
    auto feed = pyth_feed();
    feed.second_aggregator = kChainlink;
    feed.max_deviation_bps = 150;
    auto opened = open({feed});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    auto& feeds = **opened;
    EXPECT_EQ(feeds.log_filter().addresses, (std::vector<Address>{kPyth, kChainlink}));
    const auto status = feeds.evaluate(1011);
    EXPECT_TRUE(status[0].halted);
    EXPECT_EQ(status[0].verdict, oracles::FeedVerdict::deviating);
    EXPECT_THAT(warn_.back(), HasSubstr("2040.00000000 is 200 bps from the second source's 2000.00000000"));
    EXPECT_EQ(feeds.hold(action_on_weth()).value_or(Hold{}).label, "oracle_deviating");

    // The Pyth price comes back within 150 bps (2020: 100 bps): resumed.
    auto head = chain_.block(11);
    head.timestamp = 1020;
    const chain::Log back = price_feed_update(kEthUsd, 2020'00000000, 1020, 11, chain_);
    feeds.apply(std::span(&back, 1), head);
    EXPECT_FALSE(feeds.evaluate(1020)[0].halted);
    EXPECT_THAT(info_.back(), HasSubstr("resumed: updated 0 s ago (heartbeat 3600 s + margin 60 s), 100 bps from the "
                                        "second source"));
}

TEST_F(PythFeedsTest, AnIdWithoutAStoredPriceFailsTheStartNamingItAndWhy) {
    const auto opened = open({pyth_feed(kBtcUsd)});
    ASSERT_FALSE(opened.has_value());
    EXPECT_THAT(opened.error().message,
                HasSubstr("pyth feed " + kBtcUsd.hex() + " of " + kWeth.checksummed() + " in " + kPyth.checksummed() +
                          ": getPriceUnsafe at block 10 (no price "
                          "stored for this id"));
}

}  // namespace pyth_feeds_test
}  // namespace keeper::app

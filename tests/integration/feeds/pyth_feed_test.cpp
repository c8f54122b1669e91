// End to end on anvil: a Morpho Blue market priced by a Pyth price feed
// (Pyth's own MockPyth, the creation code shipped by the pinned
// @pythnetwork/pyth-sdk-solidity 4.3.1, behind contracts/PythMorphoOracle.sol,
// which reads getPriceUnsafe) and the margin-keeper binary with a [[feeds]]
// entry `pyth` + `pyth_price_id` for its collateral.
// Worked example: two borrowers with 1,000 collateral each borrow 800 and
// 700 (LTV 80% and 70%, LLTV 86%) at price 1.00 (Pyth price 1e8, expo -8).
//  (a) updatePriceFeeds(0.90, published now) emits PriceFeedUpdate: the
//      keeper logs the feed update and liquidates the first (80 / 90 = 88.9% > 86%).
//  (b) the clock jumps 4,000 s and a price of 0.80 published 100 s after (a)
//      is pushed: MockPyth stores it (newer than (a)'s) and the oracle reads
//      it, so the second is liquidatable by the contract (70 / 80 = 87.5%),
//      but its publishTime is ~3,900 s old, past heartbeat 3,600 s + margin
//      60 s: the keeper halts the collateral and holds the liquidation back.
//  (c) 0.80 published at the chain's time: the keeper resumes and liquidates it.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "../keeper/keeper_process.hpp"
#include "feed_market.hpp"
#include "keeper/devnet/pyth_mock.hpp"

namespace keeper {
namespace pyth_feed_test {

using namespace std::chrono_literals;
using abi::Value;
using feed_market::ether;
using nlohmann::json;

// Pyth's ETH / USD id (any 32 bytes would do for MockPyth).
const Bytes32 kPriceId =
    Bytes32::from_hex("0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace").value();

class PythFeedTest : public feed_market::FeedMarketTest {
protected:
    void SetUp() override {
        feed_market::MarketOptions options;
        options.borrowers = {{ether(1000), ether(800)}, {ether(1000), ether(700)}};
        // {pyth}: the deployer below writes MockPyth's address in.
        options.feed_source = "pyth = \"{pyth}\"\npyth_price_id = \"" + kPriceId.hex() + "\"\n";
        options.deploy_oracle = [this](const Address& pyth) {
            return deploy(
                "PythMorphoOracle.sol", "PythMorphoOracle", "address,bytes32,uint256",
                {Value(pyth), Value(Bytes(kPriceId.bytes.begin(), kPriceId.bytes.end())), Value(U256::pow10(28))});
        };
        std::string& source = options.feed_source;
        open_market(options, [this, &source] {
            auto pyth = devnet::deploy_mock_pyth(client(), owner(), 60);
            EXPECT_TRUE(pyth) << pyth.error().message;
            if (!pyth) return Address{};
            pyth_ = *pyth;
            source.replace(source.find("{pyth}"), 6, pyth_.checksummed());
            push(100, latest_timestamp_s());  // 1.00
            return pyth_;
        });
    }

    // Pushes `percent` of 1.00 (expo -8) published at `publish_time_s`.
    void push(std::uint64_t percent, std::uint64_t publish_time_s) {
        devnet::PythPrice price;
        price.id = kPriceId;
        price.price = static_cast<std::int64_t>(percent * 1'000'000);
        price.conf = 50'000;  // 0.0005
        price.expo = -8;
        price.publish_time_s = publish_time_s;
        auto receipt = devnet::push_pyth_price(client(), owner(), pyth_, price);
        ASSERT_TRUE(receipt) << receipt.error().message;
        // MockPyth emits PriceFeedUpdate only when it stores the price (newer than the stored one).
        ASSERT_EQ(receipt->logs.size(), 1u) << "publish time " << publish_time_s << " was not newer";
        last_publish_s_ = publish_time_s;
    }

    Address pyth_;
    std::uint64_t last_publish_s_ = 0;
};

TEST_F(PythFeedTest, APriceFeedUpdateTriggersTheLiquidationAStalePythPriceHaltsItAndAFreshOneResumes) {
    const std::string collateral = devnet_.contracts.collateral_token.checksummed();
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 90s)) << daemon.err();
    const std::string started = daemon.err();
    // Read at start with getPriceUnsafe: the price and the expo the events lack.
    EXPECT_NE(started.find("pyth feed " + kPriceId.hex() + " of " + collateral + " in " + pyth_.checksummed() +
                           ", expo -8: 1.00000000 from pyth getPriceUnsafe of " + pyth_.checksummed() + " id " +
                           kPriceId.hex() + " published at " + std::to_string(last_publish_s_)),
              std::string::npos)
        << started;
    EXPECT_TRUE(liquidated().empty());

    // (a) The pushed price is what the keeper acts on.
    const std::uint64_t published_a = std::max<std::uint64_t>(latest_timestamp_s(), last_publish_s_ + 1);
    push(90, published_a);
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[0]); })) << daemon.err();
    // The transaction can be mined before the keeper logs that it sent it.
    ASSERT_TRUE(daemon.wait_for_log("sent liquidation of " + borrowers_[0].checksummed(), 30s)) << daemon.err();
    const std::string after_a = daemon.err();
    const auto update = after_a.find("feed update for " + collateral + ": 0.90000000 from pyth PriceFeedUpdate of " +
                                     pyth_.checksummed() + " id " + kPriceId.hex() + " published at " +
                                     std::to_string(published_a));
    ASSERT_NE(update, std::string::npos) << after_a;
    const auto sent = after_a.find("sent liquidation of " + borrowers_[0].checksummed());
    ASSERT_NE(sent, std::string::npos) << after_a;
    EXPECT_LT(update, sent) << "the liquidation follows the feed's update";
    EXPECT_FALSE(liquidated().contains(borrowers_[1]));

    // (b) 4,000 s later, a price published 100 s after (a) lands: stored and
    // read by the market's oracle, but ~3,900 s old.
    ASSERT_TRUE(client().call("evm_increaseTime", json::array({4000})));
    push(80, published_a + 100);
    ASSERT_TRUE(contract_says_liquidatable(borrowers_[1]));
    ASSERT_TRUE(daemon.wait_for_log("oracle for " + collateral + " halted: updated 3", 30s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log(
        "held back: oracle stale (the feed " + pyth_.checksummed() + " of " + collateral + " is halted)", 30s))
        << daemon.err();
    EXPECT_NE(daemon.err().find("0.80000000 from pyth PriceFeedUpdate"), std::string::npos) << daemon.err();
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(devnet::evm_mine(client()));
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_FALSE(liquidated().contains(borrowers_[1])) << "nothing is liquidated on a stale price";
    EXPECT_TRUE(contract_says_liquidatable(borrowers_[1]));

    // (c) The same price published now resumes actions on the collateral.
    push(80, latest_timestamp_s());
    ASSERT_TRUE(daemon.wait_for_log("oracle for " + collateral + " resumed", 30s)) << daemon.err();
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[1]); })) << daemon.err();

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0) << daemon.err();
}

// An id the Pyth contract has never stored has no expo to read: the keeper
// refuses to start, naming the feed, rather than halting the asset forever.
TEST_F(PythFeedTest, AnIdWithoutAStoredPriceStopsTheStartWithAClearError) {
    const Bytes32 unknown = Bytes32::from_hex("0x" + std::string(63, '0') + "7").value();
    std::ifstream in(config_path());
    std::stringstream text;
    text << in.rdbuf();
    std::string toml = text.str();
    toml.replace(toml.find(kPriceId.hex()), kPriceId.hex().size(), unknown.hex());
    std::ofstream(config_path()) << toml;

    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    const std::optional<int> code = daemon.wait(60s);
    ASSERT_TRUE(code.has_value()) << "the keeper did not stop: " << daemon.err();
    EXPECT_NE(code.value_or(0), 0) << daemon.err();
    EXPECT_NE(
        daemon.err().find("pyth feed " + unknown.hex() + " of " + devnet_.contracts.collateral_token.checksummed() +
                          " in " + pyth_.checksummed() + ": getPriceUnsafe at block"),
        std::string::npos)
        << daemon.err();
    EXPECT_NE(daemon.err().find("no price stored for this id"), std::string::npos) << daemon.err();
}

}  // namespace pyth_feed_test
}  // namespace keeper

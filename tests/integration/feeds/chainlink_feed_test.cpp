// End to end on anvil: a Morpho Blue market priced by a Chainlink aggregator
// (contracts/ChainlinkAggregatorMock.sol behind contracts/ChainlinkMorphoOracle.sol),
// and the margin-keeper binary with a [[feeds]] entry for its collateral.
// Worked example: two borrowers with 1,000 collateral each borrow 800 and
// 700 (LTV 80% and 70%, LLTV 86%) at price 1.00 (answer 1e8, 8 decimals).
//  (a) set(0.90e8) emits AnswerUpdated: the keeper logs the feed update and
//      liquidates the first (80 / 90 = 88.9% > 86%).
//  (b) the answer is moved to 0.80 in storage (no event, no new round) and
//      the clock jumps 3,700 s: the second is liquidatable by the contract
//      (70 / 80 = 87.5%), but the feed is older than heartbeat 3,600 s +
//      margin 60 s: the keeper halts, holds it back, alerts oracle_stale
//      and reports the age in keeper_oracle_age_seconds.
//  (c) set(0.80e8) is a fresh round: the keeper resumes and liquidates it.
#include <gtest/gtest.h>

#include <regex>

#include "../keeper/keeper_process.hpp"
#include "feed_market.hpp"
#include "support/http_get.hpp"

namespace keeper {
namespace chainlink_feed_test {

using namespace std::chrono_literals;
using abi::Value;
using feed_market::answer_1e8;
using feed_market::ether;
using nlohmann::json;

std::string fetch_metrics(std::uint16_t port) { return testing::http_get(port, "/metrics").body; }

class ChainlinkFeedTest : public feed_market::FeedMarketTest {
protected:
    void SetUp() override {
        feed_market::MarketOptions options;
        options.borrowers = {{ether(1000), ether(800)}, {ether(1000), ether(700)}};
        open_market(options, [this] {
            // The aggregator (8 decimals) at 1.00.
            aggregator_ = deploy("ChainlinkAggregatorMock.sol", "ChainlinkAggregatorMock", "uint8",
                                 {Value(std::uint64_t{8})});
            set_answer(100);
            return aggregator_;
        });
    }

    void set_answer(std::uint64_t percent) {
        ASSERT_TRUE(devnet::transact_call(client(), owner(), aggregator_, "set(int256)", {Value(answer_1e8(percent))}));
    }

    // The generic webhook's oracle_stale bodies, oldest first.
    std::vector<json> oracle_stale_alerts() const {
        std::vector<json> out;
        for (const auto& r : hook_->requests()) {
            const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
            if (body.is_object() && body.value("kind", "") == "oracle_stale") out.push_back(body);
        }
        return out;
    }
};

TEST_F(ChainlinkFeedTest, AnAnswerUpdatedTriggersTheLiquidationAStaleFeedHaltsItAndAFreshRoundResumes) {
    const std::string collateral = devnet_.contracts.collateral_token.checksummed();
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 90s)) << daemon.err();
    std::smatch listen;
    const std::string started = daemon.err();
    ASSERT_TRUE(std::regex_search(started, listen, std::regex(R"(/readyz on http://127\.0\.0\.1:(\d+)/)"))) << started;
    const auto port = static_cast<std::uint16_t>(std::stoi(listen[1]));
    EXPECT_NE(started.find("feed " + aggregator_.checksummed() + " of " + collateral + ", 8 decimals: 1.00000000"),
              std::string::npos)
        << started;
    EXPECT_TRUE(liquidated().empty());

    // (a) The feed's update is what the keeper acts on.
    set_answer(90);
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[0]); })) << daemon.err();
    // The transaction can be mined before the keeper logs that it sent it.
    ASSERT_TRUE(daemon.wait_for_log("sent liquidation of " + borrowers_[0].checksummed(), 30s)) << daemon.err();
    const std::string after_a = daemon.err();
    const auto update = after_a.find("feed update for " + collateral + ": 0.90000000 from chainlink AnswerUpdated of " +
                                     aggregator_.checksummed() + " round 2");
    ASSERT_NE(update, std::string::npos) << after_a;
    const auto sent = after_a.find("sent liquidation of " + borrowers_[0].checksummed());
    ASSERT_NE(sent, std::string::npos) << after_a;
    EXPECT_LT(update, sent) << "the liquidation follows the feed's update";
    EXPECT_FALSE(liquidated().contains(borrowers_[1]));

    // (b) The answer moves without a round (slot 0: latestAnswer) and 3,700 s pass.
    const std::string answer_word = "0x" + std::string(64 - 8, '0') + "04c4b400";  // 80,000,000
    ASSERT_TRUE(client().call("anvil_setStorageAt", json::array({aggregator_.hex(), "0x0", answer_word})));
    ASSERT_TRUE(client().call("evm_increaseTime", json::array({3700})));
    ASSERT_TRUE(devnet::evm_mine(client()));
    ASSERT_TRUE(contract_says_liquidatable(borrowers_[1]));
    ASSERT_TRUE(daemon.wait_for_log("oracle for " + collateral + " halted: updated 37", 30s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log("held back: oracle stale", 30s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log("alert oracle_stale", 30s)) << daemon.err();
    // ... and the operator's webhook receives it.
    ASSERT_TRUE(eventually([&] { return !oracle_stale_alerts().empty(); }, 30s)) << daemon.err();
    const json stale = oracle_stale_alerts().front();
    EXPECT_EQ(stale["event"], "trigger") << stale;
    const std::string stale_key = stale["dedup_key"];
    const std::string age_series = "keeper_oracle_age_seconds{feed=\"" + collateral + " feed " +
                                   aggregator_.checksummed() + "\"} ";
    std::string metrics;
    ASSERT_TRUE(eventually(
        [&] {
            metrics = fetch_metrics(port);
            const auto at = metrics.find(age_series);
            return at != std::string::npos && std::stod(metrics.substr(at + age_series.size())) >= 3660;
        },
        30s))
        << metrics;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(devnet::evm_mine(client()));
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_FALSE(liquidated().contains(borrowers_[1])) << "nothing is liquidated on a stale price";
    EXPECT_TRUE(contract_says_liquidatable(borrowers_[1]));

    // (c) A fresh round resumes actions on the collateral.
    set_answer(80);
    ASSERT_TRUE(daemon.wait_for_log("oracle for " + collateral + " resumed", 30s)) << daemon.err();
    // The incident resolves under the same dedup key.
    ASSERT_TRUE(eventually(
        [&] {
            const auto alerts = oracle_stale_alerts();
            return std::ranges::any_of(
                alerts, [&](const json& b) { return b["event"] == "resolve" && b["dedup_key"] == stale_key; });
        },
        30s))
        << json(oracle_stale_alerts()) << daemon.err();
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[1]); })) << daemon.err();

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0) << daemon.err();
}

}  // namespace chainlink_feed_test
}  // namespace keeper

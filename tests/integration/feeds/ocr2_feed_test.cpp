// End to end on anvil: the same Morpho Blue market as chainlink_feed_test,
// priced through an OCR2-shaped aggregator (contracts/Ocr2AggregatorMock.sol)
// that receives transmit(reportContext, report, rs, ss, rawVs) calls with the
// real OCR2 calldata and emits only the OCR2 NewTransmission event.
// Worked example: a borrower with 1,000 collateral borrows 800 (LTV 80%,
// LLTV 86%) at 1.00. Three oracles observe 0.89, 0.90 and 0.95; the report's
// median observations[3 / 2] = 0.90 is the new answer (80 / 90 = 88.9% >
// 86%): the keeper logs the NewTransmission and liquidates the borrower.
#include <gtest/gtest.h>

#include "../keeper/keeper_process.hpp"
#include "feed_market.hpp"
#include "oracles/ocr2_transmit.hpp"

namespace keeper {
namespace ocr2_feed_test {

using namespace std::chrono_literals;
using abi::Value;
using feed_market::answer_1e8;
using feed_market::ether;
namespace chainlink = oracles::chainlink;

class Ocr2FeedTest : public feed_market::FeedMarketTest {
protected:
    void SetUp() override {
        feed_market::MarketOptions options;
        options.borrowers = {{ether(1000), ether(800)}};
        open_market(options, [this] {
            aggregator_ = deploy("Ocr2AggregatorMock.sol", "Ocr2AggregatorMock", "uint8", {Value(std::uint64_t{8})});
            transmit({100, 100, 100});
            return aggregator_;
        });
    }

    // One report of the three oracles' observations (percent of 1.00, sorted),
    // observed at the latest block's time, in the next OCR round.
    void transmit(const std::vector<std::uint64_t>& percents) {
        chainlink::Ocr2Transmit t;
        t.config_digest.bytes[31] = 0x01;
        t.epoch_and_round = ++epoch_and_round_;
        const auto latest = client().call("eth_getBlockByNumber", nlohmann::json::array({"latest", false}));
        ASSERT_TRUE(latest);
        t.report.observations_timestamp_s = static_cast<std::uint32_t>(
            std::stoull((*latest)["timestamp"].get<std::string>(), nullptr, 16));
        for (std::size_t i = 0; i < percents.size(); ++i) {
            t.report.observers.push_back(static_cast<std::uint8_t>(i));
            t.report.observations.push_back(answer_1e8(percents[i]));
        }
        t.signatures = 1;
        auto calldata = chainlink::encode_ocr2_transmit(t);
        ASSERT_TRUE(calldata) << calldata.error().message;
        ASSERT_TRUE(devnet::transact(client(), owner(), aggregator_, std::move(*calldata), 300'000, "transmit"));
    }

    std::uint64_t epoch_and_round_ = 0x100;  // epoch 1, round 0
};

TEST_F(Ocr2FeedTest, ANewTransmissionsMedianTriggersTheLiquidation) {
    const std::string collateral = devnet_.contracts.collateral_token.checksummed();
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 90s)) << daemon.err();
    // latestRoundData() of the OCR2 aggregator at start: round 1, 1.00.
    EXPECT_NE(daemon.err().find("feed " + aggregator_.checksummed() + " of " + collateral +
                                ", 8 decimals: 1.00000000 from chainlink latestRoundData"),
              std::string::npos)
        << daemon.err();
    EXPECT_TRUE(liquidated().empty());

    transmit({89, 90, 95});
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[0]); })) << daemon.err();
    const std::string log = daemon.err();
    const auto update = log.find("feed update for " + collateral +
                                 ": 0.90000000 from chainlink OCR2 NewTransmission of " + aggregator_.checksummed() +
                                 " round 2");
    ASSERT_NE(update, std::string::npos) << log;
    const auto sent = log.find("sent liquidation of " + borrowers_[0].checksummed());
    ASSERT_NE(sent, std::string::npos) << log;
    EXPECT_LT(update, sent) << "the liquidation follows the feed's update";
    EXPECT_EQ(log.find("chainlink AnswerUpdated"), std::string::npos) << "the OCR2 mock emits NewTransmission only";

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0) << daemon.err();
}

}  // namespace ocr2_feed_test
}  // namespace keeper

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

namespace keeper {
namespace ocr2_feed_test {

using namespace std::chrono_literals;
using feed_market::ether;

class Ocr2FeedTest : public feed_market::FeedMarketTest {
protected:
    void SetUp() override {
        feed_market::MarketOptions options;
        options.borrowers = {{ether(1000), ether(800)}};
        open_market(options, [this] { return deploy_ocr2_aggregator(); });
    }

    // One report of three oracles' observations (percent of 1.00, sorted), in the next OCR round.
    void transmit(const std::vector<std::uint64_t>& percents) {
        ASSERT_TRUE(
            devnet::transact(client(), owner(), aggregator_,
                             feed_market::ocr2_transmit_calldata(percents, ++epoch_and_round_, latest_timestamp_s()),
                             300'000, "transmit"));
    }

    std::uint64_t epoch_and_round_ = 0x101;  // epoch 1, round 1: the deployment's report
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

// End to end: the margin-keeper binary with [exchange] (Binance's
// <symbol>@bookTicker) against a local websocket server speaking Binance's
// exact messages, beside the Chainlink-priced Morpho market of the feeds
// suites. Worked example: the collateral's feed answers 1.00; two borrowers
// at LTV 80% and 70% (LLTV 86%) would both be liquidatable at 0.50.
//  (a) the exchange quotes 0.4990 / 0.5010 (mid 0.50000): the on-chain 1.00
//      is 10000 bps from it, past max_deviation_bps 100: the keeper raises an
//      exchange_deviation alert (log and webhook), and liquidates nobody: an
//      exchange price is never the price a liquidation is judged by.
//  (b) the exchange quotes 0.9995 / 1.0005 (mid 1.00000): back within, the
//      alert resolves under the same dedup key.
//  (c) the feed moves to 0.90 on chain: the first borrower is liquidated as
//      always (80 / 90 = 88.9% > 86%).
#include <gtest/gtest.h>

#include <algorithm>

#include "../keeper/keeper_process.hpp"
#include "feed_market.hpp"
#include "support/websocket_test_server.hpp"

namespace keeper {
namespace exchange_alert_test {

using namespace std::chrono_literals;
using abi::Value;
using feed_market::answer_1e8;
using feed_market::ether;
using nlohmann::json;

std::string book_ticker(std::uint64_t id, std::string_view bid, std::string_view ask) {
    return R"({"u":)" + std::to_string(id) + R"(,"s":"COLLUSDT","b":")" + std::string(bid) +
           R"(","B":"10.00000000","a":")" + std::string(ask) + R"(","A":"12.00000000"})";
}

class ExchangeAlertTest : public feed_market::FeedMarketTest {
protected:
    void SetUp() override {
        auto server = testing::WebSocketTestServer::start(R"({"result":null,"id":1})");
        ASSERT_TRUE(server) << server.error().message;
        exchange_ = std::move(*server);
        feed_market::MarketOptions options;
        options.borrowers = {{ether(1000), ether(800)}, {ether(1000), ether(700)}};
        options.feed_keys = "exchange_symbol = \"collusdt\"\n[exchange]\nkind = \"binance\"\nurl = \"" +
                            exchange_->url() + "\"\nmax_deviation_bps = 100\n";
        open_market(options, [this] {
            aggregator_ = deploy("ChainlinkAggregatorMock.sol", "ChainlinkAggregatorMock", "uint8",
                                 {Value(std::uint64_t{8})});
            set_answer(100);
            return aggregator_;
        });
    }
    void set_answer(std::uint64_t percent) {
        ASSERT_TRUE(devnet::transact_call(client(), owner(), aggregator_, "set(int256)", {Value(answer_1e8(percent))}));
    }
    // Rounds run per head: mine until the keeper logged `line`.
    bool mine_until_logged(testing::KeeperProcess& daemon, const std::string& line) {
        return eventually(
            [&] {
                if (daemon.err().find(line) != std::string::npos) return true;
                EXPECT_TRUE(devnet::evm_mine(client()));
                return false;
            },
            30s);
    }

    // The generic webhook's exchange_deviation bodies, oldest first.
    std::vector<json> exchange_alerts() const {
        std::vector<json> out;
        for (const auto& r : hook_->requests()) {
            const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
            if (body.is_object() && body.value("kind", "") == "exchange_deviation") out.push_back(body);
        }
        return out;
    }

    std::unique_ptr<testing::WebSocketTestServer> exchange_;
};

TEST_F(ExchangeAlertTest, AnExchangePriceFarFromTheFeedRaisesAnAlertAndNeverTriggersALiquidation) {
    const std::string collateral = devnet_.contracts.collateral_token.checksummed();
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 90s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log("binance: subscribed", 30s)) << daemon.err();
    ASSERT_FALSE(exchange_->subscriptions().empty());
    EXPECT_EQ(exchange_->subscriptions().front(), R"({"id":1,"method":"SUBSCRIBE","params":["collusdt@bookTicker"]})");

    // (a) Half the on-chain price on the exchange.
    exchange_->send(book_ticker(1, "0.49900000", "0.50100000"));
    ASSERT_TRUE(mine_until_logged(daemon, "exchange price alert for " + collateral + ": on-chain 1.00000000 "))
        << daemon.err();
    const std::string alert = daemon.err();
    EXPECT_NE(alert.find("is 10000 bps from binance COLLUSDT mid 0.500000000 (at most 100 bps); alert only"),
              std::string::npos)
        << alert;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(devnet::evm_mine(client()));
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_TRUE(liquidated().empty()) << "an exchange price never judges a liquidation";
    ASSERT_TRUE(eventually([&] { return !exchange_alerts().empty(); }, 30s)) << daemon.err();
    const json trigger = exchange_alerts().front();
    EXPECT_EQ(trigger["event"], "trigger") << trigger;
    EXPECT_FALSE(contract_says_liquidatable(borrowers_[0]));

    // (b) Back in line with the feed.
    exchange_->send(book_ticker(2, "0.99950000", "1.00050000"));
    ASSERT_TRUE(mine_until_logged(daemon, "exchange price for " + collateral +
                                              " back within 100 bps: on-chain "
                                              "1.00000000"))
        << daemon.err();

    // The incident resolves under the same dedup key.
    ASSERT_TRUE(eventually(
        [&] {
            const auto sent = exchange_alerts();
            return std::ranges::any_of(
                sent, [&](const json& b) { return b["event"] == "resolve" && b["dedup_key"] == trigger["dedup_key"]; });
        },
        30s))
        << daemon.err();

    // (c) The on-chain feed still drives liquidations.
    set_answer(90);
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[0]); })) << daemon.err();

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0) << daemon.err();
}

}  // namespace exchange_alert_test
}  // namespace keeper

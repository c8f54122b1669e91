// Every alert kind's text, dedup key and bodies for each channel, as exact
// JSON; the latch and OperatorAlerts decide trigger and resolve exactly once.
#include <gtest/gtest.h>

#include <vector>

#include <nlohmann/json.hpp>

#include "keeper/alerts/alert_kinds.hpp"
#include "keeper/alerts/operator_alerts.hpp"
#include "keeper/alerts/webhook_body.hpp"

namespace keeper::alerts {
namespace alert_kinds_test {

using namespace std::chrono_literals;

const Address borrower = Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").value();
const Address signer = Address::parse("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").value();
const std::string market = "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc";
const Bytes32 tx = Bytes32::from_hex("0x1111111111111111111111111111111111111111111111111111111111111111").value();

TEST(FormatUnits, RoundsDownAtTheAskedPlaces) {
    EXPECT_EQ(format_units(U256(1'234'567'890'000'000'000ULL), 18, 4), "1.2345");
    EXPECT_EQ(format_units(U256(50'000'000'000'000'000ULL), 18, 4), "0.0500");
    EXPECT_EQ(format_units(U256(1'500'000), 6, 2), "1.50");
    EXPECT_EQ(format_units(U256(7), 0, 4), "7");
}

TEST(AlertKinds, LiquidationSentCarriesTheTxAndAmounts) {
    const Alert alert = liquidation_sent_alert({"morpho-blue", market, borrower, tx, U256(2'500'000'000ULL), U256(41'000'000)});
    EXPECT_EQ(alert.text, "LIQUIDATION SENT morpho-blue market " + market +
                              " account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: tx " + tx.hex() +
                              ", repay 2500000000, expected profit 41000000");
    const nlohmann::json expected = {
        {"source", "margin-keeper"},
        {"kind", "liquidation_sent"},
        {"event", "trigger"},
        {"severity", "info"},
        {"dedup_key", "margin-keeper/liquidation_sent/" + tx.hex()},
        {"text", alert.text},
        {"details",
         {{"protocol", "morpho-blue"},
          {"market", market},
          {"account", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"},
          {"tx_hash", tx.hex()},
          {"repaid", "2500000000"},
          {"expected_profit", "41000000"}}},
    };
    EXPECT_EQ(webhook_body(alert, WebhookFormat::generic), expected);
}

TEST(AlertKinds, LiquidationFailedNamesTheReasonAndKeysOnTheAccount) {
    const Alert alert = liquidation_failed_alert({"aave-v3", "", borrower, tx, "reverted"});
    EXPECT_EQ(alert.text, "LIQUIDATION FAILED aave-v3 account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: tx " + tx.hex() +
                              ", reverted");
    EXPECT_EQ(dedup_key_of(alert), "margin-keeper/liquidation_failed/aave-v3/0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    EXPECT_EQ(urgency_of(alert), Urgency::error);
    const Alert before_broadcast = liquidation_failed_alert({"aave-v3", "", borrower, std::nullopt, "simulation: reverted"});
    EXPECT_EQ(before_broadcast.text,
              "LIQUIDATION FAILED aave-v3 account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: simulation: reverted");
}

TEST(AlertKinds, SignerBalanceTriggerAndResolveShareTheDedupKey) {
    const SignerBalance low{signer, "ETH", U256(50'000'000'000'000'000ULL), U256(100'000'000'000'000'000ULL), 18};
    const Alert trigger = signer_balance_alert(low, AlertEvent::trigger);
    EXPECT_EQ(trigger.text, "SIGNER BALANCE LOW 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359: 0.0500 ETH (minimum 0.1000 ETH)");
    SignerBalance funded = low;
    funded.balance = U256(2'000'000'000'000'000'000ULL);
    const Alert resolve = signer_balance_alert(funded, AlertEvent::resolve);
    EXPECT_EQ(resolve.text, "RESOLVED signer balance 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359: 2.0000 ETH (minimum 0.1000 ETH)");
    EXPECT_EQ(dedup_key_of(trigger), "margin-keeper/signer_balance_low/0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359/ETH");
    EXPECT_EQ(dedup_key_of(resolve), dedup_key_of(trigger));
    EXPECT_EQ(urgency_of(trigger), Urgency::critical);
}

TEST(AlertKinds, OracleStaleSaysHowOld) {
    const Alert alert = oracle_stale_alert({"ETH/USD 0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419", 5400, 3600}, AlertEvent::trigger);
    EXPECT_EQ(alert.text, "ORACLE STALE ETH/USD 0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419: last update 5400 s ago (limit 3600 s)");
    EXPECT_EQ(dedup_key_of(alert), "margin-keeper/oracle_stale/ETH/USD 0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419");
}

TEST(AlertKinds, RpcDownNeverShowsTheEndpointsKey) {
    const RpcStatus status{"https://eth-mainnet.example/v2/SECRETKEY123", false,
                           "http https://eth-mainnet.example/v2/SECRETKEY123: timeout"};
    const Alert alert = rpc_down_alert(status, AlertEvent::trigger);
    EXPECT_EQ(alert.text.find("SECRETKEY123"), std::string::npos) << alert.text;
    EXPECT_EQ(webhook_body(alert, WebhookFormat::generic).dump().find("SECRETKEY123"), std::string::npos);
    EXPECT_TRUE(alert.text.starts_with("RPC DOWN https://eth-mainnet.example/<redacted>: ")) << alert.text;
    EXPECT_EQ(dedup_key_of(alert), "margin-keeper/rpc_down/https://eth-mainnet.example/<redacted>");
}

TEST(AlertKinds, ReorgAlertsOnlyDeeperThanTheLimit) {
    EXPECT_FALSE(reorg_alert({2, 100, 103}, 2).has_value());
    const auto alert = reorg_alert({3, 100, 104}, 2);
    ASSERT_TRUE(alert.has_value());
    EXPECT_EQ(alert->text, "REORG of 3 blocks (more than 2) from block 100, new head 104");
    EXPECT_EQ(urgency_of(*alert), Urgency::warning);
}

TEST(PagerDutyBody, TriggerCarriesPayloadAndResolveOnlyTheKey) {
    const SignerBalance low{signer, "ETH", U256(50'000'000'000'000'000ULL), U256(100'000'000'000'000'000ULL), 18};
    const nlohmann::json trigger = {
        {"routing_key", "R0UT1NGKEY"},
        {"event_action", "trigger"},
        {"dedup_key", "margin-keeper/signer_balance_low/0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359/ETH"},
        {"payload",
         {{"summary", "SIGNER BALANCE LOW 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359: 0.0500 ETH (minimum 0.1000 ETH)"},
          {"source", "margin-keeper"},
          {"severity", "critical"},
          {"class", "signer_balance_low"},
          {"custom_details",
           {{"signer", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"},
            {"token", "ETH"},
            {"balance", "50000000000000000"},
            {"minimum", "100000000000000000"}}}}},
    };
    EXPECT_EQ(pagerduty_body(signer_balance_alert(low, AlertEvent::trigger), "R0UT1NGKEY"), trigger);
    const nlohmann::json resolve = {
        {"routing_key", "R0UT1NGKEY"},
        {"event_action", "resolve"},
        {"dedup_key", "margin-keeper/signer_balance_low/0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359/ETH"},
    };
    EXPECT_EQ(pagerduty_body(signer_balance_alert(low, AlertEvent::resolve), "R0UT1NGKEY"), resolve);
}

TEST(PagerDutyBody, AnAccountAlertIsKeyedByKindAndAccount) {
    AccountHealth account{"morpho-blue", market, borrower, U256(973'100'000'000'000'000ULL), true};
    const Alert alert{Severity::liquidatable, account, "LIQUIDATABLE ..."};
    const auto body = pagerduty_body(alert, "K");
    EXPECT_EQ(body.at("dedup_key"), "margin-keeper/underwater/morpho-blue/" + market + "/0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    EXPECT_EQ(body.at("payload").at("severity"), "error");
    EXPECT_EQ(body.at("payload").at("class"), "underwater");
    EXPECT_EQ(body.at("payload").at("custom_details").at("health"), "0.9731");
}

TEST(PagerDutyBody, SummaryIsCutAt1024) {
    Alert alert = liquidation_failed_alert({"aave-v3", "", borrower, std::nullopt, std::string(2000, 'r')});
    const std::string summary = pagerduty_body(alert, "K").at("payload").at("summary");
    EXPECT_EQ(summary.size(), 1024u);
    EXPECT_TRUE(summary.ends_with("..."));
}

TEST(TelegramBody, NumericChatIdsGoAsNumbersAndChannelsAsStrings) {
    const Alert alert = reorg_alert({5, 100, 106}, 2).value();
    const nlohmann::json group = {{"chat_id", -1001234567890LL},
                                  {"text", "REORG of 5 blocks (more than 2) from block 100, new head 106"},
                                  {"disable_web_page_preview", true}};
    EXPECT_EQ(telegram_body(alert, "-1001234567890"), group);
    EXPECT_EQ(telegram_body(alert, "@keeper_ops").at("chat_id"), "@keeper_ops");
    Alert long_alert = alert;
    long_alert.text = std::string(5000, 'x');
    EXPECT_EQ(telegram_body(long_alert, "1").at("text"), std::string(4093, 'x') + "...");
}

TEST(ConditionLatch, TriggersOnceAndResolvesOnce) {
    ConditionLatch latch;
    EXPECT_EQ(latch.observe("rpc/a", false), std::nullopt);  // fine from the start: nothing to say
    EXPECT_EQ(latch.observe("rpc/a", true), AlertEvent::trigger);
    EXPECT_EQ(latch.observe("rpc/a", true), std::nullopt);
    EXPECT_EQ(latch.observe("rpc/b", true), AlertEvent::trigger);  // keys are independent
    EXPECT_EQ(latch.observe("rpc/a", false), AlertEvent::resolve);
    EXPECT_EQ(latch.observe("rpc/a", false), std::nullopt);
    EXPECT_TRUE(latch.active("rpc/b"));
}

struct Collected {
    std::vector<Alert> alerts;
    OperatorAlerts::Sink sink() {
        return [this](Alert alert) { alerts.push_back(std::move(alert)); };
    }
    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const Alert& a : alerts) out.push_back(a.text);
        return out;
    }
};

TEST(OperatorAlerts, RpcDownAfterThreeFailuresInARowThenUpAtTheFirstSuccess) {
    Collected got;
    AlertThresholds thresholds;
    thresholds.rpc_failures_before_down = 3;
    OperatorAlerts alerts(thresholds, got.sink());
    const std::string url = "http://node.local:8545";
    alerts.rpc_status({url, false, "connect: refused"});
    alerts.rpc_status({url, true, ""});  // one failure, then fine: no page
    alerts.rpc_status({url, false, "connect: refused"});
    alerts.rpc_status({url, false, "connect: refused"});
    EXPECT_TRUE(got.alerts.empty());
    alerts.rpc_status({url, false, "connect: refused"});
    alerts.rpc_status({url, false, "connect: refused"});
    alerts.rpc_status({url, true, ""});
    EXPECT_EQ(got.texts(), (std::vector<std::string>{"RPC DOWN http://node.local:8545: connect: refused",
                                                     "RESOLVED rpc answering again http://node.local:8545"}));
    EXPECT_EQ(got.alerts[1].event, AlertEvent::resolve);
}

TEST(OperatorAlerts, SignerAndOracleAlertOnTheEdgesOnly) {
    Collected got;
    OperatorAlerts alerts(AlertThresholds{}, got.sink());
    const U256 minimum(100'000'000'000'000'000ULL);
    alerts.signer_balance({signer, "ETH", U256(1'000'000'000'000'000'000ULL), minimum, 18});
    alerts.signer_balance({signer, "ETH", U256(90'000'000'000'000'000ULL), minimum, 18});
    alerts.signer_balance({signer, "ETH", U256(80'000'000'000'000'000ULL), minimum, 18});
    alerts.signer_balance({signer, "ETH", U256(100'000'000'000'000'000ULL), minimum, 18});  // at the minimum: fine
    alerts.oracle_age({"ETH/USD", 3600, 3600});  // at the limit: fresh
    alerts.oracle_age({"ETH/USD", 3601, 3600});
    alerts.oracle_age({"ETH/USD", 12, 3600});
    ASSERT_EQ(got.alerts.size(), 4u);
    EXPECT_EQ(kind_of(got.alerts[0]), AlertKind::signer_balance_low);
    EXPECT_EQ(got.alerts[0].event, AlertEvent::trigger);
    EXPECT_EQ(got.alerts[1].event, AlertEvent::resolve);
    EXPECT_EQ(got.alerts[2].text, "ORACLE STALE ETH/USD: last update 3601 s ago (limit 3600 s)");
    EXPECT_EQ(got.alerts[3].text, "RESOLVED oracle fresh again ETH/USD: last update 12 s ago (limit 3600 s)");
    EXPECT_EQ(alerts.raised(), 4u);
}

// [exchange]: WETH on chain 1000.00000000 against Binance's ETHUSDT mid
// 900.000000000 is 1111 bps off (100 / 900), past 200; 990 is 101 bps: back.
TEST(OperatorAlerts, AnExchangeDeviationTriggersOnceAndResolvesWhenBackWithin) {
    Collected got;
    OperatorAlerts alerts(AlertThresholds{}, got.sink());
    const std::string weth = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
    alerts.exchange_price({weth, "ETHUSDT", "binance", "1000.00000000", "995.000000000", 50, 200});
    alerts.exchange_price({weth, "ETHUSDT", "binance", "1000.00000000", "900.000000000", 1111, 200});
    alerts.exchange_price({weth, "ETHUSDT", "binance", "1000.00000000", "899.000000000", 1123, 200});
    alerts.exchange_price({weth, "ETHUSDT", "binance", "1000.00000000", "990.000000000", 101, 200});
    ASSERT_EQ(got.alerts.size(), 2u);
    EXPECT_EQ(kind_of(got.alerts[0]), AlertKind::exchange_deviation);
    EXPECT_EQ(kind_name(kind_of(got.alerts[0])), "exchange_deviation");
    EXPECT_EQ(urgency_of(got.alerts[0]), Urgency::warning) << "an exchange is not the chain: nothing stops";
    EXPECT_EQ(got.alerts[0].text, "EXCHANGE PRICE DEVIATES " + weth +
                                      ": on-chain 1000.00000000 vs binance ETHUSDT 900.000000000, 1111 bps (limit 200 "
                                      "bps; alert only, liquidations are judged on chain)");
    EXPECT_EQ(got.alerts[1].event, AlertEvent::resolve);
    EXPECT_EQ(dedup_key_of(got.alerts[0]), dedup_key_of(got.alerts[1]));
}

TEST(OperatorAlerts, AccountsGoThroughThePolicyAndReorgsThroughTheDepth) {
    Collected got;
    AlertThresholds thresholds;
    thresholds.reorg_depth = 3;
    OperatorAlerts alerts(thresholds, got.sink());
    const AccountHealth accounts[] = {
        {"morpho-blue", market, borrower, U256(973'100'000'000'000'000ULL), true},
        {"aave-v3", "", signer, U256(1'020'000'000'000'000'000ULL), false},
        {"aave-v3", "", Address{}, U256(2'000'000'000'000'000'000ULL), false},
    };
    alerts.accounts(accounts, AlertPolicy::Clock::time_point{} + 1'700'000'000s);
    alerts.reorg({3, 10, 14});
    alerts.reorg({4, 10, 15});
    alerts.liquidation_sent({"morpho-blue", market, borrower, tx, U256(1), U256(2)});
    ASSERT_EQ(got.alerts.size(), 4u);
    EXPECT_EQ(kind_of(got.alerts[0]), AlertKind::underwater);
    EXPECT_EQ(kind_of(got.alerts[1]), AlertKind::near_liquidation);
    EXPECT_EQ(kind_of(got.alerts[2]), AlertKind::reorg_deep);
    EXPECT_EQ(got.alerts[2].text, "REORG of 4 blocks (more than 3) from block 10, new head 15");
    EXPECT_EQ(kind_of(got.alerts[3]), AlertKind::liquidation_sent);
}

}  // namespace alert_kinds_test
}  // namespace keeper::alerts

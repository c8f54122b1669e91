// Operating the keeper end to end (issue #19): the margin-keeper binary runs
// on anvil against a real Morpho Blue, its RPC through a proxy that can play
// dead, its alerts to a local recording server on every channel at once.
// What /metrics says is checked against what happened on chain (positions,
// actions sent, confirmed and reverted, realised profit's sign, the signer's
// balance); every alert kind arrives with its exact body; `pause` holds the
// liquidations back and `resume` lets them through; a lost race trips the
// circuit breaker, which pauses again.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "chain/transaction.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper_process.hpp"
#include "morpho_e2e_fixture.hpp"
#include "support/anvil_process.hpp"
#include "support/fault_proxy.hpp"
#include "support/http_get.hpp"
#include "support/recording_http_server.hpp"

namespace keeper {
namespace operations_test {

using namespace std::chrono_literals;
using nlohmann::json;
namespace mb = chain::morpho_blue;

U256 ether(std::uint64_t n) { return U256(n) * U256::pow10(18); }
U256 price_percent(std::uint64_t percent) { return U256(percent) * U256::pow10(34); }

using keeper::testing::http_get;

// The value of one series ("name{labels}") in a Prometheus text exposition.
std::optional<double> series(const std::string& exposition, const std::string& name) {
    const std::string needle = "\n" + name + " ";
    const auto at = exposition.find(needle);
    if (at == std::string::npos) return std::nullopt;
    return std::stod(exposition.substr(at + needle.size(), exposition.find('\n', at + 1) - at - needle.size()));
}

// A signed type-2 transaction handed to the node, not waited for (anvil's
// automine is off while the test stages a lost race).
Bytes32 send_unmined(chain::JsonRpcClient& client, const chain::PrivateKey& key, const Address& to, Bytes data,
                     const U256& tip_wei) {
    chain::DynamicFeeTransaction tx;
    tx.chain_id = chain::ChainId{31337};
    tx.nonce = chain::Nonce{client.get_transaction_count(chain::address_of(key), chain::BlockId::pending()).value()};
    tx.max_priority_fee_per_gas_wei = tip_wei;
    tx.max_fee_per_gas_wei = tip_wei + U256::pow10(11);
    tx.gas_limit = chain::GasLimit{300'000};
    tx.to = to;
    tx.data = std::move(data);
    return client.send_raw_transaction(chain::encode_raw(chain::sign(tx, key))).value();
}

class OperationsTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        // Loan-to-value 40, 60, 75, 80 and 82% of 1,000 collateral at price
        // 1.00 with LLTV 86%: health 2.15, 1.43, 1.147, 1.075 and 1.049 (the
        // last below the 1.05 warning line).
        ASSERT_NO_FATAL_FAILURE(
            start_chain(testing::borrowers_at_ltv_bps({4000, 6000, 7500, 8000, 8200}, ether(1000)), 10));

        // One server per channel: the recording server serves one keep-alive
        // connection at a time, and each channel keeps its own open.
        for (const char* channel : {"generic", "slack", "discord", "tg", "pd"}) {
            auto hook = testing::RecordingHttpServer::start(R"({"ok":true})", 200);
            ASSERT_TRUE(hook) << hook.error().message;
            hooks_[channel] = std::move(*hook);
        }
        auto proxy = testing::FaultProxy::start(anvil_->port());
        ASSERT_TRUE(proxy) << proxy.error().message;
        proxy_ = std::move(*proxy);

        make_dir("ops");
        const std::string alerts =
            "[alerts]\nwebhook_url = \"" + hooks_["generic"]->url() + "generic\"\n" + "slack_webhook_url = \"" +
            hooks_["slack"]->url() + "slack\"\n" + "discord_webhook_url = \"" + hooks_["discord"]->url() +
            "discord\"\n" + "telegram_bot_token_env = \"KEEPER_E2E_TELEGRAM\"\ntelegram_chat_id = -1001234567890\n" +
            "telegram_api_url = \"" + hooks_["tg"]->url() + "tg\"\n" +
            "pagerduty_routing_key_env = \"KEEPER_E2E_PAGERDUTY\"\n" + "pagerduty_url = \"" + hooks_["pd"]->url() +
            "pd/v2/enqueue\"\n" + "min_interval_s = 3600\nmin_signer_balance = \"20000\"\nreorg_depth = 1\n" +
            "rpc_failures_before_down = 3\n";
        write_keeper_toml({.rpc = proxy_->url(),
                           .tables = alerts + "[metrics]\nlisten = \"127.0.0.1:0\"\n" +
                                     "[safety]\nbreaker_reverts = 1\nbreaker_window_s = 600\n"});
    }

    std::vector<std::pair<std::string, std::string>> env() const {
        auto all = MorphoE2eTest::env();
        all.emplace_back("KEEPER_E2E_TELEGRAM", "123456:TOKEN");
        all.emplace_back("KEEPER_E2E_PAGERDUTY", "R0UT1NGKEY");
        return all;
    }
    int keeper_command(const std::string& command, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{command, "--config", config_path()};
        args.insert(args.end(), extra.begin(), extra.end());
        return testing::run_keeper(args, env(), dir_, command).exit_code;
    }
    void mine() { ASSERT_TRUE(client_->call("evm_mine")); }

    // Polls `done` (mining a block now and then when `mining`, so the keeper
    // has rounds to run) until it holds or `limit` passes.
    bool eventually(const std::function<bool()>& done, bool mining = true, std::chrono::seconds limit = 60s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
            if (done()) return true;
            if (mining && i % 5 == 4) (void)client_->call("evm_mine");
            std::this_thread::sleep_for(100ms);
        }
        return done();
    }

    std::string scrape() { return http_get(port_, "/metrics").body; }
    std::optional<double> metric(const std::string& name) { return series(scrape(), name); }
    bool metric_is(const std::string& name, double value) { return metric(name) == value; }

    // Alert bodies received at `path`, in order.
    std::vector<json> bodies(const std::string& path) {
        std::vector<json> out;
        const std::string channel = path.substr(
            1, path.find('/', 1) == std::string::npos ? std::string::npos : path.find('/', 1) - 1);
        for (const auto& r : hooks_.at(channel)->requests())
            if (r.target == path) out.push_back(json::parse(r.body));
        return out;
    }
    std::vector<json> generic(const std::string& kind) {
        std::vector<json> out;
        for (const auto& b : bodies("/generic"))
            if (b["kind"] == kind) out.push_back(b);
        return out;
    }

    std::vector<morpho::LiquidateEvent> liquidations() {
        chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(*client_, filter,
                                    chain::BlockRange{devnet_.deploy_block, client_->block_number().value()});
        std::vector<morpho::LiquidateEvent> out;
        for (const auto& log : logs.value()) {
            auto event = mb::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event)) out.push_back(*liq);
        }
        return out;
    }
    U256 balance_of(const Address& token) {
        const Bytes word = devnet::view_call(*client_, token, "balanceOf(address)", {liquidator_}).value();
        return U256::from_be(word);
    }

    std::map<std::string, std::unique_ptr<testing::RecordingHttpServer>> hooks_;  // by channel: first path segment
    std::unique_ptr<testing::FaultProxy> proxy_;
    std::uint16_t port_ = 0;
};

TEST_F(OperationsTest, MetricsAlertsAndThePauseFollowWhatTheKeeperDid) {
    const std::string signer = liquidator_.checksummed();
    const std::string loan = devnet_.contracts.loan_token.checksummed();
    const std::string collateral = devnet_.contracts.collateral_token.checksummed();
    const std::string market = devnet_.market_id.hex();
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 60s)) << daemon.err();
    std::smatch listen;
    const std::string err = daemon.err();
    ASSERT_TRUE(std::regex_search(err, listen, std::regex(R"(/readyz on http://127\.0\.0\.1:(\d+)/)"))) << err;
    port_ = static_cast<std::uint16_t>(std::stoi(listen[1]));

    // ---- Before anything moves: 5 positions, the signer's 10,000 ETH below the 20,000 minimum.
    mine();
    ASSERT_TRUE(eventually([&] { return metric_is(R"(keeper_positions_tracked{protocol="morpho-blue"})", 5); }))
        << scrape();
    EXPECT_EQ(metric(R"(keeper_positions_liquidatable{protocol="morpho-blue"})"), 0.0);
    EXPECT_EQ(metric(R"(keeper_signer_balance{token="ETH"})"), 10000.0);
    const std::string low_text = "SIGNER BALANCE LOW " + signer + ": 10000.0000 ETH (minimum 20000.0000 ETH)";
    const std::string low_key = "margin-keeper/signer_balance_low/" + signer + "/ETH";
    ASSERT_TRUE(eventually([&] { return !generic("signer_balance_low").empty(); }, false)) << daemon.err();
    EXPECT_EQ(generic("signer_balance_low").front(), (json{{"source", "margin-keeper"},
                                                           {"kind", "signer_balance_low"},
                                                           {"event", "trigger"},
                                                           {"severity", "critical"},
                                                           {"dedup_key", low_key},
                                                           {"text", low_text},
                                                           {"details",
                                                            {{"signer", signer},
                                                             {"token", "ETH"},
                                                             {"balance", "10000000000000000000000"},
                                                             {"minimum", "20000000000000000000000"}}}}));
    // The same alert in every channel's own body (the first round's
    // near-liquidation warning went out just before it).
    auto received = [&](const std::string& path, const json& body) {
        for (const auto& b : bodies(path))
            if (b == body) return true;
        return false;
    };
    const json pagerduty_low{{"routing_key", "R0UT1NGKEY"},
                             {"event_action", "trigger"},
                             {"dedup_key", low_key},
                             {"payload",
                              {{"summary", low_text},
                               {"source", "margin-keeper"},
                               {"severity", "critical"},
                               {"class", "signer_balance_low"},
                               {"custom_details",
                                {{"signer", signer},
                                 {"token", "ETH"},
                                 {"balance", "10000000000000000000000"},
                                 {"minimum", "20000000000000000000000"}}}}}};
    EXPECT_TRUE(eventually(
        [&] {
            return received("/slack", json{{"text", low_text}}) && received("/discord", json{{"content", low_text}}) &&
                   received(
                       "/tg/bot123456:TOKEN/sendMessage",
                       json{{"chat_id", -1001234567890LL}, {"text", low_text}, {"disable_web_page_preview", true}}) &&
                   received("/pd/v2/enqueue", pagerduty_low);
        },
        false))
        << json(bodies("/slack")) << json(bodies("/discord")) << json(bodies("/tg/bot123456:TOKEN/sendMessage"))
        << json(bodies("/pd/v2/enqueue"));
    auto ready = http_get(port_, "/readyz");
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(json::parse(ready.body)["reasons"],
              json::array({"signer balance 10000.0000 below the minimum 20000.0000"}));
    // Funded: PagerDuty's incident resolves under the same dedup key.
    ASSERT_TRUE(client_->call("anvil_setBalance", json::array({signer, ether(30'000).to_hex()})));
    auto resolved = [&](const std::string& key) {
        for (const auto& b : bodies("/pd/v2/enqueue"))
            if (b == json{{"routing_key", "R0UT1NGKEY"}, {"event_action", "resolve"}, {"dedup_key", key}}) return true;
        return false;
    };
    ASSERT_TRUE(eventually([&] { return resolved(low_key); })) << daemon.err();
    EXPECT_TRUE(eventually([&] { return http_get(port_, "/readyz").status == 200; }))
        << http_get(port_, "/readyz").body;

    // ---- Paused, the price drops: two positions liquidatable, nothing sent.
    ASSERT_EQ(keeper_command("pause", {"--reason", "e2e maintenance"}), 0);
    mine();
    ASSERT_TRUE(eventually([&] { return metric_is("keeper_actions_paused", 1); })) << daemon.err();
    const json readyz = json::parse(http_get(port_, "/readyz").body);
    ASSERT_EQ(readyz["reasons"].size(), 1u) << readyz;
    EXPECT_TRUE(readyz["reasons"][0].get<std::string>().starts_with("actions paused: e2e maintenance (")) << readyz;
    // The status page says so too, once a round has run paused.
    ASSERT_TRUE(eventually([&] {
        const auto status = http_get(port_, "/status.json");
        return status.status == 200 && json::parse(status.body)["paused"]["actions"] == true;
    })) << http_get(port_, "/status.json").body;
    const json paused_status = json::parse(http_get(port_, "/status.json").body)["paused"];
    EXPECT_TRUE(paused_status["reason"].get<std::string>().starts_with("e2e maintenance (")) << paused_status;
    ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, devnet_, price_percent(90)));
    ASSERT_TRUE(eventually([&] {
        return metric_is(R"(keeper_actions_total{outcome="declined",protocol="morpho-blue",reason="paused"})", 2);
    })) << scrape();
    EXPECT_EQ(metric(R"(keeper_positions_liquidatable{protocol="morpho-blue"})"), 2.0);
    EXPECT_EQ(client_->get_transaction_count(liquidator_, chain::BlockId::latest()).value(),
              0u);  // not even an approval
    EXPECT_TRUE(liquidations().empty());
    // Underwater (the two at 0.9439 and 0.9675) and near liquidation (the 75% one at 1.0320).
    ASSERT_TRUE(
        eventually([&] { return generic("underwater").size() == 2 && !generic("near_liquidation").empty(); }, false));
    for (const auto& b : generic("underwater")) {
        EXPECT_EQ(b["severity"], "liquidatable");
        EXPECT_EQ(b["protocol"], "morpho-blue");
        EXPECT_EQ(b["market"], market);
        EXPECT_EQ(b["liquidatable"], true);
        EXPECT_EQ(b["text"], "LIQUIDATABLE morpho-blue market " + market + " account " +
                                 b["account"].get<std::string>() + ": health " + b["health"].get<std::string>());
    }
    std::optional<json> near;
    for (const auto& b : generic("near_liquidation"))
        if (b["account"] == borrowers_[2].checksummed()) near = b;
    ASSERT_TRUE(near.has_value());
    const std::string health = (*near)["health"];
    EXPECT_TRUE(health == "1.0320" || health == "1.0319") << health;  // 0.86 x 0.90 / 0.75, less accrued interest
    EXPECT_EQ((*near)["text"], "WARNING morpho-blue market " + market + " account " + borrowers_[2].checksummed() +
                                   ": health " + health + " (warning below 1.0500)");
    const auto paused_alerts = generic("actions_paused");
    ASSERT_EQ(paused_alerts.size(), 1u);
    EXPECT_EQ(paused_alerts[0]["event"], "trigger");
    EXPECT_EQ(paused_alerts[0]["dedup_key"], "margin-keeper/actions_paused/paused");

    // ---- Resumed: both liquidated; the metrics say what the chain says.
    const U256 loan_before = balance_of(devnet_.contracts.loan_token);
    ASSERT_EQ(keeper_command("resume"), 0);
    ASSERT_TRUE(eventually([&] { return liquidations().size() == 2; })) << daemon.err();
    ASSERT_TRUE(eventually([&] {
        return metric_is(R"(keeper_actions_total{outcome="confirmed",protocol="morpho-blue",reason=""})", 2) &&
               metric_is(R"(keeper_positions_liquidatable{protocol="morpho-blue"})", 0);
    })) << scrape();
    EXPECT_TRUE(resolved("margin-keeper/actions_paused/paused"));
    // The liquidated accounts' underwater incidents close under their dedup keys.
    for (const auto& b : generic("underwater")) {
        const std::string key = b["dedup_key"].get<std::string>();
        EXPECT_TRUE(eventually([&] { return resolved(key); })) << key << "\n" << daemon.err();
    }
    EXPECT_TRUE(eventually([&] { return metric_is("keeper_in_flight_transactions", 0); })) << scrape();
    std::string m = scrape();
    EXPECT_EQ(series(m, R"(keeper_actions_total{outcome="sent",protocol="morpho-blue",reason=""})"), 2.0) << m;
    EXPECT_EQ(series(m, "keeper_actions_paused"), 0.0);
    // The loan-token balance as the keeper last read it to fund a
    // liquidation: the minted million, or less what it had spent by then.
    const double loan_read = series(m, "keeper_signer_balance{token=\"" + loan + "\"}").value_or(-1);
    EXPECT_LE(loan_read, 1'000'000.0) << m;
    EXPECT_GE(loan_read, balance_of(devnet_.contracts.loan_token).to_double() / 1e18 - 1e-6) << m;
    // Realised: collateral in, loan out, gas paid; at the 0.90 price, a profit.
    const double got = series(m, "keeper_realised_profit{token=\"" + collateral + "\"}").value_or(0);
    const double paid = -series(m, "keeper_realised_profit{token=\"" + loan + "\"}").value_or(0);
    const double gas = -series(m, R"(keeper_realised_profit{token="ETH"})").value_or(0);
    U256 seized, repaid;
    for (const auto& e : liquidations()) {
        seized += e.seized_assets;
        repaid += e.repaid_assets;
    }
    EXPECT_NEAR(got, seized.to_double() / 1e18, 1e-6);
    EXPECT_NEAR(paid, repaid.to_double() / 1e18, 1e-6);
    EXPECT_NEAR(paid, (loan_before - balance_of(devnet_.contracts.loan_token)).to_double() / 1e18, 1e-6);
    EXPECT_GT(gas, 0.0);
    EXPECT_GT(got * 0.9 - paid, 0.0) << "collateral " << got << " for " << paid << " loan";
    // The ETH balance gauge follows the chain.
    EXPECT_TRUE(eventually([&] {
        const double eth = client_->get_balance(liquidator_).value().to_double() / 1e18;
        return std::abs(metric(R"(keeper_signer_balance{token="ETH"})").value_or(0) - eth) < 1e-9;
    }));
    const auto sent = generic("liquidation_sent");
    ASSERT_EQ(sent.size(), 2u);
    for (const auto& b : sent) {
        const auto tx = Bytes32::from_hex(b["details"]["tx_hash"].get<std::string>()).value();
        const auto receipt = client_->get_transaction_receipt(tx).value();
        ASSERT_TRUE(receipt.has_value());
        EXPECT_EQ(receipt->from, liquidator_);
        EXPECT_TRUE(receipt->success);
        EXPECT_EQ(b["details"]["market"], market);
        EXPECT_EQ(b["severity"], "info");
    }

    // ---- A lost race: the keeper's liquidation is pending when the price
    // recovers ahead of it in the same block. It reverts; the breaker (1
    // revert) pauses the keeper.
    ASSERT_TRUE(client_->call("evm_setAutomine", json::array({false})));
    const std::uint64_t nonce = client_->get_transaction_count(liquidator_, chain::BlockId::latest()).value();
    const Bytes set_price_85 = devnet::calldata("setPrice(uint256)", {price_percent(85)}).value();
    (void)send_unmined(*client_, *owner_, devnet_.contracts.oracle, set_price_85, U256(1));
    mine();  // 0.85: the 75% position is at 0.9747
    ASSERT_TRUE(eventually(
        [&] { return client_->get_transaction_count(liquidator_, chain::BlockId::pending()).value() > nonce; }, false))
        << daemon.err();
    const Bytes set_price_100 = devnet::calldata("setPrice(uint256)", {price_percent(100)}).value();
    (void)send_unmined(*client_, *owner_, devnet_.contracts.oracle, set_price_100, U256::pow10(12));  // 1000 gwei tip
    mine();
    ASSERT_TRUE(client_->call("evm_setAutomine", json::array({true})));
    ASSERT_TRUE(eventually([&] { return !generic("liquidation_failed").empty(); })) << daemon.err();
    const json failed = generic("liquidation_failed").front();
    EXPECT_EQ(failed["details"]["account"], borrowers_[2].checksummed());
    EXPECT_EQ(failed["details"]["market"], market);
    const auto failed_tx = Bytes32::from_hex(failed["details"]["tx_hash"].get<std::string>()).value();
    const auto failed_receipt = client_->get_transaction_receipt(failed_tx).value();
    ASSERT_TRUE(failed_receipt.has_value());
    EXPECT_FALSE(failed_receipt->success);
    EXPECT_EQ(failed["details"]["reason"], "reverted in block " + std::to_string(failed_receipt->block_number));
    EXPECT_EQ(failed["text"], "LIQUIDATION FAILED morpho-blue market " + market + " account " +
                                  borrowers_[2].checksummed() + ": tx " + failed_tx.hex() + ", reverted in block " +
                                  std::to_string(failed_receipt->block_number));
    ASSERT_TRUE(eventually([&] { return metric_is("keeper_actions_paused", 1); })) << daemon.err();
    EXPECT_EQ(metric(R"(keeper_actions_total{outcome="reverted",protocol="morpho-blue",reason=""})"), 1.0);
    const auto breaker = generic("actions_paused").back();
    EXPECT_EQ(breaker["event"], "trigger");
    EXPECT_EQ(breaker["text"], "ACTIONS PAUSED (paused): circuit breaker: 1 reverted transactions within 600 s");
    EXPECT_TRUE(std::filesystem::exists(dir_ / "state" / "paused"));
    ASSERT_EQ(keeper_command("resume"), 0);
    ASSERT_TRUE(eventually([&] { return metric_is("keeper_actions_paused", 0); })) << daemon.err();

    // ---- Head polling on a quiet chain: one eth_getBlockByNumber per
    // poll_interval (100 ms), not two.
    const unsigned polls_before = proxy_->calls("eth_getBlockByNumber");
    std::this_thread::sleep_for(2s);
    const unsigned polls = proxy_->calls("eth_getBlockByNumber") - polls_before;
    std::printf("[ measured ] %u eth_getBlockByNumber in 2 s with poll_interval_ms = 100\n", polls);
    EXPECT_GE(polls, 10u);  // it does poll
    EXPECT_LE(polls, 24u);  // twice per interval made 40

    // ---- RPC down and back: its endpoint alone in the alert, no path or key.
    const std::string endpoint = proxy_->url();
    proxy_->set_dead(true);
    ASSERT_TRUE(eventually([&] { return !generic("rpc_down").empty(); }, false)) << daemon.err();
    EXPECT_EQ(generic("rpc_down").front()["dedup_key"], "margin-keeper/rpc_down/" + endpoint);
    EXPECT_EQ(generic("rpc_down").front()["details"]["endpoint"], endpoint);
    proxy_->set_dead(false);
    ASSERT_TRUE(eventually([&] { return resolved("margin-keeper/rpc_down/" + endpoint); })) << daemon.err();
    EXPECT_GT(
        metric("keeper_rpc_errors_total{endpoint=\"" + endpoint + "\",method=\"eth_getBlockByNumber\"}").value_or(0),
        0);

    // ---- A reorg of 3 blocks, deeper than reorg_depth = 1.
    const std::uint64_t fork = client_->block_number().value();
    const auto snapshot = client_->call("evm_snapshot").value();
    for (int i = 0; i < 3; ++i) {
        mine();
        const auto head = fork + static_cast<std::uint64_t>(i) + 1;
        ASSERT_TRUE(eventually([&] { return metric_is("keeper_head_block", static_cast<double>(head)); }, false));
    }
    ASSERT_TRUE(client_->call("evm_revert", json::array({snapshot})));
    // Five blocks at once, the first stamped later than the replaced one (an
    // empty block with the same parent and time would have the same hash).
    const auto fork_header = client_->get_block_header(chain::BlockId::number(fork)).value().value();
    ASSERT_TRUE(client_->call("evm_setNextBlockTimestamp", json::array({fork_header.timestamp + 100})));
    ASSERT_TRUE(client_->call("anvil_mine", json::array({U256(5).to_hex()})));
    ASSERT_TRUE(eventually([&] { return !generic("reorg_deep").empty(); }, false)) << daemon.err();
    const json reorg = generic("reorg_deep").front();
    // The new head is fork + 5 unless a poll caught anvil half-way through
    // mining, or between the revert and the mining: then the head is the fork
    // block itself, and the three blocks above it are already gone.
    const std::string new_head = reorg["details"]["new_head"];
    EXPECT_GE(std::stoull(new_head), fork) << reorg;
    EXPECT_LE(std::stoull(new_head), fork + 5) << reorg;
    EXPECT_EQ(reorg["details"], (json{{"depth", "3"}, {"fork_block", std::to_string(fork)}, {"new_head", new_head}}))
        << reorg;
    EXPECT_EQ(reorg["text"],
              "REORG of 3 blocks (more than 1) from block " + std::to_string(fork) + ", new head " + new_head);

    // Every alert counted by kind.
    m = scrape();
    for (const char* kind : {"signer_balance_low", "underwater", "near_liquidation", "liquidation_sent",
                             "liquidation_failed", "actions_paused", "rpc_down", "reorg_deep"})
        EXPECT_GE(series(m, std::string("keeper_alerts_total{kind=\"") + kind + "\"}").value_or(0), 1.0) << kind;

    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << daemon.err();
}

}  // namespace operations_test
}  // namespace keeper

// Hung peers must not stall the keeper (issue 16, item 9). The margin-keeper
// binary against anvil with the Morpho devnet, and peers that accept a TCP
// connection and never answer: a webhook, a websocket endpoint, and the node
// itself (a FaultProxy switched to `hang` mid-run).
//
// The deadlines below are generous for a loaded machine, and still far below
// what a blocking keeper needs: 9 warning alerts at the first round x 5 s
// webhook timeout = 45 s; 5 websocket connect attempts x 5 s = 25 s per
// round; a hung RPC request 4 attempts x 15 s = 60 s.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/state/state_store.hpp"
#include "keeper_process.hpp"
#include "morpho_e2e_fixture.hpp"
#include "support/anvil_process.hpp"
#include "support/fault_proxy.hpp"
#include "support/hung_server.hpp"

namespace keeper {
namespace hung_peers_test {

using namespace std::chrono_literals;
namespace mb = chain::morpho_blue;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBorrowers = 120;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }
U256 price(std::string_view percent_text) { return dec(percent_text) * U256::pow10(34); }

template <class F>
bool wait_until(F done, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(100ms);
    }
    return done();
}

struct ConfigExtras {
    std::string rpc = {};      // default: anvil itself
    std::string ws = {};       // default: none (HTTP polling)
    std::string webhook = {};  // default: no [alerts]
};

class HungPeersTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        // Loan-to-value 40% .. 85% at price 1.00, LLTV 86%: all healthy, and
        // the 9 above 81.9% below the alert's warning line (health 1.05).
        ASSERT_NO_FATAL_FAILURE(start_chain(testing::ltv_spread_40_to_85(kBorrowers), 60, large_blocks()));
        make_dir("hung");
    }

    void write_config(const ConfigExtras& extras) {
        write_keeper_toml(
            {.rpc = extras.rpc.empty() ? anvil_->url() : extras.rpc,
             .ws = extras.ws,
             .tables = extras.webhook.empty() ? "" : "[alerts]\nwebhook_url = \"" + extras.webhook + "\"\n"});
    }

    void set_price(const U256& price_1e36) {
        ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, devnet_, price_1e36));
    }

    std::set<Address> contract_liquidatable() {
        std::set<Address> out;
        for (const auto& b : borrowers_) {
            const Bytes data = mb::encode_liquidate(devnet_.params, b, U256(1), U256());
            auto answer = client_->eth_call(
                chain::CallRequest{liquidator_, devnet_.contracts.morpho, data, std::nullopt, std::nullopt},
                chain::BlockId::latest());
            if (answer.has_value() || answer.error().message.find("position is healthy") == std::string::npos)
                out.insert(b);
        }
        return out;
    }

    // Liquidate events per borrower, read from anvil itself (never through a proxy).
    std::map<Address, int> liquidations() {
        std::map<Address, int> count;
        auto head = client_->block_number();
        if (!head) return count;
        chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{devnet_.deploy_block, *head});
        if (!logs) return count;
        for (const auto& log : *logs) {
            auto event = mb::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event)) ++count[liq->borrower];
        }
        return count;
    }
    // After a price move with the daemon running: what the contract calls
    // liquidatable plus what the keeper already liquidated meanwhile (read
    // in that order, so a liquidation between the two reads is in one of them).
    std::set<Address> liquidatable_or_liquidated() {
        std::set<Address> out = contract_liquidatable();
        for (const auto& [borrower, n] : liquidations()) out.insert(borrower);
        return out;
    }
    bool all_liquidated(const std::set<Address>& expected) {
        const auto count = liquidations();
        for (const auto& b : expected)
            if (!count.contains(b)) return false;
        return true;
    }
    void expect_each_once(const std::set<Address>& expected) {
        for (const auto& [borrower, n] : liquidations()) {
            EXPECT_EQ(n, 1) << borrower.checksummed() << " liquidated more than once";
            EXPECT_TRUE(expected.contains(borrower)) << borrower.checksummed();
        }
    }
};

TEST_F(HungPeersTest, AWebhookThatNeverAnswersDoesNotDelayLiquidations) {
    auto hook = testing::HungServer::start();
    ASSERT_TRUE(hook) << hook.error().message;
    write_config({.webhook = (*hook)->http_url()});
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "webhook");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 120s)) << daemon.err();
    // The first round alerts the 9 accounts below health 1.05: the first post
    // is now waiting on a webhook that never answers.
    ASSERT_TRUE(wait_until([&] { return (*hook)->connections() >= 1; }, 60s)) << daemon.err();

    set_price(price("90"));
    const auto moved = Clock::now();
    const std::set<Address> expected = liquidatable_or_liquidated();
    ASSERT_GT(expected.size(), 20u);
    // Blocking posts would hold the round for 9 x 5 s before it could look again.
    const bool done = wait_until([&] { return all_liquidated(expected); }, 20s);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - moved);
    EXPECT_TRUE(done) << "not every liquidatable position was liquidated within 20 s of the price move ("
                      << liquidations().size() << " of " << expected.size() << ")\n"
                      << daemon.err();
    std::printf("[ measured ] %zu of %zu liquidated %lld ms after the price move, webhook hung\n", liquidations().size(),
                expected.size(), static_cast<long long>(took.count()));
    expect_each_once(expected);

    // Shutdown does not wait for the hung webhook either.
    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM\n" << daemon.err();
    EXPECT_EQ(*code, 0) << daemon.err();
}

TEST_F(HungPeersTest, AHungWebsocketEndpointLeavesTheRoundsToHttpPolling) {
    auto ws = testing::HungServer::start();
    ASSERT_TRUE(ws) << ws.error().message;
    write_config({.ws = (*ws)->ws_url()});
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "ws");
    ASSERT_TRUE(daemon.wait_for_log("new heads by websocket", 120s)) << daemon.err();
    // The keeper is now trying the websocket, whose handshake never completes.
    ASSERT_TRUE(wait_until([&] { return (*ws)->connections() >= 1; }, 60s)) << daemon.err();

    set_price(price("90"));
    const auto moved = Clock::now();
    const std::set<Address> expected = liquidatable_or_liquidated();
    ASSERT_GT(expected.size(), 20u);
    // Waiting on the websocket first would cost 5 connect attempts x 5 s.
    const bool done = wait_until([&] { return all_liquidated(expected); }, 15s);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - moved);
    EXPECT_TRUE(done) << "not every liquidatable position was liquidated within 15 s of the price move ("
                      << liquidations().size() << " of " << expected.size() << ")\n"
                      << daemon.err();
    std::printf("[ measured ] %zu of %zu liquidated %lld ms after the price move, websocket hung\n", liquidations().size(),
                expected.size(), static_cast<long long>(took.count()));
    expect_each_once(expected);
    EXPECT_TRUE(daemon.wait_for_log("websocket heads down", 30s)) << daemon.err();

    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM\n" << daemon.err();
    EXPECT_EQ(*code, 0) << daemon.err();
}

TEST_F(HungPeersTest, SigtermWithANodeThatHangsMidRunExitsZeroWithinTenSecondsJournalIntact) {
    auto proxy = testing::FaultProxy::start(anvil_->port());
    ASSERT_TRUE(proxy) << proxy.error().message;
    write_config({.rpc = (*proxy)->url()});
    set_price(price("90"));
    const std::set<Address> expected = contract_liquidatable();
    ASSERT_GT(expected.size(), 20u);
    {
        testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "hung-node");
        ASSERT_TRUE(daemon.wait_for_log("liquidated 0x", 120s)) << daemon.err();
        // The node stops answering: every request from now on is taken and never answered.
        (*proxy)->periodic(testing::Fault::hang, 1);
        const unsigned hung_before = (*proxy)->faults_injected();
        ASSERT_TRUE(wait_until([&] { return (*proxy)->faults_injected() > hung_before; }, 30s)) << daemon.err();
        std::this_thread::sleep_for(500ms);  // well inside the hung request

        const auto signalled = Clock::now();
        daemon.signal(SIGTERM);
        const auto code = daemon.wait(10s);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
        ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM with a hung node\n" << daemon.err();
        EXPECT_EQ(*code, 0) << daemon.err();
        EXPECT_NE(daemon.err().find("shutdown requested"), std::string::npos) << daemon.err();
        std::printf("[ measured ] exit %lld ms after SIGTERM, node hung\n", static_cast<long long>(took.count()));
    }

    // Journal intact: it opens, and every liquidation on chain has its entry.
    const auto on_chain = liquidations();
    {
        auto opened = state::StateStore::open(dir_ / "state", 31337);
        ASSERT_TRUE(opened) << opened.error().message;
        auto journal = opened->store.recent_journal(1000);
        ASSERT_TRUE(journal) << journal.error().message;
        std::set<Address> journaled;
        for (const auto& entry : *journal) {
            if (!entry.work_key.starts_with("morpho-blue:")) continue;
            const auto detail = nlohmann::json::parse(entry.detail);
            journaled.insert(Address::parse(detail["borrower"].get<std::string>()).value());
        }
        for (const auto& [borrower, n] : on_chain)
            EXPECT_TRUE(journaled.contains(borrower)) << borrower.checksummed() << " liquidated but not journaled";
    }
    // And a restart on it, with the node back, finishes the work without sending anything twice.
    (*proxy)->periodic(testing::Fault::pass, 0);
    write_config({});
    auto again = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "restart");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(all_liquidated(expected)) << again.err;
    expect_each_once(expected);
}

}  // namespace hung_peers_test
}  // namespace keeper

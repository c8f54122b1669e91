// The end-to-end latency bench of issue #18, NOT a CI test (every case is
// DISABLED_; run it by hand):
//   KEEPER_ANVIL=.tools/bin/anvil build/dev/tests/integration/integration_feeds
//       --gtest_also_run_disabled_tests --gtest_filter='FeedLatencyBench.*'
// On anvil with one block a second, 20 OCR2 transmits, each liquidating one
// borrower (borrower k owes 860 x p_k + 4 against 1,000 collateral, LLTV
// 86%, p_k = 0.98 - 0.01 k). An observer of our own, subscribed over the
// websocket to new heads and to pending transactions, timestamps (steady
// clock) the head of the block that mined each transmit and the moment the
// keeper's liquidation reaches the node's pool. Latency = liquidation at
// the node - update mined, per mode of the keeper: HTTP polling every
// 100 ms, websocket newHeads, and pending mode (negative: the liquidation
// was at the node before the update was mined). Prints p50 and max.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "../keeper/keeper_process.hpp"
#include "chain/retrying_transport.hpp"
#include "chain/signer.hpp"
#include "chain/subscription.hpp"
#include "chain/transaction.hpp"
#include "feed_market.hpp"

namespace keeper {
namespace feed_latency_bench {

using namespace std::chrono_literals;
using feed_market::ether;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kUpdates = 20;
std::uint64_t price_percent(std::size_t k) { return 98 - k; }

enum class Mode { polling, websocket, pending };

class FeedLatencyBench : public feed_market::FeedMarketTest {
protected:
    void run(Mode mode, const char* name) {
        feed_market::MarketOptions options;
        for (std::size_t k = 0; k < kUpdates; ++k)
            options.borrowers.push_back(
                {ether(1000), ether(1) * U256(860 * price_percent(k) + 400) / U256(100)});  // 860 p_k + 4
        options.websocket = mode != Mode::polling;
        if (mode == Mode::pending) options.feed_keys = "pending_transmissions = true\n";
        open_market(options, [this] { return deploy_ocr2_aggregator(); });
        const auto keeper_key = chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex).value();
        ASSERT_TRUE(
            devnet::approve(client(), keeper_key, devnet_.contracts.loan_token, devnet_.contracts.morpho, U256::max()));
        ASSERT_TRUE(client().call("evm_setAutomine", json::array({false})));
        ASSERT_TRUE(client().call("evm_setIntervalMining", json::array({1})));

        chain::SubscriptionClient observer(chain::websocket_channel("ws://127.0.0.1:" + std::to_string(anvil_->port())),
                                           chain::ReconnectPolicy{}, chain::real_retry_environment());
        ASSERT_TRUE(observer.subscribe_new_heads());
        ASSERT_TRUE(observer.subscribe_pending_transactions());
        std::map<std::uint64_t, Clock::time_point> heads;
        std::map<Bytes32, Clock::time_point> liquidations_seen;  // the keeper's txs to Morpho, by hash
        std::map<Bytes32, Clock::time_point> transmits_seen;     // txs to the aggregator, by hash
        auto pump = [&](std::chrono::milliseconds budget) {
            const auto until = Clock::now() + budget;
            while (Clock::now() < until) {
                auto event = observer.next(5ms);
                if (!event || !*event) continue;
                const auto at = Clock::now();
                if (const auto* head = std::get_if<chain::NewHead>(&**event)) heads.emplace(head->header.number, at);
                if (const auto* p = std::get_if<chain::NewPendingTransaction>(&**event);
                    p != nullptr && p->tx && p->tx->to == devnet_.contracts.morpho && p->tx->from == liquidator_)
                    liquidations_seen.emplace(p->hash, at);
                if (const auto* p = std::get_if<chain::NewPendingTransaction>(&**event);
                    p != nullptr && p->tx && p->tx->to == aggregator_)
                    transmits_seen.emplace(p->hash, at);
            }
        };

        testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
        ASSERT_TRUE(daemon.wait_for_log("new heads by", 90s)) << daemon.err();
        if (mode == Mode::pending) {
            ASSERT_TRUE(daemon.wait_for_log("pending transactions by websocket subscription", 30s)) << daemon.err();
        }
        pump(1500ms);

        std::vector<double> latency_ms;
        std::vector<double> after_transmit_ms;  // transmit at the node -> liquidation at the node
        std::size_t same_block = 0;
        for (std::size_t k = 0; k < kUpdates; ++k) {
            const std::uint64_t start = client().block_number().value();
            while (client().block_number().value() == start) pump(5ms);
            const std::size_t seen_before = liquidations_seen.size();
            chain::DynamicFeeTransaction tx;
            tx.chain_id = chain::ChainId{31337};
            tx.nonce = chain::Nonce{
                client().get_transaction_count(chain::address_of(owner()), chain::BlockId::pending()).value()};
            tx.max_priority_fee_per_gas_wei = U256::pow10(9);
            tx.max_fee_per_gas_wei = U256::pow10(11);
            tx.gas_limit = chain::GasLimit{300'000};
            tx.to = aggregator_;
            const std::uint64_t p = price_percent(k);
            tx.data = feed_market::ocr2_transmit_calldata({p, p, p}, 0x102 + k, latest_timestamp_s());
            const auto hash = client().send_raw_transaction(chain::encode_raw(chain::sign(tx, owner())));
            ASSERT_TRUE(hash);
            std::optional<std::uint64_t> mined;
            const auto deadline = Clock::now() + 10s;
            while (Clock::now() < deadline &&
                   (!mined || liquidations_seen.size() == seen_before || !heads.contains(*mined))) {
                pump(20ms);
                if (!mined)
                    if (auto r = client().get_transaction_receipt(*hash); r && r->has_value())
                        mined = (*r)->block_number;
            }
            ASSERT_TRUE(mined && heads.contains(*mined) && liquidations_seen.size() > seen_before)
                << name << " update " << k << ": no liquidation within 10 s\n"
                << daemon.err();
            const auto newest = std::max_element(liquidations_seen.begin(), liquidations_seen.end(),
                                                 [](const auto& a, const auto& b) { return a.second < b.second; });
            latency_ms.push_back(std::chrono::duration<double, std::milli>(newest->second - heads.at(*mined)).count());
            if (const auto t = transmits_seen.find(*hash); t != transmits_seen.end())
                after_transmit_ms.push_back(
                    std::chrono::duration<double, std::milli>(newest->second - t->second).count());
            ASSERT_TRUE(eventually([&] { return liquidations().contains(borrowers_[k]); }, 10s));
            if (liquidations().at(borrowers_[k]) == *mined) ++same_block;
        }
        std::vector<double> sorted = latency_ms;
        std::sort(sorted.begin(), sorted.end());
        const double p50 = (sorted[kUpdates / 2 - 1] + sorted[kUpdates / 2]) / 2;
        std::printf(
            "%s: update mined -> liquidation at the node over %zu updates: p50 %.1f ms, max %.1f ms, "
            "min %.1f ms; in the update's block: %zu of %zu\n",
            name, kUpdates, p50, sorted.back(), sorted.front(), same_block, kUpdates);
        if (mode == Mode::pending && !after_transmit_ms.empty()) {
            std::sort(after_transmit_ms.begin(), after_transmit_ms.end());
            std::printf(
                "%s: transmit at the node -> liquidation at the node over %zu updates: p50 %.1f ms, max %.1f ms\n",
                name, after_transmit_ms.size(), after_transmit_ms[after_transmit_ms.size() / 2],
                after_transmit_ms.back());
        }
        daemon.signal(SIGTERM);
        EXPECT_EQ(daemon.wait(20s), 0);
    }
};

TEST_F(FeedLatencyBench, DISABLED_HttpPolling) { run(Mode::polling, "HTTP polling (poll_interval_ms 100)"); }
TEST_F(FeedLatencyBench, DISABLED_WebsocketHeads) { run(Mode::websocket, "websocket newHeads"); }
TEST_F(FeedLatencyBench, DISABLED_PendingTransmissions) { run(Mode::pending, "pending transmissions"); }

}  // namespace feed_latency_bench
}  // namespace keeper

// The daemon after an RPC outage (issue #16, item 6): the margin-keeper binary
// follows a Morpho Blue devnet through a proxy that refuses eth_getLogs over
// more than 250 blocks, as providers do (at 1/4 of the scale of a 10,000-block
// limit, so anvil mines the gap quickly). The proxy goes dead, ~2,500 blocks
// are mined with borrowers opened and the oracle moved in the middle, and the
// proxy comes back. The keeper must catch the gap up through ranged
// eth_getLogs (a header per range, not per block), see what happened in it
// (it liquidates exactly the borrowers opened during the outage), and go on
// following the head.
#include <gtest/gtest.h>

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

namespace keeper {
namespace head_gap_test {

using namespace std::chrono_literals;
namespace mb = chain::morpho_blue;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }
U256 price(std::string_view percent_text) { return dec(percent_text) * U256::pow10(34); }  // "90" -> 0.90e36

class HeadGapKeeperTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        // Healthy even at price 0.90 (liquidatable above 0.86 x 0.90 = 77.4%).
        ASSERT_NO_FATAL_FAILURE(start_chain(
            testing::borrowers_at_ltv_bps({4000, 5000, 6000, 6500, 7000}, dec("1000000000000000000000")), 10));
        auto proxy = testing::FaultProxy::start(anvil_->port());
        ASSERT_TRUE(proxy) << proxy.error().message;
        proxy_ = std::move(*proxy);
        proxy_->limit_log_range({.max_blocks = 250});
        make_dir("headgap");
        write_keeper_toml({.rpc = proxy_->url()});
    }

    // In steps: anvil takes seconds per thousand blocks on a busy machine.
    void mine(std::uint64_t blocks) {
        for (std::uint64_t step = 0; step < blocks; step += 250) {
            const std::uint64_t n = std::min<std::uint64_t>(250, blocks - step);
            auto mined = client_->call("anvil_mine", nlohmann::json::array({U256(n).to_hex()}));
            ASSERT_TRUE(mined) << mined.error().message;
        }
    }

    // Liquidate events on chain, by borrower (read from anvil directly).
    std::map<Address, int> liquidations() {
        const auto head = client_->block_number().value();
        std::map<Address, int> out;
        for (std::uint64_t from = devnet_.deploy_block; from <= head; from += 10'000) {
            chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
            auto logs = chain::get_logs(*client_, filter, chain::BlockRange{from, std::min(head, from + 9'999)});
            EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
            if (!logs) return out;
            for (const auto& log : *logs) {
                auto event = mb::decode_event(log);
                if (event && event->has_value())
                    if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event)) ++out[liq->borrower];
            }
        }
        return out;
    }

    std::unique_ptr<testing::FaultProxy> proxy_;
};

TEST_F(HeadGapKeeperTest, AfterAnOutageLongerThanTheRangeLimitItCatchesUpByRangesAndActsOnTheGap) {
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "headgap");
    ASSERT_TRUE(daemon.wait_for_log("positions with debt", 60s)) << daemon.err();

    // The outage: every request dropped, long enough for the daemon to notice.
    proxy_->set_dead(true);
    ASSERT_TRUE(daemon.wait_for_log("round failed", 30s)) << daemon.err();
    const auto before = client_->block_number().value();
    mine(1'250);
    // Opened and made liquidatable while the keeper could not see the chain:
    // it can only liquidate them if it applies the gap's events.
    auto opened = devnet::open_borrowers(
        *client_, *owner_, devnet_, testing::borrowers_at_ltv_bps({8000, 8200, 8400}, dec("1000000000000000000000")),
        10);
    ASSERT_TRUE(opened) << opened.error().message;
    const std::set<Address> opened_in_gap(opened->begin(), opened->end());
    ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, devnet_, price("90")));
    mine(1'250);
    const auto gap = client_->block_number().value() - before;

    const unsigned headers_before = proxy_->calls("eth_getBlockByNumber");
    proxy_->set_dead(false);
    const bool caught_up = daemon.wait_for_log("caught up a head gap", 60s);
    const unsigned headers = proxy_->calls("eth_getBlockByNumber") - headers_before;
    ASSERT_TRUE(caught_up) << "no catch-up within 60 s of the node coming back (headers read since: " << headers
                           << ", gap " << gap << " blocks)\n"
                           << daemon.err();
    EXPECT_LT(headers, 200u) << "headers read to catch up a gap of " << gap << " blocks";
    EXPECT_GE(proxy_->log_range_refusals(), 1u) << "the test must exercise the provider's limit";
    std::printf("head gap of %llu blocks caught up with %u eth_getBlockByNumber calls, %u eth_getLogs calls "
                "(%u refused)\n",
                static_cast<unsigned long long>(gap), headers, proxy_->calls("eth_getLogs"),
                proxy_->log_range_refusals());

    // It acts on what happened in the gap: exactly the borrowers opened there, once each.
    std::map<Address, int> liquidated;
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < until) {
        liquidated = liquidations();
        if (liquidated.size() >= opened_in_gap.size()) break;
        std::this_thread::sleep_for(200ms);
    }
    std::set<Address> borrowers;
    for (const auto& [b, n] : liquidated) {
        EXPECT_EQ(n, 1) << b.checksummed() << " liquidated more than once";
        borrowers.insert(b);
    }
    EXPECT_EQ(borrowers, opened_in_gap) << daemon.err();

    // And it follows the head again, block by block: its saved cursor reaches blocks mined after the gap.
    mine(3);
    const auto head = client_->block_number().value();
    std::this_thread::sleep_for(3s);  // rounds run every 100 ms
    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM";
    EXPECT_EQ(*code, 0) << daemon.err();
    auto opened_store = state::StateStore::open(dir_ / "state", 31337);
    ASSERT_TRUE(opened_store) << opened_store.error().message;
    auto saved = opened_store->store.load_morpho("morpho-blue@" + devnet_.contracts.morpho.hex());
    ASSERT_TRUE(saved) << saved.error().message;
    ASSERT_TRUE(saved->cursor.has_value());
    EXPECT_GE(saved->cursor->number, head);
    for (const auto& [b, n] : liquidations()) EXPECT_EQ(n, 1) << b.checksummed() << " liquidated more than once";
}

}  // namespace head_gap_test
}  // namespace keeper

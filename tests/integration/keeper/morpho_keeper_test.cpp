// End to end on a real Morpho Blue: the margin-keeper binary against anvil,
// driven through the interfaces operators use (keeper.toml, `scan --json`,
// `run`, signals). Expected values come from the contract itself: positions
// and markets read back with eth_call, and "liquidatable" probed by asking
// Morpho to liquidate one unit (it reverts with "position is healthy" exactly
// when !_isHealthy is false).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "protocols/health_text.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/state/state_store.hpp"
#include "keeper_process.hpp"
#include "morpho_e2e_fixture.hpp"
#include "margin/morpho_blue.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper {
namespace morpho_keeper_test {

using namespace std::chrono_literals;
namespace mb = chain::morpho_blue;

constexpr std::size_t kBorrowers = 120;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }
U256 price(std::string_view percent_text) {  // "90" -> 0.90e36
    return dec(percent_text) * U256::pow10(34);
}

class MorphoKeeperTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(start_chain(testing::ltv_spread_40_to_85(kBorrowers), 60, large_blocks()));
        make_dir("e2e");
        write_config(anvil_->url());
    }

    // `strategy`: the [strategy] table's lines ("" for the keeper's defaults).
    void write_config(const std::string& rpc, const std::string& ws = "",
                      const std::string& strategy = "confirmations = 1\n") {
        write_keeper_toml({.rpc = rpc, .ws = ws, .strategy = strategy});
    }

    void set_price(const U256& price_1e36) {
        ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, devnet_, price_1e36));
    }

    // The contract's own verdict: liquidate(1 unit) reverts with "position is
    // healthy" exactly when _isHealthy holds.
    bool contract_says_liquidatable(const Address& borrower, const chain::BlockId& block) {
        const Bytes data = mb::encode_liquidate(devnet_.params, borrower, U256(1), U256());
        auto answer = client_->eth_call(chain::CallRequest{liquidator_, devnet_.contracts.morpho, data, std::nullopt,
                                                           std::nullopt},
                                        block);
        return answer.has_value() || answer.error().message.find("position is healthy") == std::string::npos;
    }
    std::set<Address> contract_liquidatable() {
        std::set<Address> out;
        for (const auto& b : borrowers_)
            if (contract_says_liquidatable(b, chain::BlockId::latest())) out.insert(b);
        return out;
    }

    std::uint64_t nonce_of(chain::JsonRpcClient& client, const Address& who) {
        return client.get_transaction_count(who, chain::BlockId::latest()).value();
    }
};

TEST_F(MorphoKeeperTest, ScanJsonEqualsTheContractToTheWeiRiskiestFirst) {
    set_price(price("92"));  // LTV above 0.86 x 0.92 = 79.1% is now liquidatable
    auto scan = testing::run_keeper({"scan", "--config", config_path(), "--json"}, env(), dir_, "scan");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;

    std::vector<nlohmann::json> rows;
    std::istringstream lines(scan.out);
    for (std::string line; std::getline(lines, line);) {
        auto row = nlohmann::json::parse(line, nullptr, false);
        ASSERT_FALSE(row.is_discarded()) << "stdout must carry only JSON lines, got: " << line;
        rows.push_back(row);
    }
    ASSERT_EQ(rows.size(), kBorrowers);

    const std::uint64_t block = rows.front()["block"].get<std::uint64_t>();
    const auto at = chain::BlockId::number(block);
    auto header = client_->get_block_header(at);
    ASSERT_TRUE(header && header->has_value());
    auto market_bytes = client_->eth_call({std::nullopt, devnet_.contracts.morpho, mb::encode_market(devnet_.market_id),
                                           std::nullopt, std::nullopt},
                                          at);
    ASSERT_TRUE(market_bytes);
    auto stored = mb::decode_market(*market_bytes);
    ASSERT_TRUE(stored);
    auto rate_bytes = client_->eth_call({std::nullopt, devnet_.contracts.irm,
                                         mb::encode_borrow_rate_view(devnet_.params, *stored), std::nullopt, std::nullopt},
                                        at);
    ASSERT_TRUE(rate_bytes);
    auto accrued = morpho::accrue_interest(devnet_.params, *stored, mb::decode_uint256(*rate_bytes).value(),
                                           (*header)->timestamp);
    ASSERT_TRUE(accrued);
    auto price_bytes = client_->eth_call(
        {std::nullopt, devnet_.contracts.oracle, mb::encode_oracle_price(), std::nullopt, std::nullopt}, at);
    const U256 oracle_price = mb::decode_uint256(*price_bytes).value();

    std::size_t liquidatable = 0;
    U256 previous_health;
    for (const auto& row : rows) {
        EXPECT_EQ(row["protocol"], "morpho-blue");
        EXPECT_EQ(row["market"], devnet_.market_id.hex());
        auto account = Address::parse(row["account"].get<std::string>());
        ASSERT_TRUE(account);
        EXPECT_EQ(row["account"].get<std::string>(), account->checksummed());
        auto position_bytes = client_->eth_call(
            {std::nullopt, devnet_.contracts.morpho, mb::encode_position(devnet_.market_id, *account), std::nullopt,
             std::nullopt},
            at);
        ASSERT_TRUE(position_bytes);
        const morpho::Position position = mb::decode_position(*position_bytes).value();
        auto health = morpho::health(devnet_.params, accrued->market, position, oracle_price);
        ASSERT_TRUE(health);
        EXPECT_EQ(row["collateral"].get<std::string>(), position.collateral.to_dec());
        EXPECT_EQ(row["debt"].get<std::string>(), health->borrowed.to_dec());
        EXPECT_EQ(row["health"].get<std::string>(), protocols::wad_to_decimal(morpho::health_ratio_wad(*health)));
        EXPECT_EQ(row["liquidatable"].get<bool>(), contract_says_liquidatable(*account, at)) << row.dump();
        const U256 h = morpho::health_ratio_wad(*health);
        EXPECT_GE(h, previous_health) << "rows must be riskiest first";
        previous_health = h;
        liquidatable += row["liquidatable"].get<bool>() ? 1 : 0;
    }
    // LTV steps of 0.378% from 40%: those above 79.12% are liquidatable at 0.92.
    EXPECT_GT(liquidatable, 15u);
    EXPECT_LT(liquidatable, 30u);
}

TEST_F(MorphoKeeperTest, LiveRunLiquidatesExactlyTheLiquidatablePositionsOnceWithThePredictedSeize) {
    set_price(price("90"));
    const std::set<Address> expected = contract_liquidatable();
    ASSERT_GT(expected.size(), 20u);

    auto run = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;

    const auto events = liquidations(*client_);
    std::map<Address, std::vector<morpho::LiquidateEvent>> by_borrower;
    for (const auto& e : events) by_borrower[e.borrower].push_back(e);
    std::set<Address> liquidated;
    for (const auto& [b, list] : by_borrower) {
        EXPECT_EQ(list.size(), 1u) << b.checksummed() << " liquidated more than once";
        liquidated.insert(b);
    }
    EXPECT_EQ(liquidated, expected);

    // The journal holds the engine's prediction for each; the chain's Liquidate event must match it.
    auto opened = state::StateStore::open(dir_ / "state", 31337);
    ASSERT_TRUE(opened) << opened.error().message;
    auto journal = opened->store.recent_journal(1000);
    ASSERT_TRUE(journal);
    std::size_t checked = 0;
    for (const auto& entry : *journal) {
        if (!entry.work_key.starts_with("morpho-blue:")) continue;
        EXPECT_EQ(entry.status, state::JournalStatus::confirmed) << entry.work_key;
        const auto detail = nlohmann::json::parse(entry.detail);
        const Address borrower = Address::parse(detail["borrower"].get<std::string>()).value();
        ASSERT_EQ(by_borrower[borrower].size(), 1u);
        EXPECT_EQ(detail["seized"].get<std::string>(), by_borrower[borrower].front().seized_assets.to_dec());
        ++checked;
    }
    EXPECT_EQ(checked, expected.size());
    EXPECT_EQ(run.err.find("DIFFERS"), std::string::npos) << run.err;
    // One approval plus one transaction per liquidation: nothing sent twice.
    EXPECT_EQ(nonce_of(*client_, liquidator_), expected.size() + 1);
}

TEST_F(MorphoKeeperTest, DryRunMinesNothingAndReportsEveryLiquidation) {
    // The operator's account holds loan tokens and has approved Morpho, so
    // every simulation must pass.
    auto liquidator_key = chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex).value();
    ASSERT_TRUE(devnet::approve(*client_, liquidator_key, devnet_.contracts.loan_token, devnet_.contracts.morpho,
                                U256::max()));
    set_price(price("90"));
    const std::set<Address> expected = contract_liquidatable();
    const auto head_before = client_->block_number().value();
    const auto nonce_before = nonce_of(*client_, liquidator_);

    auto run = testing::run_keeper({"run", "--config", config_path(), "--dry-run", "--once"}, env(), dir_, "dry");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(client_->block_number().value(), head_before) << "a dry run must not mine anything";
    EXPECT_EQ(nonce_of(*client_, liquidator_), nonce_before);
    EXPECT_TRUE(liquidations(*client_).empty());
    EXPECT_EQ(run.err.find("simulation reverted"), std::string::npos) << run.err;
    for (const auto& b : expected)
        EXPECT_NE(run.err.find("DRY-RUN would liquidate " + b.checksummed()), std::string::npos) << b.checksummed();
    std::size_t reported = 0;
    for (std::size_t at = run.err.find("DRY-RUN would liquidate"); at != std::string::npos;
         at = run.err.find("DRY-RUN would liquidate", at + 1))
        ++reported;
    EXPECT_EQ(reported, expected.size());
    EXPECT_NE(run.err.find("eth_call ok; calldata 0x"), std::string::npos);
}

TEST_F(MorphoKeeperTest, ForkModeSendsToItsOwnForkNotUpstream) {
    set_price(price("90"));
    const std::set<Address> expected = contract_liquidatable();
    const auto head_before = client_->block_number().value();

    auto run = testing::run_keeper({"run", "--config", config_path(), "--fork", "--once"}, env(), dir_, "fork");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(client_->block_number().value(), head_before);
    EXPECT_EQ(nonce_of(*client_, liquidator_), 0u);
    EXPECT_TRUE(liquidations(*client_).empty()) << "upstream must be untouched";
    for (const auto& b : expected) EXPECT_NE(run.err.find("liquidated " + b.checksummed()), std::string::npos);
    EXPECT_NE(run.err.find("fork mode"), std::string::npos);
    EXPECT_NE(run.err.find("collateral, -"), std::string::npos) << "real balance differences are reported";
}

TEST_F(MorphoKeeperTest, KilledMidWayResumesFromSavedStateWithoutSendingTwice) {
    set_price(price("90"));
    const std::set<Address> expected = contract_liquidatable();
    // Blocks every 2 s from now on, so the kill lands while transactions wait in the pool.
    ASSERT_TRUE(client_->call("evm_setAutomine", nlohmann::json::array({false})));
    ASSERT_TRUE(client_->call("evm_setIntervalMining", nlohmann::json::array({2})));
    {
        testing::KeeperProcess first({"run", "--config", config_path()}, env(), dir_, "first");
        ASSERT_TRUE(first.wait_for_log("sent liquidation", 60s)) << first.err();
        first.signal(SIGKILL);
        first.wait(10s);
    }
    auto second = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "second");
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.err.find("from saved state at block"), std::string::npos) << "must not re-sync from start_block";
    // What the first run sent before it died is watched, not sent again.
    EXPECT_NE(second.err.find("in flight from the journal"), std::string::npos) << second.err;

    std::map<Address, int> count;
    for (const auto& e : liquidations(*client_)) ++count[e.borrower];
    std::set<Address> liquidated;
    for (const auto& [b, n] : count) {
        EXPECT_EQ(n, 1) << b.checksummed();
        liquidated.insert(b);
    }
    EXPECT_EQ(liquidated, expected);
    EXPECT_EQ(nonce_of(*client_, liquidator_), expected.size() + 1) << "one approval + one per liquidation";
}

TEST_F(MorphoKeeperTest, WithAWebsocketItLiquidatesOnNewHeadsAndSigtermStopsItWithinTenSeconds) {
    write_config(anvil_->url(), "ws://127.0.0.1:" + std::to_string(anvil_->port()));
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "sigterm");
    ASSERT_TRUE(daemon.wait_for_log("new heads by websocket", 60s)) << daemon.err();
    // The oracle moves while the daemon waits on newHeads: it must react.
    set_price(price("90"));
    ASSERT_TRUE(daemon.wait_for_log("liquidated 0x", 60s)) << daemon.err();
    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM";
    EXPECT_EQ(*code, 0) << daemon.err();
    EXPECT_NE(daemon.err().find("shutdown requested"), std::string::npos);
}

// Mines a block every `interval` on its own connection, as a real chain
// produces blocks whether or not anyone sends; pause() holds it while a
// test rewrites the chain.
class Heartbeat {
public:
    Heartbeat(const std::string& url, std::chrono::milliseconds interval)
        : thread_([this, url, interval](std::stop_token stop) {
              auto client = chain::make_http_client(url);
              while (!stop.stop_requested()) {
                  if (!paused_) (void)keeper::devnet::evm_mine(client);
                  std::this_thread::sleep_for(interval);
              }
          }) {}
    void pause() {
        paused_ = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(400));  // a mine in progress lands first
    }
    void resume() { paused_ = false; }

private:
    std::atomic<bool> paused_{false};
    std::jthread thread_;
};

// Issue #16 item 2: a reorg took away liquidations that were mined (some of
// them already 3 deep, final). With confirmations = 1 this once gave
// duplicate liquidations and then a nonce gap that stalled every later
// transaction. Now: every liquidatable position on the surviving branch is
// liquidated exactly once, nothing reverts, no nonce is left empty, and the
// keeper goes on liquidating what becomes liquidatable later.
TEST_F(MorphoKeeperTest, AReorgOfItsLiquidationsNeitherRepeatsThemNorLeavesANonceGap) {
    write_config(anvil_->url(), "", "");  // the default depth: 3 confirmations
    // Who the 0.90 drop makes liquidatable, read before any keeper runs (a
    // running keeper liquidates them faster than 120 eth_calls can list them).
    const auto probe = client_->call("evm_snapshot").value();
    set_price(price("90"));
    const std::set<Address> expected = contract_liquidatable();
    ASSERT_GT(expected.size(), 20u);
    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({probe})));
    Heartbeat heartbeat(anvil_->url(), 300ms);
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "reorg");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 60s)) << daemon.err();
    // The fork point lies after the block the keeper started following from
    // (a reorg below that needs a restart: see the README's failure model).
    std::this_thread::sleep_for(1s);
    heartbeat.pause();
    const auto before_drop = client_->call("evm_snapshot").value();
    set_price(price("90"));  // the keeper starts liquidating at once
    heartbeat.resume();
    auto wait_until = [&](const std::function<bool()>& done, std::chrono::seconds limit) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until && !done()) std::this_thread::sleep_for(250ms);
        return done();
    };
    // Some liquidations mined, the first ones already final (3 deep).
    ASSERT_TRUE(wait_until([&] { return liquidations(*client_).size() >= 8; }, 90s)) << daemon.err();

    // The branch holding them is replaced by a longer one on which the same
    // price drop happened again.
    heartbeat.pause();
    const std::uint64_t old_head = client_->block_number().value();
    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({before_drop})));
    ASSERT_TRUE(liquidations(*client_).empty());  // the branch with them is gone
    set_price(price("90"));
    const std::uint64_t now = client_->block_number().value();
    ASSERT_TRUE(client_->call("anvil_mine", nlohmann::json::array({U256(old_head - now + 2).to_hex()})));
    heartbeat.resume();

    EXPECT_TRUE(wait_until([&] { return contract_liquidatable().empty(); }, 120s)) << daemon.err();
    // The keeper is not stalled behind a gap: a later drop is handled too.
    // (Listed while the keeper liquidates, `later` may miss some it was
    // faster to; what the drop liquidated shows as new Liquidate events.)
    if (!client_) FAIL() << "no chain";
    chain::JsonRpcClient& chain_rpc = *client_;
    const std::size_t liquidated_before_later = liquidations(chain_rpc).size();
    set_price(price("85"));
    const std::set<Address> later = contract_liquidatable();
    EXPECT_TRUE(wait_until([&] { return contract_liquidatable().empty(); }, 120s)) << daemon.err();
    EXPECT_GT(liquidations(chain_rpc).size(), liquidated_before_later) << "the 0.85 drop liquidated nobody";
    // Every sent transaction reaches its depth and the journal closes it.
    std::this_thread::sleep_for(2s);
    heartbeat.pause();
    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << daemon.err();

    std::map<Address, int> count;
    for (const auto& e : liquidations(*client_)) ++count[e.borrower];
    for (const auto& [borrower, n] : count) EXPECT_EQ(n, 1) << borrower.checksummed() << " liquidated " << n << " times";
    for (const auto& b : expected) EXPECT_EQ(count[b], 1) << b.checksummed();
    for (const auto& b : later) EXPECT_EQ(count[b], 1) << b.checksummed();
    // No nonce left empty: nothing of the keeper's waits in the pool.
    EXPECT_EQ(client_->get_transaction_count(liquidator_, chain::BlockId::latest()).value(),
              client_->get_transaction_count(liquidator_, chain::BlockId::pending()).value());
    auto opened = state::StateStore::open(dir_ / "state", 31337);
    ASSERT_TRUE(opened) << opened.error().message;
    auto journal = opened->store.recent_journal(1000);
    ASSERT_TRUE(journal);
    for (const auto& entry : *journal)
        EXPECT_NE(entry.status, state::JournalStatus::reverted) << entry.work_key << " reverted on chain";
    EXPECT_NE(daemon.err().find("reorg"), std::string::npos);
}

}  // namespace morpho_keeper_test
}  // namespace keeper

// End to end on a real Yield v2 (protocols/yield_v2/devnet): the
// margin-keeper binary against anvil, configured with a [[protocols]] table
// of kind "yield-v2", driven through `scan --json` and `run`.
//
// The run: three vaults fall under at 1500 USDC/ETH (see yield_fixture.hpp);
// the keeper starts their auctions; anvil mines only when the test says so,
// one block every 12 s of chain time (the keeper's block_interval_s), and the
// keeper bids on "big" (600 USDC for 0.5 ETH) in the block where the payout
// first covers debt plus the configured 5 USDC of gas: its auction's block +
// 69 (828 s), receiving 0.40375 ETH, as the strategy's worked example and the
// Witch's own calcPayout say. The keeper holds 2000 USDC and has approved the
// base Join beforehand, as an operator would.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/log_sync.hpp"
#include "protocols/yield_v2/yield_config.hpp"
#include "protocols/yield_v2/yield_events.hpp"
#include "support/fault_proxy.hpp"
#include "tests/integration/keeper/keeper_process.hpp"
#include "tests/integration/yield_v2/yield_fixture.hpp"

namespace keeper::yield_v2::testing {
namespace yield_keeper_test {

using namespace std::chrono_literals;

class YieldKeeperTest : public YieldOnAnvil {
protected:
    void SetUp() override {
        YieldOnAnvil::SetUp();
        if (HasFatalFailure()) return;
        open_three();
        const Address keeper = chain::address_of(*keeper_);
        ASSERT_TRUE(devnet::mint_token(*client_, *owner_, devnet_.contracts.base_token, keeper, usdc(2000)));
        send(*keeper_, devnet_.contracts.base_token,
             chain::morpho_blue::encode_erc20_approve(devnet_.contracts.base_join, U256::max()));
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-yield-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        write_config(anvil_->url());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    void write_config(const std::string& rpc) {
        std::ofstream toml(config_path());
        toml << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
             << "[strategy]\nconfirmations = 1\n"
             << "[chain]\nrpc = [\"" << rpc << "\"]\npoll_interval_ms = 50\nchain_id = 31337\n"
             << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
             << "[[protocols]]\nkind = \"yield-v2\"\ncauldron = \"" << devnet_.contracts.cauldron.checksummed()
             << "\"\nwitch = \"" << devnet_.contracts.witch.checksummed()
             << "\"\nstart_block = " << devnet_.deploy_block << "\nbid_gas_cost = \"5000000\"\nblock_interval_s = 12\n";
    }

    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_E2E_KEY", std::string(keeper::devnet::dev_accounts()[2].private_key_hex)}};
    }

    // Transactions waiting for the next block (anvil's txpool).
    std::size_t pending() {
        auto status = client_->call("txpool_status", nlohmann::json::array());
        if (!status || !status->contains("pending")) return 0;
        const auto& p = (*status)["pending"];
        return p.is_string() ? U256::from_hex(p.get<std::string>()).value_or(U256()).low64() : p.get<std::size_t>();
    }
    // Waits (generously) until `n` transactions are pending.
    bool await_pending(std::size_t n, std::chrono::milliseconds timeout) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (pending() >= n) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }
    void set_automine(bool on) {
        auto r = client_->call("evm_setAutomine", nlohmann::json::array({on}));
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

    std::vector<Event> witch_events_in(std::uint64_t block) {
        chain::LogFilter filter{{devnet_.contracts.witch}, followed_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{block, block});
        EXPECT_TRUE(logs.has_value());
        std::vector<Event> out;
        for (const auto& log : logs.value_or(std::vector<chain::Log>{}))
            if (auto e = decode_event(log); e && *e) out.push_back(**e);
        return out;
    }

    std::filesystem::path dir_;
};

TEST_F(YieldKeeperTest, ScanListsEveryVaultWithTheCauldronsVerdict) {
    set_price(1500);
    auto scan = keeper::testing::run_keeper({"scan", "--config", config_path(), "--json"}, env(), dir_, "scan");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    std::istringstream lines(scan.out);
    std::string line;
    std::size_t rows = 0;
    while (std::getline(lines, line)) {
        const auto row = nlohmann::json::parse(line);
        EXPECT_EQ(row.at("protocol"), "yield-v2");
        const VaultId id = VaultId::from_hex(row.at("vault").get<std::string>()).value();
        const VaultReading r = read(id);
        EXPECT_EQ(row.at("liquidatable").get<bool>(), undercollateralised(r.level));
        EXPECT_TRUE(row.at("liquidatable").get<bool>());
        EXPECT_EQ(row.at("debt"), r.balances.art.to_dec());
        EXPECT_EQ(row.at("collateral"), r.balances.ink.to_dec());
        // DESIGN.md "Interfaces": every protocol's `account` is EIP-55.
        EXPECT_EQ(row.at("account").get<std::string>(), r.vault.owner.checksummed());
        EXPECT_FALSE(row.at("health").get<std::string>().empty());
        ++rows;
    }
    EXPECT_EQ(rows, 3u);
}

TEST_F(YieldKeeperTest, StartsTheAuctionsAndBidsInThePredictedBlockForThePredictedCollateral) {
    set_price(1500);
    set_automine(false);
    keeper::testing::KeeperProcess keeper({"run", "--config", config_path()}, env(), dir_, "run");

    // The keeper starts all three auctions in one round: mine them together.
    ASSERT_TRUE(await_pending(3, 60s)) << keeper.err();
    mine_at(head().timestamp + 12);
    const chain::BlockHeader auctioned = head();
    ASSERT_EQ(read(big_).auction.start, auctioned.timestamp) << keeper.err();
    EXPECT_EQ(read(mid_).auction.start, auctioned.timestamp);
    EXPECT_EQ(read(small_).auction.start, auctioned.timestamp);
    const std::uint64_t planned = auctioned.number + 69;

    // One block per 12 s of chain time; before the planned block, wait until
    // the keeper's bid is pending (it sends in the round whose next block is
    // the planned one), otherwise give it a moment per block.
    const Address keeper_address = chain::address_of(*keeper_);
    const U256 weth_before = balance(devnet_.contracts.ilk_token, keeper_address);
    while (head().number + 1 < planned) {
        std::this_thread::sleep_for(150ms);
        ASSERT_EQ(pending(), 0u) << "a transaction before the planned block " << planned << ":\n" << keeper.err();
        mine_at(head().timestamp + 12);
    }
    ASSERT_TRUE(await_pending(1, 60s)) << keeper.err();
    mine_at(head().timestamp + 12);
    ASSERT_EQ(head().number, planned);

    bool bought_big = false;
    for (const Event& e : witch_events_in(planned)) {
        if (const auto* b = std::get_if<Bought>(&e); b && b->vault == big_) {
            bought_big = true;
            EXPECT_EQ(b->buyer, keeper_address);
            EXPECT_EQ(b->ink, U256(40375) * U256::pow10(13));  // 0.5 ETH x 80.75%
            EXPECT_EQ(b->art, usdc(600));
        }
    }
    EXPECT_TRUE(bought_big) << keeper.err();
    EXPECT_EQ(balance(devnet_.contracts.ilk_token, keeper_address) - weth_before, U256(40375) * U256::pow10(13));
    EXPECT_EQ(read(big_).auction.start, 0u);  // bought whole: the vault went back to its owner

    keeper.signal(SIGTERM);
    EXPECT_EQ(keeper.wait(15s), 0) << keeper.err();
}

// DESIGN.md "Interfaces": started again on the same state directory, the
// keeper resumes without re-syncing from start_block. Both runs go through a
// proxy that records every eth_getLogs' fromBlock. The first syncs the book
// from the devnet's deploy block (all three vaults healthy at 2000 USDC/ETH);
// the price then falls to 1500, and the second run asks for no log at or
// before the first run's last block, restores the three vaults from the
// state store, judges the same book scan lists, and starts their auctions.
TEST_F(YieldKeeperTest, ARestartResumesTheVaultsFromSavedStateWithoutReSyncing) {
    auto proxy = keeper::testing::FaultProxy::start(anvil_->port());
    ASSERT_TRUE(proxy) << proxy.error().message;
    write_config((*proxy)->url());
    const std::string key = std::string(kKind) + "@" + devnet_.contracts.cauldron.hex();

    auto first = keeper::testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "first");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const std::uint64_t first_synced = head().number;
    EXPECT_NE(first.err.find(key + ": synced through block " + std::to_string(first_synced)), std::string::npos)
        << first.err;
    const std::vector<std::uint64_t> first_ranges = (*proxy)->log_from_blocks();
    ASSERT_FALSE(first_ranges.empty());
    EXPECT_EQ(*std::min_element(first_ranges.begin(), first_ranges.end()), devnet_.deploy_block);
    EXPECT_EQ(read(big_).auction.start, 0u) << "healthy at 2000 USDC/ETH: nothing to auction";

    set_price(1500);
    auto scan = keeper::testing::run_keeper({"scan", "--config", config_path(), "--json"}, env(), dir_, "scan");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    std::size_t scanned = 0;
    std::istringstream lines(scan.out);
    for (std::string line; std::getline(lines, line);) {
        EXPECT_TRUE(nlohmann::json::parse(line).at("liquidatable").get<bool>()) << line;
        ++scanned;
    }
    EXPECT_EQ(scanned, 3u);
    const std::size_t scan_ranges = (*proxy)->log_from_blocks().size();  // scan keeps no state: it syncs

    auto second = keeper::testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "second");
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(
        second.err.find("resumed " + key + " from saved state at block " + std::to_string(first_synced) + ": 3 vaults"),
        std::string::npos)
        << second.err;
    const std::vector<std::uint64_t> all_ranges = (*proxy)->log_from_blocks();
    ASSERT_GT(all_ranges.size(), scan_ranges) << "the second run followed new blocks";
    for (std::size_t i = scan_ranges; i < all_ranges.size(); ++i)
        EXPECT_GT(all_ranges[i], first_synced) << "the second run re-read logs from block " << all_ranges[i];
    // The restored book is the one scan lists, and the keeper acts on it.
    EXPECT_NE(second.err.find(": 3 positions with debt, 3 liquidatable"), std::string::npos) << second.err;
    EXPECT_NE(read(big_).auction.start, 0u) << second.err;
    EXPECT_NE(read(mid_).auction.start, 0u);
    EXPECT_NE(read(small_).auction.start, 0u);
}

}  // namespace yield_keeper_test
}  // namespace keeper::yield_v2::testing

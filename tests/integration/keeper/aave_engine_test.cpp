// The Aave V3 adapter as `run` drives it (the incremental engine, issue #18)
// beside the same adapter as `scan` drives it (every account judged
// exactly), on the real @aave/core-v3 1.19.3 market deployed on anvil
// (WETH $2000, WBTC $30,000, USDC and DAI $1; eMode 1 for the stablecoins)
// with devnet::mixed_aave_borrowers(80): 1-4 collaterals, 1-3 debts, one in
// five in eMode. WETH falls in steps to $1500, then DAI to $0.90. `run` with
// an audit every head, `run` with the default audit every 100 blocks, and
// `scan` must agree on every liquidatable account and on every health factor
// below warning_health (1.05), to the wei; the default one judges exactly
// only the accounts its screen flags (below 1.050105) and those the events
// name, and an empty block judges only the flagged ones.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "chain/aave/aave_log_decoder.hpp"
#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/daemon/followed_adapter.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "core/hex.hpp"
#include "engine_test_services.hpp"
#include "keeper_process.hpp"
#include "protocols/aave_v3/aave_v3_adapter.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace aave_engine_test {

using namespace std::chrono_literals;
using protocols::aave_v3::AaveSnapshot;
using protocols::aave_v3::AaveV3Adapter;
namespace av = chain::aave_v3;

constexpr std::size_t kBorrowers = 80;
const U256 kWarning = U256(1'050'000'000'000'000'000ULL);
const U256 kWatch = U256(1'050'105'000'000'000'000ULL);  // 1.05 x 1.0001

U256 dollars_e8(std::uint64_t cents) { return U256(cents) * U256(1'000'000); }  // cents -> base units (1e8 = $1)

// One adapter on its own log follower, as the daemon's round drives it.
class Followed {
public:
    Followed(chain::JsonRpcClient& client, const devnet::AaveDevnet& devnet, bool acts, std::uint64_t audit_every)
        : adapter_(config_of(devnet), testing::engine_test_services(client, acts, audit_every, kWarning)),
          followed_(client, adapter_, [](const std::string&) {}) {}

    void round(const chain::BlockHeader& head) {
        if (!opened_) {
            auto caught = followed_.catch_up(head);
            ASSERT_TRUE(caught) << caught.error().message;
            opened_ = true;
        }
        auto followed = followed_.follow(head);
        ASSERT_TRUE(followed) << followed.error().message;
        auto refreshed = followed_.refresh(head);
        ASSERT_TRUE(refreshed) << refreshed.error().message;
    }
    const AaveSnapshot& snapshot() const { return adapter_.aave_snapshot(); }
    Result<std::shared_ptr<const protocols::Snapshot>> pending(const chain::BlockHeader& head) {
        return adapter_.pending_snapshot(head);
    }

private:
    static protocols::aave_v3::AaveV3Config config_of(const devnet::AaveDevnet& devnet) {
        protocols::aave_v3::AaveV3Config config;
        config.pool_addresses_provider = devnet.contracts.addresses_provider;
        config.first_block = devnet.deploy_block;
        return config;
    }

    AaveV3Adapter adapter_;
    app::FollowedAdapter<AaveV3Adapter> followed_;
    bool opened_ = false;
};

std::set<Address> liquidatable(const AaveSnapshot& s) {
    std::set<Address> out;
    for (const auto& a : s.accounts)
        if (a.liquidatable) out.insert(a.account);
    return out;
}

// Every account below `line`, with its exact health factor.
std::map<Address, U256> below(const AaveSnapshot& s, const U256& line) {
    std::map<Address, U256> out;
    for (const auto& a : s.accounts)
        if (a.data.health_factor_wad < line) out.emplace(a.account, a.data.health_factor_wad);
    return out;
}

class AaveEngineTest : public ::testing::Test {
protected:
    virtual std::size_t borrower_count() const { return kBorrowers; }
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil().url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto deployed = devnet::deploy_aave_devnet(rpc(), owner());
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
        auto opened = devnet::open_aave_borrowers(rpc(), owner(), devnet_,
                                                  devnet::mixed_aave_borrowers(borrower_count()));
        ASSERT_TRUE(opened) << opened.error().message;
        borrowers_ = *opened;
    }

    // The fixture's chain, checked once here (SetUp made them).
    chain::JsonRpcClient& rpc() {
        if (!client_) throw std::logic_error("no chain: SetUp failed");
        return *client_;
    }
    const chain::PrivateKey& owner() {
        if (!owner_) throw std::logic_error("no chain: SetUp failed");
        return *owner_;
    }
    testing::AnvilProcess& anvil() {
        if (!anvil_) throw std::logic_error("no chain: SetUp failed");
        return *anvil_;
    }
    chain::BlockHeader head() {
        auto read = rpc().get_block_header(chain::BlockId::latest());
        EXPECT_TRUE(read);
        const std::optional<chain::BlockHeader> header = read.value_or(std::nullopt);
        EXPECT_TRUE(header.has_value());
        return header.value_or(chain::BlockHeader{});
    }
    void set_price(std::size_t reserve, const U256& price_1e8) {
        ASSERT_TRUE(devnet::set_aave_price(rpc(), owner(), devnet_, reserve, price_1e8));
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::AaveDevnet devnet_;
    std::vector<Address> borrowers_;
};

TEST_F(AaveEngineTest, RunJudgesOnlyFlaggedAndNamedAccountsAndAgreesWithScanAndWithAnAuditEveryHead) {
    Followed scan(rpc(), devnet_, false, 100);
    Followed audit_every_head(rpc(), devnet_, true, 1);
    Followed run(rpc(), devnet_, true, 100);
    auto all_round = [&] {
        const auto h = head();
        ASSERT_NO_FATAL_FAILURE(scan.round(h));
        ASSERT_NO_FATAL_FAILURE(audit_every_head.round(h));
        ASSERT_NO_FATAL_FAILURE(run.round(h));
    };
    ASSERT_NO_FATAL_FAILURE(all_round());
    ASSERT_EQ(scan.snapshot().accounts.size(), kBorrowers);
    EXPECT_EQ(run.snapshot().work.exact_evaluations, kBorrowers);  // the first round is an audit
    EXPECT_TRUE(run.snapshot().work.audit);

    auto agree = [&](const std::string& what) {
        const auto& exact = scan.snapshot();
        const auto& every = audit_every_head.snapshot();
        const auto& screened = run.snapshot();
        SCOPED_TRACE(what + ", block " + std::to_string(exact.block));
        ASSERT_EQ(screened.block, exact.block);
        EXPECT_EQ(liquidatable(screened), liquidatable(exact));
        EXPECT_EQ(liquidatable(every), liquidatable(exact));
        EXPECT_EQ(below(screened, kWarning), below(exact, kWarning));
        EXPECT_EQ(below(every, kWarning), below(exact, kWarning));
        EXPECT_EQ(screened.position_count(), exact.rows.size());  // healthy carried rows counted, not listed
        EXPECT_EQ(screened.work.missed_by_screen, 0u);
        EXPECT_EQ(every.work.missed_by_screen, 0u);
        EXPECT_EQ(every.work.exact_evaluations, kBorrowers);  // audit_every_blocks = 1: all, every head
        EXPECT_FALSE(screened.work.audit);
        // Judged exactly: the flagged (each exactly below the watch line or
        // within the screen's bound above it), those rising back above the
        // line, and no account an event named (oracle moves are not pool events).
        EXPECT_EQ(screened.work.named, 0u);
        EXPECT_GE(screened.work.flagged, below(exact, kWatch).size());
        EXPECT_LE(screened.work.exact_evaluations, kBorrowers);
    };

    std::size_t liquidatable_seen = 0, judged_on_moves = 0;
    for (std::uint64_t weth : {190'000u, 180'000u, 170'000u, 160'000u, 150'000u}) {
        ASSERT_NO_FATAL_FAILURE(set_price(devnet::kAaveWeth, dollars_e8(weth)));
        ASSERT_NO_FATAL_FAILURE(all_round());
        ASSERT_NO_FATAL_FAILURE(agree("WETH at " + std::to_string(weth / 100) + " $"));
        liquidatable_seen += liquidatable(scan.snapshot()).size();
        judged_on_moves += run.snapshot().work.exact_evaluations;
    }
    ASSERT_NO_FATAL_FAILURE(set_price(devnet::kAaveDai, dollars_e8(90)));
    ASSERT_NO_FATAL_FAILURE(all_round());
    ASSERT_NO_FATAL_FAILURE(agree("DAI at 0.90 $"));
    const std::size_t liquidatable_at_end = liquidatable(scan.snapshot()).size();
    EXPECT_GT(liquidatable_at_end, 5u);
    EXPECT_GT(liquidatable_seen, 0u);  // some already while WETH fell
    EXPECT_LT(judged_on_moves, 5 * kBorrowers) << "the screen must spare some exact judgements";

    // A quiet head (an empty block): only the flagged accounts are judged.
    ASSERT_TRUE(rpc().call("evm_mine"));
    ASSERT_NO_FATAL_FAILURE(all_round());
    ASSERT_NO_FATAL_FAILURE(agree("an empty block"));
    const auto& quiet = run.snapshot().work;
    EXPECT_EQ(quiet.exact_evaluations, quiet.flagged);
    EXPECT_LT(quiet.exact_evaluations, kBorrowers);
    std::printf(
        "aave engine on anvil: %zu borrowers, %zu liquidatable; a quiet head judged %zu exactly (%zu flagged)\n",
        kBorrowers, liquidatable_at_end, quiet.exact_evaluations, quiet.flagged);

    // An event: one more borrower opens, 10,000 USDC against 1,000 DAI (its
    // Supply and Borrow name it): it is judged, besides the flagged ones.
    const std::vector<devnet::AaveBorrowerSpec> one{
        {0, {{devnet::kAaveUsdc, U256(10'000) * U256::pow10(6)}}, {{devnet::kAaveDai, U256(1'000) * U256::pow10(18)}}}};
    auto opened = devnet::open_aave_borrowers(rpc(), owner(), devnet_, one);
    ASSERT_TRUE(opened) << opened.error().message;
    ASSERT_NO_FATAL_FAILURE(all_round());
    const auto& after = run.snapshot();
    EXPECT_EQ(after.position_count(), kBorrowers + 1);
    EXPECT_EQ(after.work.named, 1u);
    EXPECT_LE(after.work.exact_evaluations, after.work.flagged + after.work.named);
    EXPECT_LT(after.work.exact_evaluations, kBorrowers);
    EXPECT_EQ(liquidatable(after), liquidatable(scan.snapshot()));
    EXPECT_EQ(below(after, kWarning), below(scan.snapshot(), kWarning));
}

// Pending mode (README "Pending transmissions"): an oracle update in the
// node's mempool, not mined (automine off), is judged at the pending block:
// the accounts it makes liquidatable are liquidatable in the pending
// snapshot while the head's snapshot does not have them yet, and they are
// exactly the ones scan finds once the update is mined.
TEST_F(AaveEngineTest, ThePendingSnapshotJudgesAnOracleUpdateNotMinedYet) {
    Followed scan(rpc(), devnet_, false, 100);
    Followed run(rpc(), devnet_, true, 100);
    const auto h = head();
    ASSERT_NO_FATAL_FAILURE(run.round(h));
    ASSERT_TRUE(liquidatable(run.snapshot()).empty());

    auto aggregator = devnet::deploy_aave_aggregator(rpc(), owner(), dollars_e8(150'000));  // WETH $1500
    ASSERT_TRUE(aggregator) << aggregator.error().message;
    auto data = devnet::calldata("setAssetSources(address[],address[])",
                                 {abi::Value(abi::Value::List{devnet_.reserves[devnet::kAaveWeth].asset}),
                                  abi::Value(abi::Value::List{*aggregator})});
    ASSERT_TRUE(data) << data.error().message;
    ASSERT_TRUE(rpc().call("evm_setAutomine", nlohmann::json::array({false})));
    const std::uint64_t before = head().number;
    nlohmann::json tx{{"from", testing::dev_accounts()[0].address().checksummed()},
                      {"to", devnet_.contracts.oracle.checksummed()},
                      {"data", hex::encode(*data)},
                      {"gas", U256(devnet::kAdminGas).to_hex()}};
    ASSERT_TRUE(rpc().call("eth_sendTransaction", nlohmann::json::array({tx})));

    const auto at = head();
    EXPECT_EQ(at.number, before);  // nothing mined
    ASSERT_NO_FATAL_FAILURE(run.round(at));
    EXPECT_TRUE(liquidatable(run.snapshot()).empty()) << "the head does not have the update";
    auto pending = run.pending(at);
    ASSERT_TRUE(pending) << pending.error().message;
    const std::shared_ptr<const protocols::Snapshot>& judged = *pending;
    ASSERT_NE(judged, nullptr) << "Aave answers at the pending block";
    const auto& at_pending = static_cast<const AaveSnapshot&>(*judged);
    EXPECT_EQ(at_pending.work.exact_evaluations, kBorrowers);
    const auto expected = liquidatable(at_pending);
    EXPECT_GT(expected.size(), 0u);

    ASSERT_TRUE(rpc().call("evm_mine"));
    ASSERT_TRUE(rpc().call("evm_setAutomine", nlohmann::json::array({true})));
    ASSERT_NO_FATAL_FAILURE(scan.round(head()));
    EXPECT_EQ(liquidatable(scan.snapshot()), expected);
}

std::vector<av::LiquidationCallEvent> liquidations(chain::JsonRpcClient& client, const devnet::AaveDevnet& devnet) {
    auto head = client.block_number();
    EXPECT_TRUE(head);
    chain::LogFilter filter{{devnet.contracts.pool}, av::pool_topics()};
    auto logs = chain::get_logs(client, filter, chain::BlockRange{devnet.deploy_block, head.value_or(0)});
    EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
    std::vector<av::LiquidationCallEvent> out;
    for (const auto& log : logs.value_or(std::vector<chain::Log>{})) {
        auto event = av::decode_event(log);
        if (!event) continue;
        const std::optional<av::Event>& decoded = *event;
        if (!decoded) continue;
        if (const auto* liq = std::get_if<av::LiquidationCallEvent>(&*decoded)) out.push_back(*liq);
    }
    return out;
}

// The binary, live: `run --once` with [engine] audit_every_blocks = 1 and
// with the default (100) liquidate the same accounts on the same chain,
// exactly those `scan --json` calls liquidatable; the debug line says which
// kind of round each was.
TEST_F(AaveEngineTest, RunWithAnAuditEveryHeadAndWithTheDefaultLiquidatesTheSameAccounts) {
    const Address liquidator = testing::dev_accounts()[1].address();
    for (const auto& reserve : devnet_.reserves)
        ASSERT_TRUE(devnet::mint_aave_token(rpc(), owner(), reserve.asset, liquidator,
                                            U256(1'000'000'000) * U256::pow10(reserve.decimals)));
    ASSERT_NO_FATAL_FAILURE(set_price(devnet::kAaveWeth, dollars_e8(150'000)));
    ASSERT_NO_FATAL_FAILURE(set_price(devnet::kAaveDai, dollars_e8(90)));

    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("keeper-aave-engine-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(anvil().port()));
    const std::vector<std::pair<std::string, std::string>> env{
        {"KEEPER_E2E_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    const auto write_config = [&](const std::string& extra) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        std::ofstream toml(dir / "keeper.toml");
        toml << "state_dir = \"" << (dir / "state").string() << "\"\n"
             << "[strategy]\nconfirmations = 1\n"
             << "[chain]\nrpc = [\"" << anvil().url() << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
             << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
             << "[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = \""
             << devnet_.contracts.addresses_provider.checksummed() << "\"\nstart_block = " << devnet_.deploy_block
             << "\nnative_token = \"" << devnet_.reserves[devnet::kAaveWeth].asset.checksummed() << "\"\n"
             << extra;
        return (dir / "keeper.toml").string();
    };

    auto scan = testing::run_keeper({"scan", "--config", write_config(""), "--json"}, env, dir, "scan");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    std::set<Address> expected;
    std::istringstream lines(scan.out);
    for (std::string line; std::getline(lines, line);) {
        const auto row = nlohmann::json::parse(line);
        if (row["liquidatable"].get<bool>()) expected.insert(Address::parse(row["account"].get<std::string>()).value());
    }
    ASSERT_GT(expected.size(), 5u);

    auto liquidated_by = [&](const std::string& name, const std::string& engine, std::string& log) {
        const std::string config = write_config(engine + "[log]\nlevel = \"debug\"\n");
        auto run = testing::run_keeper({"run", "--config", config, "--once"}, env, dir, name, 240s);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        log = run.err;
        std::set<Address> out;
        for (const auto& e : liquidations(rpc(), devnet_)) out.insert(e.user);
        return out;
    };
    const auto before = rpc().call("evm_snapshot").value();
    std::string audit_log, default_log;
    EXPECT_EQ(liquidated_by("engine-audit", "[engine]\naudit_every_blocks = 1\n", audit_log), expected);
    ASSERT_TRUE(rpc().call("evm_revert", nlohmann::json::array({before})));
    ASSERT_TRUE(liquidations(rpc(), devnet_).empty());
    EXPECT_EQ(liquidated_by("engine-default", "", default_log), expected);
    std::filesystem::remove_all(dir);

    // The first round audits in both; after it only the audit-every-head run audits again.
    EXPECT_NE(audit_log.find("positions judged exactly (audit;"), std::string::npos) << audit_log;
    EXPECT_EQ(audit_log.find("positions judged exactly (screened;"), std::string::npos) << audit_log;
    EXPECT_NE(default_log.find("positions judged exactly (screened;"), std::string::npos) << default_log;
}

// bench_scan's Aave book (2,000 mixed borrowers; WETH -25% and DAI -10%):
// how many accounts a head judges exactly through the engine, against all
// 2,000 that scan (and `run` before the engine) judges. Counts, not times;
// disabled in CI (opening 2,000 borrowers takes a while): run with
// --gtest_also_run_disabled_tests.
class AaveEngineBookTest : public AaveEngineTest {
protected:
    std::size_t borrower_count() const override { return 2'000; }
};

TEST_F(AaveEngineBookTest, DISABLED_BenchScanBookExactJudgementsPerHead) {
    Followed scan(rpc(), devnet_, false, 100);
    Followed run(rpc(), devnet_, true, 100);
    const auto round = [&] {
        const auto h = head();
        ASSERT_NO_FATAL_FAILURE(scan.round(h));
        ASSERT_NO_FATAL_FAILURE(run.round(h));
        EXPECT_EQ(liquidatable(run.snapshot()), liquidatable(scan.snapshot()));
        EXPECT_EQ(below(run.snapshot(), kWarning), below(scan.snapshot(), kWarning));
        EXPECT_EQ(run.snapshot().work.missed_by_screen, 0u);
    };
    const auto report = [&](const char* what) {
        const auto& w = run.snapshot().work;
        std::printf(
            "%s: %zu of %zu accounts judged exactly (%zu flagged, %zu named, %zu float re-screens, %s), "
            "%zu liquidatable\n",
            what, w.exact_evaluations, run.snapshot().rows.size(), w.flagged, w.named, w.screened,
            w.audit ? "audit" : "screened", liquidatable(scan.snapshot()).size());
    };
    ASSERT_NO_FATAL_FAILURE(round());
    report("first round");
    ASSERT_TRUE(rpc().call("evm_mine"));
    ASSERT_NO_FATAL_FAILURE(round());
    report("quiet head at the opening prices");
    const std::size_t quiet_before = run.snapshot().work.exact_evaluations;
    ASSERT_NO_FATAL_FAILURE(set_price(devnet::kAaveWeth, dollars_e8(150'000)));
    ASSERT_NO_FATAL_FAILURE(set_price(devnet::kAaveDai, dollars_e8(90)));
    ASSERT_NO_FATAL_FAILURE(round());
    report("head after WETH -25%, DAI -10%");
    ASSERT_TRUE(rpc().call("evm_mine"));
    ASSERT_NO_FATAL_FAILURE(round());
    report("quiet head after the move");
    EXPECT_LT(quiet_before, 1'000u);
    EXPECT_LT(run.snapshot().work.exact_evaluations, 1'000u);
}

}  // namespace aave_engine_test
}  // namespace keeper

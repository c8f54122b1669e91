// End to end on a real Aave V3 (the pinned @aave/core-v3 1.19.3 artifacts
// deployed on anvil): the margin-keeper binary driven through keeper.toml,
// `scan --json` and `run`. Expected values come from the pool itself:
// Pool.getUserAccountData read back in the block the keeper reported, and
// the LiquidationCall events of what it sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/rpc_client.hpp"
#include "protocols/health_text.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/aave_v36_devnet.hpp"
#include "keeper/devnet/solidity_compiler.hpp"
#include "keeper/state/state_store.hpp"
#include "keeper_process.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace aave_keeper_test {

using namespace std::chrono_literals;
namespace av = chain::aave_v3;

constexpr std::size_t kAccounts = 210;
enum Reserve : std::size_t { WETH = 0, WBTC = 1, USDC = 2, DAI = 3 };


// Deterministic pseudo-random numbers (a 64-bit LCG), so every run opens the same book.
class AaveKeeperTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto deployed = deploy(*client_, *owner_);
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
        open_accounts();
        liquidator_ = testing::dev_accounts()[1].address();
        for (const auto& reserve : devnet_.reserves)
            ASSERT_TRUE(devnet::mint_aave_token(*client_, *owner_, reserve.asset, liquidator_,
                                                U256(1'000'000'000) * U256::pow10(reserve.decimals)));

        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-aave-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        write_config();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    // The market under test: @aave/core-v3 1.19.3 here, v3.6 in AaveV36KeeperTest.
    virtual Result<devnet::AaveDevnet> deploy(chain::JsonRpcClient& client, const chain::PrivateKey& owner) {
        return devnet::deploy_aave_devnet(client, owner);
    }

    // devnet::mixed_aave_borrowers: 1-4 collaterals and 1-3 debts each,
    // borrowed at 60%..99% of what the LTVs allow; one in five in eMode 1.
    void open_accounts() {
        const std::vector<devnet::AaveBorrowerSpec> specs = devnet::mixed_aave_borrowers(kAccounts);
        auto opened = devnet::open_aave_borrowers(*client_, *owner_, devnet_, specs);
        ASSERT_TRUE(opened) << opened.error().message;
        accounts_ = *opened;
        emode_.clear();
        for (std::size_t i = 0; i < accounts_.size(); ++i)
            if (specs[i].emode_category == 1) emode_.insert(accounts_[i]);
    }

    void write_config(const std::string& extra = "") {
        std::ofstream toml(config_path());
        toml << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
             // anvil mines only when a transaction arrives: a receipt would
             // never get deeper than its own block (the default is 3)
             << "[strategy]\nconfirmations = 1\n"
             << "[chain]\nrpc = [\"" << anvil_->url() << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
             << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
             << "[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = \""
             << devnet_.contracts.addresses_provider.checksummed() << "\"\nstart_block = " << devnet_.deploy_block
             << "\nnative_token = \"" << devnet_.reserves[WETH].asset.checksummed() << "\"\n"
             << extra;
    }
    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env(std::size_t account = 1) const {
        return {{"KEEPER_E2E_KEY", std::string(testing::dev_accounts()[account].private_key_hex)}};
    }

    void set_price(Reserve r, const U256& price_1e8) {
        ASSERT_TRUE(devnet::set_aave_price(*client_, *owner_, devnet_, r, price_1e8));
    }
    // WETH -25% and DAI -10%: plain accounts heavy in WETH and eMode
    // accounts with much DAI collateral near their limits fall below 1.
    void move_prices() {
        set_price(WETH, U256(1500) * U256::pow10(8));
        set_price(DAI, U256(90) * U256::pow10(6));
    }

    av::UserAccountDataReading account_data(const Address& user, const chain::BlockId& block) {
        auto answer = client_->eth_call(chain::CallRequest{std::nullopt, devnet_.contracts.pool,
                                                           av::encode_get_user_account_data(user), std::nullopt,
                                                           std::nullopt},
                                        block);
        EXPECT_TRUE(answer) << (answer ? "" : answer.error().message);
        return av::decode_user_account_data(answer.value_or(Bytes{})).value_or(av::UserAccountDataReading{});
    }
    std::set<Address> below_one() {
        std::set<Address> out;
        for (const auto& a : accounts_)
            if (account_data(a, chain::BlockId::latest()).health_factor < U256::pow10(18)) out.insert(a);
        return out;
    }

    std::vector<av::LiquidationCallEvent> liquidations() {
        auto head = client_->block_number();
        EXPECT_TRUE(head);
        chain::LogFilter filter{{devnet_.contracts.pool}, av::pool_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{devnet_.deploy_block, *head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        std::vector<av::LiquidationCallEvent> out;
        for (const auto& log : logs.value_or(std::vector<chain::Log>{})) {
            auto event = av::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<av::LiquidationCallEvent>(&**event)) out.push_back(*liq);
        }
        return out;
    }

    // Every confirmed Aave journal entry's prediction against the events, in order per user.
    std::size_t check_predictions(const std::vector<av::LiquidationCallEvent>& events) {
        std::map<Address, std::vector<av::LiquidationCallEvent>> by_user;
        for (const auto& e : events) by_user[e.user].push_back(e);
        auto opened = state::StateStore::open(dir_ / "state", 31337);
        EXPECT_TRUE(opened) << (opened ? "" : opened.error().message);
        if (!opened) return 0;
        auto journal = opened->store.recent_journal(10'000);
        EXPECT_TRUE(journal);
        std::vector<state::JournalEntry> entries(journal->rbegin(), journal->rend());  // oldest first
        std::map<Address, std::size_t> seen;
        std::size_t checked = 0;
        for (const auto& entry : entries) {
            if (!entry.work_key.starts_with("aave-v3:")) continue;
            EXPECT_EQ(entry.status, state::JournalStatus::confirmed) << entry.work_key;
            const auto detail = nlohmann::json::parse(entry.detail);
            const Address user = Address::parse(detail["user"].get<std::string>()).value();
            const std::size_t n = seen[user]++;
            if (n >= by_user[user].size()) {
                ADD_FAILURE() << "journal entry without a LiquidationCall: " << entry.detail;
                continue;
            }
            const auto& e = by_user[user][n];
            if (whole_collateral_grew(detail["seized"].get<std::string>(), e)) {
                ++whole_collateral_seizures_;
            } else {
                EXPECT_EQ(detail["seized"].get<std::string>(), e.liquidated_collateral_amount.to_dec()) << entry.detail;
            }
            EXPECT_EQ(detail["repaid"].get<std::string>(), e.debt_to_cover.to_dec()) << entry.detail;
            EXPECT_EQ(detail["collateral_asset"].get<std::string>(), e.collateral_asset.checksummed());
            EXPECT_EQ(detail["debt_asset"].get<std::string>(), e.debt_asset.checksummed());
            ++checked;
        }
        return checked;
    }

    // v3.3+ only (whole_collateral_may_grow): a partial seizure that would leave less than 1000 base of
    // collateral is refused (MUST_NOT_LEAVE_DUST), so the planner takes the whole balance, which grows
    // with the liquidity index until the block that includes it (strategies/aave_liquidation_plan.hpp,
    // "exact = false"). Such a seizure took everything (the user holds none of the aToken afterwards)
    // and exceeds the prediction by at most 1 ppm of accrued interest.
    virtual bool whole_collateral_may_grow() const { return false; }
    bool whole_collateral_grew(const std::string& predicted_text, const av::LiquidationCallEvent& e) {
        if (!whole_collateral_may_grow()) return false;
        const U256 predicted = U256::from_dec(predicted_text).value();
        const U256& seized = e.liquidated_collateral_amount;
        if (seized <= predicted || seized - predicted > seized / U256(1'000'000)) return false;
        for (const auto& reserve : devnet_.reserves) {
            if (reserve.asset != e.collateral_asset) continue;
            auto left = client_->eth_call(
                chain::CallRequest{std::nullopt, reserve.a_token, av::encode_balance_of(e.user), std::nullopt,
                                   std::nullopt},
                chain::BlockId::latest());
            return left && av::decode_uint256(*left).value_or(U256(1)).is_zero();
        }
        return false;
    }

    std::uint64_t nonce_of(const Address& who) {
        return client_->get_transaction_count(who, chain::BlockId::latest()).value();
    }

    // scan --json: one row per account with debt, each equal to the pool's getUserAccountData in the
    // block the scan read, riskiest first, some (eMode ones too) liquidatable.
    void check_scan() {
        move_prices();
        auto scan = testing::run_keeper({"scan", "--config", config_path(), "--json"}, env(), dir_, "scan");
        ASSERT_EQ(scan.exit_code, 0) << scan.err;
        std::vector<nlohmann::json> rows;
        std::istringstream lines(scan.out);
        for (std::string line; std::getline(lines, line);) {
            auto row = nlohmann::json::parse(line, nullptr, false);
            ASSERT_FALSE(row.is_discarded()) << "stdout must carry only JSON lines, got: " << line;
            rows.push_back(row);
        }
        ASSERT_EQ(rows.size(), kAccounts) << "every account has debt";
        const auto at = chain::BlockId::number(rows.front()["block"].get<std::uint64_t>());
        std::size_t liquidatable = 0, emode_liquidatable = 0;
        U256 previous;
        std::set<Address> listed;
        for (const auto& row : rows) {
            EXPECT_EQ(row["protocol"], "aave-v3");
            const Address account = Address::parse(row["account"].get<std::string>()).value();
            EXPECT_EQ(row["account"].get<std::string>(), account.checksummed());
            listed.insert(account);
            const auto data = account_data(account, at);
            EXPECT_EQ(row["collateral_base"].get<std::string>(), data.total_collateral_base.to_dec()) << row.dump();
            EXPECT_EQ(row["debt_base"].get<std::string>(), data.total_debt_base.to_dec()) << row.dump();
            EXPECT_EQ(row["health_factor_wad"].get<std::string>(), data.health_factor.to_dec()) << row.dump();
            EXPECT_EQ(row["health"].get<std::string>(), protocols::wad_to_decimal(data.health_factor));
            EXPECT_EQ(row["liquidatable"].get<bool>(), data.health_factor < U256::pow10(18)) << row.dump();
            EXPECT_EQ(row["emode"].get<int>(), emode_.contains(account) ? 1 : 0);
            EXPECT_GE(data.health_factor, previous) << "rows must be riskiest first";
            previous = data.health_factor;
            if (row["liquidatable"].get<bool>()) {
                ++liquidatable;
                emode_liquidatable += emode_.contains(account) ? 1 : 0;
            }
        }
        EXPECT_EQ(listed, std::set<Address>(accounts_.begin(), accounts_.end()));
        EXPECT_GT(liquidatable, 20u);
        EXPECT_LT(liquidatable, kAccounts / 2);
        EXPECT_GT(emode_liquidatable, 0u) << "an eMode account must be among the liquidatable";
}

    // run --once liquidates exactly the accounts below 1, each as predicted (journal = LiquidationCall).
    void check_live_run() {
        move_prices();
        const std::set<Address> expected = below_one();
        ASSERT_GT(expected.size(), 20u);

        auto run = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "run", 240s);
        ASSERT_EQ(run.exit_code, 0) << run.err;

        const auto events = liquidations();
        std::set<Address> liquidated;
        bool emode_liquidated = false;
        for (const auto& e : events) {
            liquidated.insert(e.user);
            EXPECT_EQ(e.liquidator, liquidator_);
            EXPECT_FALSE(e.receive_a_token);
            emode_liquidated = emode_liquidated || emode_.contains(e.user);
        }
        EXPECT_EQ(liquidated, expected);
        EXPECT_TRUE(emode_liquidated) << "an eMode account must have been liquidated";
        EXPECT_EQ(check_predictions(events), events.size());
        // Every "DIFFERS" warning is one of the whole-collateral seizures (none before v3.3).
        std::size_t differs = 0;
        for (std::size_t at = run.err.find("DIFFERS"); at != std::string::npos; at = run.err.find("DIFFERS", at + 1))
            ++differs;
        EXPECT_EQ(differs, whole_collateral_seizures_) << run.err;
        // Each liquidation is one transaction; approvals are one per debt asset at most.
        const std::uint64_t nonce = nonce_of(liquidator_);
        EXPECT_GE(nonce, events.size() + 1);
        EXPECT_LE(nonce, events.size() + devnet_.reserves.size());
        // What remains below 1 could not be liquidated further with a profit.
        for (const auto& a : accounts_) {
            const auto data = account_data(a, chain::BlockId::latest());
            if (data.health_factor < U256::pow10(18)) {
                EXPECT_TRUE(expected.contains(a));
                EXPECT_NE(run.err.find(a.checksummed()), std::string::npos) << a.checksummed() << " was never looked at";
            }
        }
}

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::AaveDevnet devnet_;
    std::vector<Address> accounts_;
    std::set<Address> emode_;
    std::size_t whole_collateral_seizures_ = 0;
    Address liquidator_;
    std::filesystem::path dir_;
};

TEST_F(AaveKeeperTest, ScanJsonEqualsGetUserAccountDataToTheWeiRiskiestFirst) { check_scan(); }

TEST_F(AaveKeeperTest, LiveRunLiquidatesExactlyTheAccountsBelowOneWithThePredictedAmounts) { check_live_run(); }

TEST_F(AaveKeeperTest, DryRunMinesNothingAndReportsEveryLiquidation) {
    move_prices();
    const std::set<Address> expected = below_one();
    const auto head_before = client_->block_number().value();
    auto run = testing::run_keeper({"run", "--config", config_path(), "--dry-run", "--once"}, env(), dir_, "dry");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(client_->block_number().value(), head_before) << "a dry run must not mine anything";
    EXPECT_EQ(nonce_of(liquidator_), 0u);
    EXPECT_TRUE(liquidations().empty());
    std::size_t reported = 0;
    for (std::size_t at = run.err.find("DRY-RUN would liquidate Aave account"); at != std::string::npos;
         at = run.err.find("DRY-RUN would liquidate Aave account", at + 1))
        ++reported;
    EXPECT_EQ(reported, expected.size());
    for (const auto& a : expected)
        EXPECT_NE(run.err.find("DRY-RUN would liquidate Aave account " + a.checksummed()), std::string::npos);
}

TEST_F(AaveKeeperTest, ForkModeSendsToItsOwnForkNotUpstream) {
    move_prices();
    const std::set<Address> expected = below_one();
    ASSERT_FALSE(expected.empty());
    const auto head_before = client_->block_number().value();
    auto run = testing::run_keeper({"run", "--config", config_path(), "--fork", "--once"}, env(), dir_, "fork");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(client_->block_number().value(), head_before) << "upstream must be untouched";
    EXPECT_EQ(nonce_of(liquidator_), 0u);
    EXPECT_TRUE(liquidations().empty());
    EXPECT_NE(run.err.find("fork mode: transactions go to"), std::string::npos);
    for (const auto& a : expected)
        EXPECT_NE(run.err.find("liquidated Aave account " + a.checksummed()), std::string::npos) << a.checksummed();
    EXPECT_EQ(run.err.find("SEIZED AMOUNT DIFFERS"), std::string::npos);
    // The real outcome on the fork: collateral gained, debt asset spent.
    EXPECT_NE(run.err.find(" collateral, -"), std::string::npos) << "real balance differences are reported";
}

TEST_F(AaveKeeperTest, AFlashLoanFundsLiquidationsWithoutHoldingTheDebtAsset) {
    move_prices();
    const std::set<Address> expected = below_one();
    ASSERT_GT(expected.size(), 20u);
    // Dev account 2 holds no tokens at all; it deploys (and so owns) the flash liquidator.
    const auto& signer = testing::dev_accounts()[2];
    const auto key = chain::PrivateKey::from_hex(signer.private_key_hex).value();
    auto with_args = [](Bytes code, std::initializer_list<Address> args) {
        for (const Address& a : args) {
            code.insert(code.end(), 12, 0);
            code.insert(code.end(), a.bytes.begin(), a.bytes.end());
        }
        return code;
    };
    auto swapper_code = devnet::compile_contract(devnet::contract_source("OracleSwapAdapter.sol"), "OracleSwapAdapter");
    ASSERT_TRUE(swapper_code) << swapper_code.error().message;
    auto swapper = devnet::deploy_contract(*client_, key, with_args(swapper_code->init_code, {devnet_.contracts.oracle}));
    ASSERT_TRUE(swapper) << swapper.error().message;
    for (const auto& reserve : devnet_.reserves)
        ASSERT_TRUE(devnet::mint_aave_token(*client_, *owner_, reserve.asset, *swapper,
                                            U256(1'000'000'000) * U256::pow10(reserve.decimals)));
    auto flash_code =
        devnet::compile_contract(devnet::contract_source("AaveFlashLiquidator.sol"), "AaveFlashLiquidator");
    ASSERT_TRUE(flash_code) << flash_code.error().message;
    auto flash = devnet::deploy_contract(*client_, key,
                                         with_args(flash_code->init_code, {devnet_.contracts.pool, *swapper}));
    ASSERT_TRUE(flash) << flash.error().message;
    write_config("flash_liquidator = \"" + flash->checksummed() + "\"\n");

    auto run = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(2), dir_, "flash", 240s);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto events = liquidations();
    std::set<Address> liquidated;
    for (const auto& e : events) {
        liquidated.insert(e.user);
        EXPECT_EQ(e.liquidator, *flash) << "the flash liquidator calls liquidationCall";
    }
    EXPECT_EQ(liquidated, expected);
    EXPECT_EQ(check_predictions(events), events.size());
    EXPECT_NE(run.err.find("with a flash loan"), std::string::npos);
    EXPECT_NE(run.err.find("debt asset (flash-loan profit)"), std::string::npos) << "the realised profit is reported";
    EXPECT_EQ(nonce_of(signer.address()), 2 + events.size()) << "two deployments, then one per liquidation, no approvals";
    // The profit stays with the owner, in the debt assets the swaps paid out.
    U256 owner_tokens;
    for (const auto& reserve : devnet_.reserves) {
        auto balance = client_->eth_call(chain::CallRequest{std::nullopt, reserve.asset,
                                                            chain::morpho_blue::encode_erc20_balance_of(signer.address()),
                                                            std::nullopt, std::nullopt},
                                         chain::BlockId::latest());
        ASSERT_TRUE(balance);
        owner_tokens = owner_tokens + chain::morpho_blue::decode_uint256(*balance).value();
    }
    EXPECT_FALSE(owner_tokens.is_zero());
}

TEST_F(AaveKeeperTest, ARestartResumesFromSavedAccountsWithoutReSyncing) {
    auto first = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "first");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_TRUE(liquidations().empty()) << "nothing is liquidatable before the prices move";
    move_prices();
    const std::set<Address> expected = below_one();
    auto second = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "second", 240s);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.err.find("from saved state at block"), std::string::npos) << second.err;
    // The borrowers and the owner who supplied the liquidity, read afresh at the head.
    EXPECT_NE(second.err.find(": " + std::to_string(kAccounts + 1) + " accounts"),
              std::string::npos)
        << second.err;
    std::set<Address> liquidated;
    for (const auto& e : liquidations()) liquidated.insert(e.user);
    EXPECT_EQ(liquidated, expected);
}

// The same book on Aave v3.6 (POOL_REVISION 10, aave-v3-origin 3.6.0 built from
// its sources): the daemon picks PoolRules::V3_6 from the revision, scan equals
// getUserAccountData to the wei and every liquidation equals its LiquidationCall.
class AaveV36KeeperTest : public AaveKeeperTest {
protected:
    Result<devnet::AaveDevnet> deploy(chain::JsonRpcClient& client, const chain::PrivateKey& owner) override {
        return devnet::deploy_aave_v36_devnet(client, owner);
    }
    bool whole_collateral_may_grow() const override { return true; }
};

TEST_F(AaveV36KeeperTest, ScanJsonEqualsGetUserAccountDataToTheWeiOnV36) { check_scan(); }

TEST_F(AaveV36KeeperTest, LiveRunLiquidatesWithThePredictedAmountsOnV36) { check_live_run(); }

}  // namespace aave_keeper_test
}  // namespace keeper

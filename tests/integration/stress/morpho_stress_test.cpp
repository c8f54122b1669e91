// Issue #20's acceptance test on a real Morpho Blue: `stress --json` predicts
// what a collateral drop of 30 % does to a known book; the test then sets that
// price on the oracle, lets the keeper liquidate (`run --once`) and checks
// that the accounts liquidated, the collateral seized, the debt repaid and the
// bad debt written off are exactly, to the wei, what stress predicted.
//
// The book: 8 borrowers with 1,000 collateral each at price 1.00, loan-to-
// value 50 %, 55 %, 60 %, 68 %, 72 %, 76 %, 80 %, 85 %; LLTV 86 %, no interest
// (irm = 0, so nothing drifts between the prediction's block and the
// liquidations'). At 0.70 a position is liquidatable above LTV 0.86 x 0.70 =
// 60.2 %: the five from 68 % up. Each of them owes more than its collateral
// is worth divided by the incentive 1.0438 (700 / 1.0438 = 670.6), so the
// largest liquidation seizes all 1,000 collateral and Morpho writes off the
// rest as bad debt (also for 68 %, which is not insolvent: 680 < 700): the
// same liquidation the keeper sends.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../keeper/keeper_process.hpp"
#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace morpho_stress_test {

namespace mb = chain::morpho_blue;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }

std::vector<nlohmann::json> json_lines(const std::string& out) {
    std::vector<nlohmann::json> rows;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        auto row = nlohmann::json::parse(line, nullptr, false);
        EXPECT_FALSE(row.is_discarded()) << "stdout must carry only JSON lines, got: " << line;
        if (!row.is_discarded()) rows.push_back(row);
    }
    return rows;
}

class MorphoStressTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto options = devnet::default_morpho_devnet_options();
        options.with_irm = false;
        auto deployed = devnet::deploy_morpho_devnet(*client_, *owner_, options);
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
        std::vector<devnet::BorrowerSpec> specs;
        const U256 collateral = dec("1000000000000000000000");
        for (unsigned ltv_percent : {50u, 55u, 60u, 68u, 72u, 76u, 80u, 85u})
            specs.push_back({collateral, collateral * U256(ltv_percent) / U256(100)});
        auto opened = devnet::open_borrowers(*client_, *owner_, devnet_, specs, 8);
        ASSERT_TRUE(opened) << opened.error().message;
        borrowers_ = *opened;
        liquidator_ = testing::dev_accounts()[1].address();
        ASSERT_TRUE(devnet::mint(*client_, *owner_, devnet_.contracts.loan_token, liquidator_,
                                 dec("1000000000000000000000000")));

        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-stress-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::ofstream toml(dir_ / "keeper.toml");
        toml << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
             << "[strategy]\nconfirmations = 1\n"
             << "[chain]\nrpc = [\"" << anvil_->url() << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
             << "[signer]\nprivate_key_env = \"KEEPER_STRESS_KEY\"\n"
             << "[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" << devnet_.contracts.morpho.checksummed()
             << "\"\nstart_block = " << devnet_.deploy_block << "\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string config() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_STRESS_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    std::vector<morpho::LiquidateEvent> liquidations() {
        const auto head = client_->block_number();
        EXPECT_TRUE(head);
        chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{devnet_.deploy_block, *head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        std::vector<morpho::LiquidateEvent> out;
        for (const auto& log : *logs) {
            auto event = mb::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event)) out.push_back(*liq);
        }
        return out;
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::MorphoDevnet devnet_;
    std::vector<Address> borrowers_;
    Address liquidator_;
    std::filesystem::path dir_;
};

TEST_F(MorphoStressTest, PredictedLiquidationsAtMinus30PercentHappenOnChainToTheWei) {
    {
        std::ofstream file(dir_ / "scenarios.toml");
        file << "[assets]\nCOLL = \"" << devnet_.params.collateral_token.checksummed() << "\"\n"
             << "LOAN = \"" << devnet_.params.loan_token.checksummed() << "\"\n"
             << "[[scenario]]\nname = \"collateral crash\"\nshocks = { COLL = \"-30%\", LOAN = 0 }\n";
    }
    auto stress = testing::run_keeper(
        {"stress", "--config", config(), "--scenarios", (dir_ / "scenarios.toml").string(), "--json"}, env(), dir_,
        "stress");
    ASSERT_EQ(stress.exit_code, 0) << stress.err;
    const auto rows = json_lines(stress.out);
    ASSERT_EQ(rows.size(), 1u) << stress.out;
    const auto& report = rows[0];
    EXPECT_EQ(report["scenario"], "collateral crash");
    EXPECT_EQ(report["positions"], 8);
    EXPECT_EQ(report["liquidatable"], 5);
    EXPECT_EQ(report["insolvent"], 4);  // 720 .. 850 owed against 700 of collateral value (680 is not)
    ASSERT_EQ(report["morpho_prices"].size(), 1u);
    EXPECT_EQ(report["morpho_prices"][0]["market"], devnet_.market_id.hex());
    const U256 shocked = dec(report["morpho_prices"][0]["price_1e36"].get<std::string>());
    EXPECT_EQ(shocked, dec("700000000000000000000000000000000000"));  // 1e36 x 7000 / 10000

    struct Predicted {
        U256 seized, repaid, bad_debt;
    };
    std::map<Address, Predicted> predicted;
    U256 seized_total;
    for (const auto& a : report["accounts"]) {
        EXPECT_EQ(a["protocol"], "morpho-blue");
        EXPECT_FALSE(a.contains("error")) << a.dump();
        ASSERT_EQ(a["bad_debt"].size(), 1u) << a.dump();
        const Address account = Address::parse(a["account"].get<std::string>()).value();
        predicted[account] = {dec(a["collateral_seized"].get<std::string>()), dec(a["debt_repaid"].get<std::string>()),
                              dec(a["bad_debt"][0]["amount"].get<std::string>())};
        EXPECT_EQ(predicted[account].seized, dec("1000000000000000000000")) << "all the collateral";
        seized_total += predicted[account].seized;
    }
    const std::set<Address> expected_set(borrowers_.begin() + 3, borrowers_.end());
    std::set<Address> predicted_set;
    for (const auto& [account, p] : predicted) predicted_set.insert(account);
    EXPECT_EQ(predicted_set, expected_set);
    ASSERT_EQ(report["totals"].size(), 2u);

    // Now make it happen: the oracle at the scenario's price, the keeper at work.
    ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, devnet_, shocked));
    auto run = testing::run_keeper({"run", "--config", config(), "--once"}, env(), dir_, "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;

    std::map<Address, morpho::LiquidateEvent> happened;
    for (const auto& e : liquidations()) {
        EXPECT_FALSE(happened.contains(e.borrower)) << e.borrower.checksummed() << " liquidated twice";
        happened[e.borrower] = e;
    }
    std::set<Address> happened_set;
    for (const auto& [account, e] : happened) happened_set.insert(account);
    EXPECT_EQ(happened_set, predicted_set);
    for (const auto& [account, e] : happened) {
        ASSERT_TRUE(predicted.contains(account));
        EXPECT_EQ(e.seized_assets, predicted[account].seized) << account.checksummed();
        EXPECT_EQ(e.repaid_assets, predicted[account].repaid) << account.checksummed();
        EXPECT_EQ(e.bad_debt_assets, predicted[account].bad_debt) << account.checksummed();
    }
}

TEST_F(MorphoStressTest, WithoutAScenarioFileTheDefaultLadderRunsOverBothTokens) {
    auto stress = testing::run_keeper({"stress", "--config", config(), "--json"}, env(), dir_, "grid");
    ASSERT_EQ(stress.exit_code, 0) << stress.err;
    const auto rows = json_lines(stress.out);
    ASSERT_EQ(rows.size(), 42u);  // collateral and loan token, 21 moves each
    std::size_t unmoved = 0;
    for (const auto& row : rows) {
        if (row["shocks"].empty()) {
            ++unmoved;
            EXPECT_EQ(row["liquidatable"], 0) << row.dump();
        }
    }
    EXPECT_EQ(unmoved, 2u);
    // The text table: one header, one row per scenario.
    auto table = testing::run_keeper({"stress", "--config", config()}, env(), dir_, "table");
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("8 positions with debt, 42 scenarios"), std::string::npos) << table.out;
}

TEST_F(MorphoStressTest, ABadScenarioFileIsAUsageErrorBeforeAnySync) {
    {
        std::ofstream file(dir_ / "bad.toml");
        file << "[[scenario]]\nname = \"x\"\nshocks = { ETH = \"-30%\" }\n";
    }
    auto stress = testing::run_keeper({"stress", "--config", config(), "--scenarios", (dir_ / "bad.toml").string()},
                                      env(), dir_, "bad");
    EXPECT_EQ(stress.exit_code, 2);
    EXPECT_NE(stress.err.find("bad.toml:3: scenario[0].shocks.ETH"), std::string::npos) << stress.err;
    EXPECT_TRUE(stress.out.empty());
}

}  // namespace morpho_stress_test
}  // namespace keeper

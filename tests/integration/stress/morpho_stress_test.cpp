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

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../keeper/keeper_process.hpp"
#include "../keeper/morpho_e2e_fixture.hpp"
#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/devnet_calls.hpp"
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

class MorphoStressTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        auto options = devnet::default_morpho_devnet_options();
        options.with_irm = false;
        ASSERT_NO_FATAL_FAILURE(
            start_chain(testing::borrowers_at_ltv_bps({5000, 5500, 6000, 6800, 7200, 7600, 8000, 8500},
                                                      dec("1000000000000000000000")),
                        8, {}, options));
        make_dir("stress");
        write_keeper_toml({.rpc = anvil_->url()});
    }

    std::string config() const { return config_path(); }
    std::vector<morpho::LiquidateEvent> liquidations() { return MorphoE2eTest::liquidations(client_.value()); }
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

// The keeper's capital and a derivatives book beside the live book. COLL
// -30 % liquidates five borrowers repaying 3,353.000000000000002075 LOAN in
// all (the README's example): a keeper holds that as own funds, or pays 5 bps
// of each liquidation's repayment (half up) with flash loans; COLL and LOAN
// at $1. The derivatives report follows the scenario line: one account line
// (short 1 X perp at 100, X at 100: the perp alone loses 15 at +15 %, so 15
// under every method) and the book line.
TEST_F(MorphoStressTest, CapitalPerScenarioAndADerivativesBookAfterTheLendingReport) {
    {
        std::ofstream file(dir_ / "capital.toml");
        file << "[assets]\nCOLL = \"" << devnet_.params.collateral_token.checksummed() << "\"\n"
             << "LOAN = \"" << devnet_.params.loan_token.checksummed() << "\"\n"
             << "[[scenario]]\nname = \"collateral crash\"\nshocks = { COLL = \"-30%\", LOAN = 0 }\n"
             << "[valuation.COLL]\nusd_price = 1\ndecimals = 18\n[valuation.LOAN]\nusd_price = 1\ndecimals = 18\n";
        std::ofstream book(dir_ / "book.toml");
        book << "[underlyings.X]\nspot = 100\nvol_percent = 50\n[[account]]\nname = \"short X\"\ncash = 10\n"
             << "[[account.perp]]\nunderlying = \"X\"\nsize = -1\nentry_price = 100\n";
    }
    auto stress = testing::run_keeper({"stress", "--config", config(), "--scenarios", (dir_ / "capital.toml").string(),
                                       "--derivatives", (dir_ / "book.toml").string(), "--json"},
                                      env(), dir_, "capital");
    ASSERT_EQ(stress.exit_code, 0) << stress.err;
    const auto rows = json_lines(stress.out);
    ASSERT_EQ(rows.size(), 3u) << stress.out;
    const auto& scenario = rows[0];
    ASSERT_EQ(scenario["liquidatable"], 5) << scenario.dump();
    const auto& capital = scenario["capital"];
    EXPECT_EQ(capital["flash_premium_bps"], 5);
    ASSERT_EQ(capital["assets"].size(), 1u) << capital.dump();
    EXPECT_EQ(capital["assets"][0]["label"], "LOAN");
    EXPECT_EQ(capital["assets"][0]["own_funds"], "3353000000000000002075");
    U256 premiums;
    for (const auto& a : scenario["accounts"]) {
        const U256 premium = (dec(a["debt_repaid"].get<std::string>()) * U256(5) + U256(5000)) / U256(10000);
        EXPECT_EQ(a["flash_premium"], premium.to_dec()) << a.dump();
        premiums += premium;
        // Seized COLL at $0.70 against repaid LOAN plus premium at $1.
        const double profit = std::stod(a["collateral_seized"].get<std::string>()) / 1e18 * 0.7 -
                              std::stod((dec(a["debt_repaid"].get<std::string>()) + premium).to_dec()) / 1e18;
        EXPECT_NEAR(a["profit_after_premium_usd"].get<double>(), profit, 1e-9 * std::fabs(profit) + 1e-9) << a.dump();
    }
    EXPECT_EQ(capital["assets"][0]["flash_premium"], premiums.to_dec());
    EXPECT_NEAR(capital["own_funds_usd"].get<double>(), 3353.0, 1e-9);
    EXPECT_EQ(capital["profitable"].get<int>() + capital["unprofitable"].get<int>(), 5);
    EXPECT_EQ(rows[1]["kind"], "derivatives");
    EXPECT_EQ(rows[1]["account"], "short X");
    EXPECT_NEAR(rows[1]["requirement_usd"]["isolated"].get<double>(), 15.0, 1e-9);
    EXPECT_NEAR(rows[1]["requirement_usd"]["portfolio"].get<double>(), 15.0, 1e-9);
    EXPECT_EQ(rows[2]["kind"], "derivatives_book");
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

// The cascade and the Monte-Carlo run over the same live book. COLL -20 %
// (price 0.80) liquidates the four borrowers above LTV 68.8 %: 720 and 760 by
// repaying every share (seizing 720 x 1.0438 and 760 x 1.0438 worth), 800 and
// 850 by taking all 1,000 collateral: $3,144.89 of COLL sold at $0.80. At
// 100,000 bps per $1M that is -314 bps: round 1 at -23.14 % (0.7686) also
// liquidates the 68 % borrower (680 > 0.86 x 768.6), $709.81 sold, -71 bps;
// round 2 at -23.85 % liquidates nobody (60 % stays under 0.86 x 761.5 =
// 65.5 %). The chain then follows the rounds: the oracle at round 0's price,
// the keeper liquidates round 0's four; at round 1's, exactly its one, each
// seizing and repaying what the round predicted, to the wei.
TEST_F(MorphoStressTest, CascadeRoundsHappenOnChainAndMonteCarloIsReproducibleBySeed) {
    {
        std::ofstream file(dir_ / "scenarios.toml");
        file << "[assets]\nCOLL = \"" << devnet_.params.collateral_token.checksummed() << "\"\n"
             << "LOAN = \"" << devnet_.params.loan_token.checksummed() << "\"\n"
             << "[[scenario]]\nname = \"collateral -20%\"\nshocks = { COLL = \"-20%\" }\n"
             << "[valuation.COLL]\nusd_price = 1\ndecimals = 18\nimpact_bps_per_million = 100000\n"
             << "[valuation.LOAN]\nusd_price = 1\ndecimals = 18\n"
             << "[cascade]\nmax_rounds = 10\n"
             << "[covariance]\nassets = [\"COLL\", \"LOAN\"]\ndaily_vol_percent = [8, 0.1]\n"
             << "correlation = [[1, 0], [0, 1]]\n"
             << "[monte_carlo]\ndraws = 3000\nseed = 3\n";
    }
    const auto html = dir_ / "report.html";
    const std::string scenarios = (dir_ / "scenarios.toml").string();
    auto stress = testing::run_keeper(
        {"stress", "--config", config(), "--scenarios", scenarios, "--json", "--html", html.string()}, env(), dir_,
        "cascade");
    ASSERT_EQ(stress.exit_code, 0) << stress.err;
    const auto rows = json_lines(stress.out);
    ASSERT_EQ(rows.size(), 2u) << stress.out;  // the scenario, then the Monte-Carlo line
    const auto& row = rows[0];
    EXPECT_EQ(row["kind"], "scenario");
    EXPECT_EQ(row["liquidatable"], 4);
    const auto& cascade = row["cascade"];
    ASSERT_EQ(cascade["rounds"].size(), 3u) << cascade.dump();
    EXPECT_TRUE(cascade["stable"].get<bool>());
    EXPECT_EQ(cascade["liquidated"], 5);
    const auto& r0 = cascade["rounds"][0];
    const auto& r1 = cascade["rounds"][1];
    EXPECT_EQ(r0["liquidated"], 4);
    EXPECT_EQ(r0["totals"], row["totals"]) << "round 0 is the plain scenario";
    EXPECT_NEAR(r0["volume_usd"].get<double>(), 3144.885, 0.01);
    EXPECT_EQ(r0["impact"][0]["move_bps"], -314);
    EXPECT_EQ(r1["moves"][0]["move_bps"], -2314);
    EXPECT_EQ(r1["liquidated"], 1);
    EXPECT_NEAR(r1["volume_usd"].get<double>(), 709.81, 0.01);
    EXPECT_EQ(r1["impact"][0]["move_bps"], -71);
    EXPECT_EQ(cascade["rounds"][2]["liquidated"], 0);
    EXPECT_EQ(cascade["final_moves"][0]["move_bps"], -2385);

    const auto& mc = rows[1];
    EXPECT_EQ(mc["kind"], "monte_carlo");
    EXPECT_EQ(mc["draws"], 3000);
    EXPECT_EQ(mc["seed"], 3);
    EXPECT_EQ(mc["positions"], 8);
    EXPECT_GT(mc["liquidation_volume_usd"]["var_99"].get<double>(), 0.0) << mc.dump();
    EXPECT_GE(mc["liquidation_volume_usd"]["es_99"].get<double>(),
              mc["liquidation_volume_usd"]["var_99"].get<double>());
    std::ifstream page_file(html);
    std::ostringstream page;
    page << page_file.rdbuf();
    for (const char* id : {"debt-vs-shock", "bad-debt-vs-shock", "cascade-rounds", "var-histogram"})
        EXPECT_NE(page.str().find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;

    // The same seed (from the file, then from --seed) gives the same line; another seed another one.
    auto again = testing::run_keeper(
        {"stress", "--config", config(), "--scenarios", scenarios, "--json", "--seed", "3"}, env(), dir_, "again");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const auto again_rows = json_lines(again.out);
    ASSERT_EQ(again_rows.size(), 2u);
    EXPECT_EQ(again_rows[1], mc);
    auto other = testing::run_keeper(
        {"stress", "--config", config(), "--scenarios", scenarios, "--json", "--seed", "4", "--draws", "3000"}, env(),
        dir_, "other");
    ASSERT_EQ(other.exit_code, 0) << other.err;
    const auto other_rows = json_lines(other.out);
    ASSERT_EQ(other_rows.size(), 2u);
    EXPECT_EQ(other_rows[1]["seed"], 4);
    EXPECT_NE(other_rows[1]["liquidation_volume_usd"], mc["liquidation_volume_usd"]);

    // Round by round on chain: each round's price, then the round's largest
    // liquidations as stress sized them (every borrow share when that left no
    // bad debt, else all the collateral); each Liquidate event must be the
    // round's prediction to the wei. (The keeper's own `run --once` sizes
    // share-repaying liquidations its own way; the first test checks it.)
    const auto liquidator_key = chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex).value();
    ASSERT_TRUE(
        devnet::approve(*client_, liquidator_key, devnet_.params.loan_token, devnet_.contracts.morpho, U256::max()));
    for (const auto* round : {&r0, &r1}) {
        const auto move = (*round)["moves"][0]["move_bps"].get<std::int32_t>();
        const U256 price = dec("1000000000000000000000000000000000000") *
                           U256(static_cast<std::uint64_t>(10'000 + move)) / U256(10'000);
        ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, devnet_, price));
        ASSERT_EQ((*round)["accounts"].size(), (*round)["liquidated"].get<std::size_t>());
        for (const auto& a : (*round)["accounts"]) {
            const Address account = Address::parse(a["account"].get<std::string>()).value();
            auto position_bytes = client_->eth_call({std::nullopt, devnet_.contracts.morpho,
                                                     mb::encode_position(devnet_.market_id, account), std::nullopt,
                                                     std::nullopt});
            ASSERT_TRUE(position_bytes);
            const morpho::Position position = mb::decode_position(*position_bytes).value();
            const bool all_shares = a["bad_debt"].empty();
            const Bytes call = mb::encode_liquidate(devnet_.params, account, all_shares ? U256() : position.collateral,
                                                    all_shares ? position.borrow_shares : U256());
            auto receipt = devnet::transact(*client_, liquidator_key, devnet_.contracts.morpho, call, 1'000'000,
                                            "liquidate");
            ASSERT_TRUE(receipt) << receipt.error().message;
            std::optional<morpho::LiquidateEvent> event;
            for (const auto& log : receipt->logs) {
                auto decoded = mb::decode_event(log);
                if (decoded && decoded->has_value())
                    if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**decoded)) event = *liq;
            }
            ASSERT_TRUE(event.has_value()) << account.checksummed();
            const morpho::LiquidateEvent liquidated = event.value_or(morpho::LiquidateEvent{});
            EXPECT_EQ(liquidated.borrower, account);
            EXPECT_EQ(liquidated.seized_assets, dec(a["collateral_seized"].get<std::string>()))
                << account.checksummed();
            EXPECT_EQ(liquidated.repaid_assets, dec(a["debt_repaid"].get<std::string>())) << account.checksummed();
            const U256 bad_debt = all_shares ? U256() : dec(a["bad_debt"][0]["amount"].get<std::string>());
            EXPECT_EQ(liquidated.bad_debt_assets, bad_debt) << account.checksummed();
        }
    }
    // Nobody else was liquidatable at round 1's price: the keeper finds nothing left.
    const std::size_t sent = liquidations().size();
    auto run = testing::run_keeper({"run", "--config", config(), "--once"}, env(), dir_, "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(liquidations().size(), sent) << run.err;
}

}  // namespace morpho_stress_test
}  // namespace keeper

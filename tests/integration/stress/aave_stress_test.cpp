// Issue #20's acceptance test on a real Aave V3 (the pinned @aave/core-v3
// 1.19.3 artifacts on anvil, EarlyV3 rules): `stress --json` predicts what
// WETH -20 % does to a known book; the test sets that price on the oracle
// and checks the prediction against the pool itself.
//
// The book: six accounts with 10 WETH ($2,000, LT 82.5 %, bonus 5 %, fee 10 %
// of the bonus) each, owing 8,000 / 11,000 / 13,500 / 14,500 / 15,500 /
// 15,900 USDC. Interest rates are zero, so nothing drifts between the
// prediction's block and the liquidations'. At $1,600 the weighted collateral
// is 13,200: health factors 1.65, 1.2, 0.978, 0.910, 0.852, 0.830. The last
// four are liquidatable: 13,500 at the 50 % close factor (HF > 0.95), the
// others at 100 %, where 15,500 and 15,900 need more than their 10 WETH
// (debt x 1.05 / 1,600) and take all of it.
//
// Two checks. The keeper (`run --once`) liquidates exactly the predicted
// set. Its amounts are its own choice: it sizes 1 ppm inside the pool's caps
// (strategies/aave_liquidation_plan.hpp), while stress reports the largest
// call. So, from a snapshot taken before the keeper ran, the test then sends
// that largest call itself (liquidationCall with debtToCover = max) for
// every predicted account and compares each LiquidationCall event with the
// prediction to the wei.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../keeper/keeper_process.hpp"
#include "chain/aave/aave_calls.hpp"
#include "core/abi_static_call.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace aave_stress_test {

namespace av = chain::aave_v3;
enum Reserve : std::size_t { WETH = 0, WBTC = 1, USDC = 2, DAI = 3 };

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }

std::vector<nlohmann::json> stress_lines(const std::string& out) {
    std::vector<nlohmann::json> rows;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        auto row = nlohmann::json::parse(line, nullptr, false);
        EXPECT_FALSE(row.is_discarded()) << "stdout must carry only JSON lines, got: " << line;
        if (!row.is_discarded()) rows.push_back(row);
    }
    return rows;
}

class AaveStressTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto options = devnet::default_aave_devnet_options();
        options.rates.base_variable_borrow_rate_ray = U256();
        options.rates.variable_rate_slope1_ray = U256();
        options.rates.variable_rate_slope2_ray = U256();
        options.rates.stable_rate_slope1_ray = U256();
        options.rates.stable_rate_slope2_ray = U256();
        options.rates.base_stable_rate_offset_ray = U256();
        options.rates.stable_rate_excess_offset_ray = U256();
        auto deployed = devnet::deploy_aave_devnet(*client_, *owner_, options);
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
        std::vector<devnet::AaveBorrowerSpec> specs;
        for (const char* usdc : {"8000", "11000", "13500", "14500", "15500", "15900"})
            specs.push_back({0, {{WETH, U256(10) * U256::pow10(18)}}, {{USDC, dec(usdc) * U256::pow10(6)}}});
        auto opened = devnet::open_aave_borrowers(*client_, *owner_, devnet_, specs);
        ASSERT_TRUE(opened) << opened.error().message;
        accounts_ = *opened;
        liquidator_key_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex).value());
        liquidator_ = testing::dev_accounts()[1].address();
        ASSERT_TRUE(devnet::mint_aave_token(*client_, *owner_, devnet_.reserves[USDC].asset, liquidator_,
                                            U256(1'000'000) * U256::pow10(6)));

        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-aave-stress-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::ofstream toml(dir_ / "keeper.toml");
        toml << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
             << "[strategy]\nconfirmations = 1\n"
             << "[chain]\nrpc = [\"" << anvil_->url() << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
             << "[signer]\nprivate_key_env = \"KEEPER_AAVE_STRESS_KEY\"\n"
             << "[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = \""
             << devnet_.contracts.addresses_provider.checksummed() << "\"\nstart_block = " << devnet_.deploy_block
             << "\nnative_token = \"" << devnet_.reserves[WETH].asset.checksummed() << "\"\n";
        std::ofstream scenarios(dir_ / "scenarios.toml");
        scenarios << "[assets]\nWETH = \"" << devnet_.reserves[WETH].asset.checksummed() << "\"\n"
                  << "[[scenario]]\nname = \"ETH -20%\"\nshocks = { WETH = \"-20%\" }\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string config() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_AAVE_STRESS_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    std::set<Address> below_one() {
        std::set<Address> out;
        for (const auto& a : accounts_) {
            auto answer = client_->eth_call(
                chain::CallRequest{std::nullopt, devnet_.contracts.pool, av::encode_get_user_account_data(a),
                                   std::nullopt, std::nullopt},
                chain::BlockId::latest());
            EXPECT_TRUE(answer);
            const auto data = av::decode_user_account_data(answer.value_or(Bytes{}));
            EXPECT_TRUE(data);
            if (data && data->health_factor < U256::pow10(18)) out.insert(a);
        }
        return out;
    }

    std::vector<av::LiquidationCallEvent> events_in(const std::vector<chain::Log>& logs) {
        std::vector<av::LiquidationCallEvent> out;
        for (const auto& log : logs) {
            auto event = av::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<av::LiquidationCallEvent>(&**event)) out.push_back(*liq);
        }
        return out;
    }
    std::vector<av::LiquidationCallEvent> liquidations() {
        const auto head = client_->block_number();
        EXPECT_TRUE(head);
        chain::LogFilter filter{{devnet_.contracts.pool}, av::pool_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{devnet_.deploy_block, *head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        return events_in(logs.value_or(std::vector<chain::Log>{}));
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_, liquidator_key_;
    devnet::AaveDevnet devnet_;
    std::vector<Address> accounts_;
    Address liquidator_;
    std::filesystem::path dir_;
};

TEST_F(AaveStressTest, PredictedLiquidationsAtEthMinus20PercentEqualThePoolsToTheWei) {
    auto stress = testing::run_keeper(
        {"stress", "--config", config(), "--scenarios", (dir_ / "scenarios.toml").string(), "--json"}, env(), dir_,
        "stress");
    ASSERT_EQ(stress.exit_code, 0) << stress.err;
    const auto rows = stress_lines(stress.out);
    ASSERT_EQ(rows.size(), 1u) << stress.out;
    const auto& report = rows[0];
    EXPECT_EQ(report["positions"], 6);
    EXPECT_EQ(report["liquidatable"], 4);
    EXPECT_EQ(report["insolvent"], 0);  // 16,000 of WETH against at most 15,900 of USDC
    // The scenario file sets no [capital]: the keeper's capital is costed at the
    // pool's own FLASHLOAN_PREMIUM_TOTAL, read at sync.
    const auto premium = client_->eth_call(
        chain::CallRequest{std::nullopt, devnet_.contracts.pool, abi::StaticCall("FLASHLOAN_PREMIUM_TOTAL()").take(),
                           std::nullopt, std::nullopt},
        chain::BlockId::latest());
    ASSERT_TRUE(premium.has_value());
    const U256 premium_bps = U256::from_be(premium.value_or(Bytes{}));
    EXPECT_EQ(report["capital"]["flash_premium_bps"].get<std::uint64_t>(), premium_bps.low64()) << report["capital"];
    U256 premiums;
    for (const auto& a : report["accounts"])
        premiums += (dec(a["debt_repaid"].get<std::string>()) * premium_bps + U256(5000)) / U256(10000);
    ASSERT_EQ(report["capital"]["assets"].size(), 1u);
    EXPECT_EQ(report["capital"]["assets"][0]["flash_premium"], premiums.to_dec());

    struct Predicted {
        U256 repaid, seized;
    };
    std::map<Address, Predicted> predicted;
    for (const auto& a : report["accounts"]) {
        EXPECT_EQ(a["protocol"], "aave-v3");
        EXPECT_FALSE(a.contains("error")) << a.dump();
        EXPECT_EQ(a["debt_asset"], devnet_.reserves[USDC].asset.checksummed());
        EXPECT_EQ(a["collateral_asset"], devnet_.reserves[WETH].asset.checksummed());
        EXPECT_TRUE(a["bad_debt"].empty()) << "v3.0 writes off no deficit";
        predicted[Address::parse(a["account"].get<std::string>()).value()] = {
            dec(a["debt_repaid"].get<std::string>()), dec(a["collateral_seized"].get<std::string>())};
    }
    const std::set<Address> expected(accounts_.begin() + 2, accounts_.end());
    std::set<Address> predicted_set;
    for (const auto& [account, p] : predicted) predicted_set.insert(account);
    ASSERT_EQ(predicted_set, expected);
    // Worked by hand: 13,500 USDC at HF 0.978 -> 50 % = 6,750 USDC; 14,500 at 100 %, 9.515625 WETH
    // with the bonus, of which the fee takes 10 % of the bonus part; 15,500 and 15,900 all 10 WETH,
    // worth 16,000 / 1.05 = 15,238.095238 USDC.
    EXPECT_EQ(predicted[accounts_[2]].repaid, dec("6750000000"));
    EXPECT_EQ(predicted[accounts_[3]].repaid, dec("14500000000"));
    EXPECT_EQ(predicted[accounts_[4]].repaid, predicted[accounts_[5]].repaid);

    // The scenario on chain: WETH at 2000e8 x 8000 / 10000.
    ASSERT_TRUE(devnet::set_aave_price(*client_, *owner_, devnet_, WETH, U256(1600) * U256::pow10(8)));
    EXPECT_EQ(below_one(), predicted_set) << "the pool's own health factors";
    const auto before_keeper = client_->call("evm_snapshot").value();

    auto run = testing::run_keeper({"run", "--config", config(), "--once"}, env(), dir_, "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::set<Address> liquidated;
    for (const auto& e : liquidations()) liquidated.insert(e.user);
    EXPECT_EQ(liquidated, predicted_set) << run.err;

    // Back to before the keeper: the largest call, as stress sized it.
    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({before_keeper})));
    ASSERT_TRUE(liquidations().empty());
    ASSERT_TRUE(
        devnet::approve(*client_, *liquidator_key_, devnet_.reserves[USDC].asset, devnet_.contracts.pool, U256::max()));
    for (const auto& [account, p] : predicted) {
        const Bytes call = av::encode_liquidation_call(devnet_.reserves[WETH].asset, devnet_.reserves[USDC].asset,
                                                       account, U256::max(), false);
        auto receipt = devnet::transact(*client_, *liquidator_key_, devnet_.contracts.pool, call, 2'000'000,
                                        "liquidationCall");
        ASSERT_TRUE(receipt) << receipt.error().message;
        const auto events = events_in(receipt->logs);
        ASSERT_EQ(events.size(), 1u) << account.checksummed();
        EXPECT_EQ(events[0].user, account);
        EXPECT_EQ(events[0].debt_to_cover, p.repaid) << account.checksummed();
        EXPECT_EQ(events[0].liquidated_collateral_amount, p.seized) << account.checksummed();
    }
}

}  // namespace aave_stress_test
}  // namespace keeper

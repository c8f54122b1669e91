// One broken reserve must cost the keeper that reserve only (issue #16, item
// 3), on a real Aave V3 on anvil: the default devnet market with DAI listed
// as contracts/PoisonableERC20.sol, whose balanceOf then reverts for the
// keeper's eth_call while the pool keeps working. The margin-keeper binary
// must liquidate every account below 1 that has a debt it can repay in
// another reserve (those owing DAI too included), never repay DAI, log DAI's
// error once, and finish.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/poisonable_token.hpp"
#include "keeper_process.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace aave_poisoned_reserve_test {

using namespace std::chrono_literals;
namespace av = chain::aave_v3;

constexpr std::size_t kAccounts = 100;

std::size_t count_of(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

class AavePoisonedReserveTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto options = devnet::default_aave_devnet_options();
        options.reserves[devnet::kAaveDai].poisonable = true;
        auto deployed = devnet::deploy_aave_devnet(*client_, *owner_, options);
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
        specs_ = devnet::mixed_aave_borrowers(kAccounts);
        auto opened = devnet::open_aave_borrowers(*client_, *owner_, devnet_, specs_);
        ASSERT_TRUE(opened) << opened.error().message;
        accounts_ = *opened;
        liquidator_ = testing::dev_accounts()[1].address();
        for (const auto& reserve : devnet_.reserves)
            ASSERT_TRUE(devnet::mint_aave_token(*client_, *owner_, reserve.asset, liquidator_,
                                                U256(1'000'000'000) * U256::pow10(reserve.decimals)));

        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-aave-poison-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::ofstream(config_path()) << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
                                     // anvil mines only when a transaction arrives (the default is 3)
                                     << "[strategy]\nconfirmations = 1\n"
                                     << "[chain]\nrpc = [\"" << anvil_->url()
                                     << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
                                     << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
                                     << "[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = \""
                                     << devnet_.contracts.addresses_provider.checksummed()
                                     << "\"\nstart_block = " << devnet_.deploy_block << "\nnative_token = \""
                                     << devnet_.reserves[devnet::kAaveWeth].asset.checksummed() << "\"\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_E2E_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    std::set<Address> below_one() {
        std::set<Address> out;
        for (const auto& a : accounts_) {
            auto answer = client_->eth_call(chain::CallRequest{std::nullopt, devnet_.contracts.pool,
                                                               av::encode_get_user_account_data(a), std::nullopt,
                                                               std::nullopt});
            EXPECT_TRUE(answer);
            auto data = av::decode_user_account_data(answer.value_or(Bytes{}));
            if (data && data->health_factor < U256::pow10(18)) out.insert(a);
        }
        return out;
    }

    std::vector<av::LiquidationCallEvent> liquidations() {
        const auto head = client_->block_number().value();
        chain::LogFilter filter{{devnet_.contracts.pool}, av::pool_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{devnet_.deploy_block, head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        std::vector<av::LiquidationCallEvent> out;
        for (const auto& log : logs.value_or(std::vector<chain::Log>{})) {
            auto event = av::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<av::LiquidationCallEvent>(&**event)) out.push_back(*liq);
        }
        return out;
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::AaveDevnet devnet_;
    std::vector<devnet::AaveBorrowerSpec> specs_;
    std::vector<Address> accounts_;
    Address liquidator_;
    std::filesystem::path dir_;
};

TEST_F(AavePoisonedReserveTest, APoisonedReserveCostsOnlyTheDebtsInItAndIsLoggedOnce) {
    const Address dai = devnet_.reserves[devnet::kAaveDai].asset;
    ASSERT_TRUE(devnet::set_token_poisoned(*client_, *owner_, dai, true));
    // WETH -25% and DAI -10%, as the other Aave end-to-end tests move them.
    ASSERT_TRUE(devnet::set_aave_price(*client_, *owner_, devnet_, devnet::kAaveWeth, U256(1500) * U256::pow10(8)));
    ASSERT_TRUE(devnet::set_aave_price(*client_, *owner_, devnet_, devnet::kAaveDai, U256(90) * U256::pow10(6)));
    const std::set<Address> below = below_one();
    // Below 1 with a debt outside DAI / with DAI debt only; and how many owe DAI at all.
    std::set<Address> repayable, only_dai;
    std::size_t owe_dai = 0;
    for (std::size_t i = 0; i < accounts_.size(); ++i) {
        if (!below.contains(accounts_[i])) continue;
        bool other = false, dai_debt = false;
        for (const auto& [reserve, amount] : specs_[i].borrows) {
            other = other || reserve != devnet::kAaveDai;
            dai_debt = dai_debt || reserve == devnet::kAaveDai;
        }
        (other ? repayable : only_dai).insert(accounts_[i]);
        owe_dai += dai_debt ? 1 : 0;
    }
    ASSERT_GT(repayable.size(), 5u);
    ASSERT_GE(owe_dai, 3u) << "accounts below 1 must owe DAI, so the keeper meets the poisoned reserve";

    auto run = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, "poisoned", 240s);
    ASSERT_EQ(run.exit_code, 0) << run.err;

    std::set<Address> liquidated;
    for (const auto& e : liquidations()) {
        EXPECT_NE(e.debt_asset, dai) << "a DAI debt cannot have been sized without reading DAI";
        liquidated.insert(e.user);
    }
    EXPECT_EQ(liquidated, repayable);
    for (const auto& a : only_dai) EXPECT_FALSE(liquidated.contains(a)) << a.checksummed();
    EXPECT_EQ(count_of(run.err, "balanceOf is poisoned"), 1u) << "DAI's error is logged once, not every round\n"
                                                              << run.err;
    EXPECT_NE(run.err.find("reserve " + dai.checksummed()), std::string::npos) << run.err;
    EXPECT_EQ(count_of(run.err, "round failed"), 0u) << run.err;
    EXPECT_NE(run.err.find("skipped on errors"), std::string::npos) << run.err;
}

}  // namespace aave_poisoned_reserve_test
}  // namespace keeper

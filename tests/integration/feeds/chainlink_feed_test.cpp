// End to end on anvil: a Morpho Blue market priced by a Chainlink aggregator
// (contracts/ChainlinkAggregatorMock.sol behind contracts/ChainlinkMorphoOracle.sol),
// and the margin-keeper binary with a [[feeds]] entry for its collateral.
// Worked example: two borrowers with 1,000 collateral each borrow 800 and
// 700 (LTV 80% and 70%, LLTV 86%) at price 1.00 (answer 1e8, 8 decimals).
//  (a) set(0.90e8) emits AnswerUpdated: the keeper logs the feed update and
//      liquidates the first (80 / 90 = 88.9% > 86%).
//  (b) the answer is moved to 0.80 in storage (no event, no new round) and
//      the clock jumps 3,700 s: the second is liquidatable by the contract
//      (70 / 80 = 87.5%), but the feed is older than heartbeat 3,600 s +
//      margin 60 s: the keeper halts, holds it back, alerts oracle_stale
//      and reports the age in keeper_oracle_age_seconds.
//  (c) set(0.80e8) is a fresh round: the keeper resumes and liquidates it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/anvil_rpc.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/devnet/solidity_compiler.hpp"
#include "../keeper/keeper_process.hpp"
#include "support/anvil_process.hpp"
#include "support/http_get.hpp"
#include "support/recording_http_server.hpp"

namespace keeper {
namespace chainlink_feed_test {

using namespace std::chrono_literals;
using nlohmann::json;
namespace mb = chain::morpho_blue;
using abi::Value;

U256 ether(std::uint64_t n) { return U256(n) * U256::pow10(18); }
abi::I256 answer_1e8(std::uint64_t percent) { return abi::I256{U256(percent) * U256::pow10(6)}; }

std::string fetch_metrics(std::uint16_t port) { return testing::http_get(port, "/metrics").body; }

class ChainlinkFeedTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto deployed = devnet::deploy_morpho_devnet(client(), owner(), devnet::default_morpho_devnet_options());
        ASSERT_TRUE(deployed) << deployed.error().message;

        // The aggregator (8 decimals) at 1.00, and a Morpho oracle reading it: 18 - 18 - 8 + 36 = 1e28.
        aggregator_ = deploy("ChainlinkAggregatorMock.sol", "ChainlinkAggregatorMock", "uint8",
                             {Value(std::uint64_t{8})});
        set_answer(100);
        const Address oracle = deploy("ChainlinkMorphoOracle.sol", "ChainlinkMorphoOracle", "address,uint256",
                                      {Value(aggregator_), Value(U256::pow10(28))});
        devnet::MorphoDevnet chainlink_priced = *deployed;
        chainlink_priced.contracts.oracle = oracle;
        chainlink_priced.params.oracle = oracle;
        auto market = devnet::add_morpho_market(client(), owner(), chainlink_priced, deployed->contracts.loan_token);
        ASSERT_TRUE(market) << market.error().message;
        devnet_ = *market;

        const std::vector<devnet::BorrowerSpec> specs{{ether(1000), ether(800)}, {ether(1000), ether(700)}};
        auto opened = devnet::open_borrowers(client(), owner(), devnet_, specs);
        ASSERT_TRUE(opened) << opened.error().message;
        borrowers_ = *opened;
        liquidator_ = testing::dev_accounts()[1].address();
        ASSERT_TRUE(devnet::mint(client(), owner(), devnet_.contracts.loan_token, liquidator_, ether(1'000'000)));

        auto hook = testing::RecordingHttpServer::start(R"({"ok":true})", 200);
        ASSERT_TRUE(hook) << hook.error().message;
        hook_ = std::move(*hook);
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-feed-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::ofstream toml(config_path());
        toml << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
             << "[strategy]\nconfirmations = 1\n"
             << "[chain]\nrpc = [\"" << anvil_->url() << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
             << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
             << "[metrics]\nlisten = \"127.0.0.1:0\"\n"
             << "[alerts]\nwebhook_url = \"" << hook_->url() << "generic\"\n"
             << "[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" << devnet_.contracts.morpho.checksummed()
             << "\"\nstart_block = " << devnet_.deploy_block << "\nmarkets = [\"" << devnet_.market_id.hex() << "\"]\n"
             << "[[feeds]]\nasset = \"" << devnet_.contracts.collateral_token.checksummed() << "\"\naggregator = \""
             << aggregator_.checksummed() << "\"\nheartbeat_s = 3600\nstaleness_margin_s = 60\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    Address deploy(const std::string& file, std::string_view name, std::string_view types,
                   const std::vector<Value>& args) {
        auto compiled = devnet::compile_contract(devnet::contract_source(file), name);
        EXPECT_TRUE(compiled) << compiled.error().message;
        if (!compiled) return {};
        Bytes init = compiled->init_code;
        const Bytes encoded = devnet::encode_args(types, args).value();
        init.insert(init.end(), encoded.begin(), encoded.end());
        auto receipt = devnet::create(client(), owner(), std::move(init), name);
        EXPECT_TRUE(receipt) << receipt.error().message;
        return receipt ? receipt->contract_address.value_or(Address{}) : Address{};
    }
    void set_answer(std::uint64_t percent) {
        ASSERT_TRUE(devnet::transact_call(client(), owner(), aggregator_, "set(int256)", {Value(answer_1e8(percent))}));
    }

    // Set in SetUp before any use; a test reaching here without them is broken.
    chain::JsonRpcClient& client() {
        if (!client_) throw std::logic_error("no client: SetUp failed");
        return *client_;
    }
    const chain::PrivateKey& owner() const {
        if (!owner_) throw std::logic_error("no owner key: SetUp failed");
        return *owner_;
    }
    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_E2E_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    std::set<Address> liquidated() {
        const auto head = client().block_number().value();
        chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(client(), filter, chain::BlockRange{devnet_.deploy_block, head});
        EXPECT_TRUE(logs);
        std::set<Address> out;
        for (const auto& log : logs.value_or(std::vector<chain::Log>{})) {
            auto event = mb::decode_event(log);
            if (!event) continue;
            const auto& decoded = *event;  // nullopt: not an event of Morpho's
            if (!decoded) continue;
            if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&*decoded)) out.insert(liq->borrower);
        }
        return out;
    }
    bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 60s) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (done()) return true;
            std::this_thread::sleep_for(50ms);
        }
        return done();
    }
    // Morpho's own verdict: liquidate(1 unit) reverts with "position is healthy" unless it is not.
    bool contract_says_liquidatable(const Address& borrower) {
        const Bytes data = mb::encode_liquidate(devnet_.params, borrower, U256(1), U256());
        auto answer = client().eth_call(
            chain::CallRequest{liquidator_, devnet_.contracts.morpho, data, std::nullopt, std::nullopt},
            chain::BlockId::latest());
        return answer.has_value() || answer.error().message.find("position is healthy") == std::string::npos;
    }

    // The generic webhook's oracle_stale bodies, oldest first.
    std::vector<json> oracle_stale_alerts() const {
        std::vector<json> out;
        for (const auto& r : hook_->requests()) {
            const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
            if (body.is_object() && body.value("kind", "") == "oracle_stale") out.push_back(body);
        }
        return out;
    }

    std::unique_ptr<testing::RecordingHttpServer> hook_;
    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::MorphoDevnet devnet_;
    Address aggregator_;
    std::vector<Address> borrowers_;
    Address liquidator_;
    std::filesystem::path dir_;
};

TEST_F(ChainlinkFeedTest, AnAnswerUpdatedTriggersTheLiquidationAStaleFeedHaltsItAndAFreshRoundResumes) {
    const std::string collateral = devnet_.contracts.collateral_token.checksummed();
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 90s)) << daemon.err();
    std::smatch listen;
    const std::string started = daemon.err();
    ASSERT_TRUE(std::regex_search(started, listen, std::regex(R"(/readyz on http://127\.0\.0\.1:(\d+)/)"))) << started;
    const auto port = static_cast<std::uint16_t>(std::stoi(listen[1]));
    EXPECT_NE(started.find("feed " + aggregator_.checksummed() + " of " + collateral + ", 8 decimals: 1.00000000"),
              std::string::npos)
        << started;
    EXPECT_TRUE(liquidated().empty());

    // (a) The feed's update is what the keeper acts on.
    set_answer(90);
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[0]); })) << daemon.err();
    const std::string after_a = daemon.err();
    const auto update = after_a.find("feed update for " + collateral + ": 0.90000000 from chainlink AnswerUpdated of " +
                                     aggregator_.checksummed() + " round 2");
    ASSERT_NE(update, std::string::npos) << after_a;
    const auto sent = after_a.find("sent liquidation of " + borrowers_[0].checksummed());
    ASSERT_NE(sent, std::string::npos) << after_a;
    EXPECT_LT(update, sent) << "the liquidation follows the feed's update";
    EXPECT_FALSE(liquidated().contains(borrowers_[1]));

    // (b) The answer moves without a round (slot 0: latestAnswer) and 3,700 s pass.
    const std::string answer_word = "0x" + std::string(64 - 8, '0') + "04c4b400";  // 80,000,000
    ASSERT_TRUE(client().call("anvil_setStorageAt", json::array({aggregator_.hex(), "0x0", answer_word})));
    ASSERT_TRUE(client().call("evm_increaseTime", json::array({3700})));
    ASSERT_TRUE(devnet::evm_mine(client()));
    ASSERT_TRUE(contract_says_liquidatable(borrowers_[1]));
    ASSERT_TRUE(daemon.wait_for_log("oracle for " + collateral + " halted: updated 37", 30s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log("held back: oracle stale", 30s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log("alert oracle_stale", 30s)) << daemon.err();
    // ... and the operator's webhook receives it.
    ASSERT_TRUE(eventually([&] { return !oracle_stale_alerts().empty(); }, 30s)) << daemon.err();
    const json stale = oracle_stale_alerts().front();
    EXPECT_EQ(stale["event"], "trigger") << stale;
    const std::string stale_key = stale["dedup_key"];
    const std::string age_series = "keeper_oracle_age_seconds{feed=\"" + collateral + " feed " +
                                   aggregator_.checksummed() + "\"} ";
    std::string metrics;
    ASSERT_TRUE(eventually(
        [&] {
            metrics = fetch_metrics(port);
            const auto at = metrics.find(age_series);
            return at != std::string::npos && std::stod(metrics.substr(at + age_series.size())) >= 3660;
        },
        30s))
        << metrics;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(devnet::evm_mine(client()));
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_FALSE(liquidated().contains(borrowers_[1])) << "nothing is liquidated on a stale price";
    EXPECT_TRUE(contract_says_liquidatable(borrowers_[1]));

    // (c) A fresh round resumes actions on the collateral.
    set_answer(80);
    ASSERT_TRUE(daemon.wait_for_log("oracle for " + collateral + " resumed", 30s)) << daemon.err();
    // The incident resolves under the same dedup key.
    ASSERT_TRUE(eventually(
        [&] {
            const auto alerts = oracle_stale_alerts();
            return std::ranges::any_of(
                alerts, [&](const json& b) { return b["event"] == "resolve" && b["dedup_key"] == stale_key; });
        },
        30s))
        << json(oracle_stale_alerts()) << daemon.err();
    ASSERT_TRUE(eventually([&] { return liquidated().contains(borrowers_[1]); })) << daemon.err();

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0) << daemon.err();
}

}  // namespace chainlink_feed_test
}  // namespace keeper

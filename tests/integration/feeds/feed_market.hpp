#pragma once
// The feeds suites' fixture: anvil, a Morpho Blue market whose collateral is
// priced by one Chainlink-shaped aggregator through
// contracts/ChainlinkMorphoOracle.sol (18 - 18 - 8 + 36: price() = answer * 1e28),
// borrowers, a funded liquidator, an alert webhook, and a keeper.toml with a
// [[feeds]] entry for the collateral. Which aggregator (AnswerUpdated mock,
// OCR2 mock) and how its answer moves is the suite's: it passes a deployer
// that leaves the aggregator at 1.00 (answer 1e8, 8 decimals). A suite may
// put its own feed and oracle in (MarketOptions::feed_source, deploy_oracle:
// a Pyth price feed behind contracts/PythMorphoOracle.sol).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/anvil_rpc.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/devnet/solidity_compiler.hpp"
#include "oracles/ocr2_transmit.hpp"
#include "support/anvil_process.hpp"
#include "support/recording_http_server.hpp"

namespace keeper::feed_market {

using namespace std::chrono_literals;
namespace mb = chain::morpho_blue;

inline U256 ether(std::uint64_t n) { return U256(n) * U256::pow10(18); }
// `percent` of 1.00 at 8 decimals: 90 -> 0.90e8.
inline abi::I256 answer_1e8(std::uint64_t percent) { return abi::I256{U256(percent) * U256::pow10(6)}; }

// transmit(...) calldata of one report of oracles observing `percents` of
// 1.00 (sorted: the median is percents[n / 2]), observed at
// `observed_at_s`, in OCR epoch-and-round `epoch_and_round`, with one zero
// signature (contracts/Ocr2AggregatorMock.sol checks none).
inline Bytes ocr2_transmit_calldata(const std::vector<std::uint64_t>& percents, std::uint64_t epoch_and_round,
                                    std::uint32_t observed_at_s) {
    oracles::chainlink::Ocr2Transmit t;
    t.config_digest.bytes[31] = 0x01;
    t.epoch_and_round = epoch_and_round;
    t.report.observations_timestamp_s = observed_at_s;
    for (std::size_t i = 0; i < percents.size(); ++i) {
        t.report.observers.push_back(static_cast<std::uint8_t>(i));
        t.report.observations.push_back(answer_1e8(percents[i]));
    }
    t.signatures = 1;
    return oracles::chainlink::encode_ocr2_transmit(t).value();
}

struct MarketOptions {
    testing::AnvilOptions anvil;
    std::vector<devnet::BorrowerSpec> borrowers;
    bool websocket = false;  // [chain] ws: anvil's own port (it serves websocket and HTTP on one)
    std::string feed_keys;   // more [[feeds]] lines
    // The [[feeds]] table's feed keys; default: aggregator = the deployed aggregator.
    std::string feed_source;
    // The market's oracle over the deployed feed; default:
    // ChainlinkMorphoOracle over the aggregator, scale 1e28.
    std::function<Address(const Address& feed)> deploy_oracle;
};

class FeedMarketTest : public ::testing::Test {
protected:
    using Deployer = std::function<Address()>;

    // Everything above, the aggregator from `deploy_aggregator` (at 1.00).
    void open_market(const MarketOptions& options, const Deployer& deploy_aggregator) {
        auto started = testing::AnvilProcess::start(options.anvil);
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto deployed = devnet::deploy_morpho_devnet(client(), owner(), devnet::default_morpho_devnet_options());
        ASSERT_TRUE(deployed) << deployed.error().message;

        aggregator_ = deploy_aggregator();
        ASSERT_FALSE(aggregator_.is_zero());
        const Address oracle = options.deploy_oracle
                                   ? options.deploy_oracle(aggregator_)
                                   : deploy("ChainlinkMorphoOracle.sol", "ChainlinkMorphoOracle", "address,uint256",
                                            {abi::Value(aggregator_), abi::Value(U256::pow10(28))});
        ASSERT_FALSE(oracle.is_zero());
        devnet::MorphoDevnet chainlink_priced = *deployed;
        chainlink_priced.contracts.oracle = oracle;
        chainlink_priced.params.oracle = oracle;
        auto market = devnet::add_morpho_market(client(), owner(), chainlink_priced, deployed->contracts.loan_token);
        ASSERT_TRUE(market) << market.error().message;
        devnet_ = *market;

        auto opened = devnet::open_borrowers(client(), owner(), devnet_, options.borrowers);
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
             << (options.websocket ? "ws = \"ws://127.0.0.1:" + std::to_string(anvil_->port()) + "\"\n" : "")
             << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
             << "[metrics]\nlisten = \"127.0.0.1:0\"\n"
             << "[alerts]\nwebhook_url = \"" << hook_->url() << "generic\"\n"
             << "[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" << devnet_.contracts.morpho.checksummed()
             << "\"\nstart_block = " << devnet_.deploy_block << "\nmarkets = [\"" << devnet_.market_id.hex() << "\"]\n"
             << "[[feeds]]\nasset = \"" << devnet_.contracts.collateral_token.checksummed() << "\"\n"
             << (options.feed_source.empty() ? "aggregator = \"" + aggregator_.checksummed() + "\"\n"
                                             : options.feed_source)
             << "heartbeat_s = 3600\nstaleness_margin_s = 60\n"
             << options.feed_keys;
    }
    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    Address deploy(const std::string& file, std::string_view name, std::string_view types,
                   const std::vector<abi::Value>& args) {
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

    // The latest block's timestamp (unix seconds).
    std::uint32_t latest_timestamp_s() {
        const auto latest = client().call("eth_getBlockByNumber", nlohmann::json::array({"latest", false}));
        EXPECT_TRUE(latest);
        if (!latest) return 0;
        return static_cast<std::uint32_t>(std::stoull((*latest)["timestamp"].get<std::string>(), nullptr, 16));
    }
    // An OCR2-shaped aggregator (8 decimals) at 1.00 in epoch 1, round 1.
    Address deploy_ocr2_aggregator() {
        const Address aggregator = deploy("Ocr2AggregatorMock.sol", "Ocr2AggregatorMock", "uint8",
                                          {abi::Value(std::uint64_t{8})});
        EXPECT_TRUE(devnet::transact(client(), owner(), aggregator,
                                     ocr2_transmit_calldata({100, 100, 100}, 0x101, latest_timestamp_s()), 300'000,
                                     "transmit"));
        return aggregator;
    }

    // Set in open_market before any use; a test reaching here without them is broken.
    chain::JsonRpcClient& client() {
        if (!client_) throw std::logic_error("no client: open_market failed");
        return *client_;
    }
    const chain::PrivateKey& owner() const {
        if (!owner_) throw std::logic_error("no owner key: open_market failed");
        return *owner_;
    }
    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_E2E_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    // Every Morpho Liquidate event of the market so far: borrower -> block.
    std::map<Address, std::uint64_t> liquidations() {
        const auto head = client().block_number().value();
        chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(client(), filter, chain::BlockRange{devnet_.deploy_block, head});
        EXPECT_TRUE(logs);
        std::map<Address, std::uint64_t> out;
        for (const auto& log : logs.value_or(std::vector<chain::Log>{})) {
            auto event = mb::decode_event(log);
            if (!event) continue;
            const auto& decoded = *event;  // nullopt: not an event of Morpho's
            if (!decoded) continue;
            if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&*decoded))
                out.emplace(liq->borrower, log.block_number.value_or(0));
        }
        return out;
    }
    std::set<Address> liquidated() {
        std::set<Address> out;
        for (const auto& [borrower, block] : liquidations()) out.insert(borrower);
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

}  // namespace keeper::feed_market

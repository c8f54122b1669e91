#pragma once
// What the Morpho Blue end-to-end tests share: their own anvil with a Morpho
// Blue devnet, borrowers opened at chosen loan-to-values, the keeper's signer
// (dev account 1) holding loan tokens, a scratch directory, and keeper.toml as
// the tests write it. A test derives from MorphoE2eTest and keeps only what it
// does differently (its borrowers, its extra config tables, a proxy in front).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "support/anvil_process.hpp"

namespace keeper::testing {

// `collateral_wei` each, borrowing these fractions of it (basis points).
inline std::vector<devnet::BorrowerSpec> borrowers_at_ltv_bps(std::initializer_list<unsigned> ltv_bps,
                                                              const U256& collateral_wei) {
    std::vector<devnet::BorrowerSpec> specs;
    for (unsigned ltv : ltv_bps) specs.push_back({collateral_wei, collateral_wei * U256(ltv) / U256(10'000)});
    return specs;
}

// `n` borrowers of 1,000 collateral (1e21 wei), loan-to-value spread evenly
// from 40% to 85%: at price 1.00 and LLTV 86% all are healthy.
inline std::vector<devnet::BorrowerSpec> ltv_spread_40_to_85(std::size_t n) {
    const U256 collateral = U256::pow10(21);
    std::vector<devnet::BorrowerSpec> specs;
    for (std::size_t i = 0; i < n; ++i)
        specs.push_back({collateral, collateral * U256(4000 + 4500 * i / (n - 1)) / U256(10000)});
    return specs;
}

// keeper.toml as the end-to-end tests write it.
struct KeeperToml {
    std::string rpc;      // the one [chain] rpc URL
    std::string ws = {};  // [chain] ws, none by default (HTTP polling)
    // anvil mines only when a transaction arrives, so a receipt never gets
    // deeper than its own block: confirmations = 1 (the keeper's default is 3).
    std::string strategy = "confirmations = 1\n";  // the [strategy] table's lines; "" for none
    std::string tables = {};                       // further tables, verbatim ([metrics], [alerts], ...)
    std::string protocols = {};                    // the [[protocols]] tables
};

inline std::string morpho_protocol_table(const devnet::MorphoDevnet& devnet) {
    return "[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" + devnet.contracts.morpho.checksummed() +
           "\"\nstart_block = " + std::to_string(devnet.deploy_block) + "\n";
}

class MorphoE2eTest : public ::testing::Test {
protected:
    // Call with ASSERT_NO_FATAL_FAILURE from SetUp.
    void start_chain(const std::vector<devnet::BorrowerSpec>& borrowers, std::size_t per_tx,
                     const AnvilOptions& options = {},
                     const devnet::MorphoDevnetOptions& devnet_options = devnet::default_morpho_devnet_options()) {
        auto started = AnvilProcess::start(options);
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value());
        auto deployed = devnet::deploy_morpho_devnet(*client_, *owner_, devnet_options);
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
        auto opened = devnet::open_borrowers(*client_, *owner_, devnet_, borrowers, per_tx);
        ASSERT_TRUE(opened) << opened.error().message;
        borrowers_ = *opened;
        liquidator_ = dev_accounts()[1].address();
        ASSERT_TRUE(devnet::mint(*client_, *owner_, devnet_.contracts.loan_token, liquidator_,
                                 U256::pow10(24)));  // 1,000,000 loan tokens
    }
    static AnvilOptions large_blocks() {  // room for a whole batch of borrowers in one block
        AnvilOptions options;
        options.extra_args = {"--gas-limit", "100000000"};
        return options;
    }

    // /tmp/keeper-<what>-<pid>-<anvil port>, empty, removed by TearDown.
    void make_dir(const std::string& what) {
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    // State in dir_/state; [[protocols]] defaults to this devnet's Morpho.
    void write_keeper_toml(KeeperToml toml) const {
        if (toml.protocols.empty()) toml.protocols = morpho_protocol_table(devnet_);
        std::ofstream out(config_path());
        out << "state_dir = \"" << (dir_ / "state").string() << "\"\n"
            << (toml.strategy.empty() ? "" : "[strategy]\n" + toml.strategy) << "[chain]\nrpc = [\"" << toml.rpc
            << "\"]\npoll_interval_ms = 100\nchain_id = 31337\n"
            << (toml.ws.empty() ? "" : "ws = \"" + toml.ws + "\"\n")
            << "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n"
            << toml.protocols << toml.tables;
    }
    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    // The keeper signs as dev account 1 (the liquidator).
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_E2E_KEY", std::string(dev_accounts()[1].private_key_hex)}};
    }

    // Every Liquidate event of the devnet's Morpho on `client`'s chain, in chain order.
    std::vector<morpho::LiquidateEvent> liquidations(chain::JsonRpcClient& client) const {
        auto head = client.block_number();
        EXPECT_TRUE(head);
        if (!head) return {};
        chain::LogFilter filter{{devnet_.contracts.morpho}, chain::morpho_blue::followed_topics()};
        auto logs = chain::get_logs(client, filter, chain::BlockRange{devnet_.deploy_block, *head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        std::vector<morpho::LiquidateEvent> out;
        if (!logs) return out;
        for (const auto& log : *logs) {
            const std::optional<morpho::Event> event = chain::morpho_blue::decode_event(log).value_or(std::nullopt);
            if (!event) continue;
            if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&*event)) out.push_back(*liq);
        }
        return out;
    }

    std::optional<AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::MorphoDevnet devnet_;
    std::vector<Address> borrowers_;
    Address liquidator_;
    std::filesystem::path dir_;
};

}  // namespace keeper::testing

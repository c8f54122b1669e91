// One broken market must cost the keeper that market only (issue #16, item 3).
// A real Morpho Blue on anvil with two markets on the same oracle: a good
// one, and one whose loan token (contracts/PoisonableERC20.sol) reverts
// balanceOf for a keeper's eth_call while Morpho itself keeps working. Both
// hold liquidatable positions. The margin-keeper binary must liquidate every
// liquidatable position of the good market, log the poisoned one's error
// once, keep running, and liquidate the poisoned market too once its token
// answers again. In-process, the liquidator's per-work memory must be empty
// again once every liquidation is final.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "core/abi_signature.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/devnet/poisonable_token.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "keeper/devnet/solidity_compiler.hpp"
#include "keeper_process.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper {
namespace poisoned_market_test {

using namespace std::chrono_literals;
namespace mb = chain::morpho_blue;

constexpr std::size_t kGoodBorrowers = 60;
constexpr std::size_t kPoisonedBorrowers = 40;
constexpr std::string_view kPoisonRevert = "balanceOf is poisoned";

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }
U256 price(std::string_view percent_text) { return dec(percent_text) * U256::pow10(34); }

// Loan-to-value 40% .. 85% of 1,000 collateral at price 1.00 (LLTV 86%): all healthy.
std::vector<devnet::BorrowerSpec> spread(std::size_t n) {
    std::vector<devnet::BorrowerSpec> specs;
    for (std::size_t i = 0; i < n; ++i) {
        const U256 collateral = dec("1000000000000000000000");
        specs.push_back({collateral, collateral * U256(4000 + 4500 * i / (n - 1)) / U256(10000)});
    }
    return specs;
}

std::size_t count_of(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

class PoisonedMarketTest : public ::testing::Test {
protected:
    void SetUp() override {
        testing::AnvilOptions options;
        options.extra_args = {"--gas-limit", "100000000"};
        auto started = testing::AnvilProcess::start(options);
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        auto deployed = devnet::deploy_morpho_devnet(*client_, *owner_, devnet::default_morpho_devnet_options());
        ASSERT_TRUE(deployed) << deployed.error().message;
        good_ = *deployed;
        auto token = devnet::deploy_poisonable_token(*client_, *owner_, "Poisoned Dollar", "PSN");
        ASSERT_TRUE(token) << token.error().message;
        auto added = devnet::add_morpho_market(*client_, *owner_, good_, *token);
        ASSERT_TRUE(added) << added.error().message;
        poisoned_ = *added;
        ASSERT_NE(poisoned_.market_id, good_.market_id);

        auto opened = devnet::open_borrowers(*client_, *owner_, good_, spread(kGoodBorrowers), 60);
        ASSERT_TRUE(opened) << opened.error().message;
        good_borrowers_ = *opened;
        opened = devnet::open_borrowers(*client_, *owner_, poisoned_, spread(kPoisonedBorrowers), 60);
        ASSERT_TRUE(opened) << opened.error().message;
        poisoned_borrowers_ = *opened;

        liquidator_ = testing::dev_accounts()[1].address();
        for (const auto* market : {&good_, &poisoned_})
            ASSERT_TRUE(devnet::mint(*client_, *owner_, market->params.loan_token, liquidator_,
                                     dec("1000000000000000000000000")));

        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-poison-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::ofstream(config_path()) << config_text();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // The devnet's Morpho, after any other protocols listed before it (they are followed in this order).
    std::string config_text(const std::vector<Address>& morphos_before = {}) const {
        // confirmations = 1: anvil mines only when a transaction arrives (the default is 3)
        std::string text = "state_dir = \"" + (dir_ / "state").string() + "\"\n" +
                           "[strategy]\nconfirmations = 1\n" + "[chain]\nrpc = [\"" +
                           anvil_->url() + "\"]\npoll_interval_ms = 100\nchain_id = 31337\n" +
                           "[signer]\nprivate_key_env = \"KEEPER_E2E_KEY\"\n";
        std::vector<Address> morphos = morphos_before;
        morphos.push_back(good_.contracts.morpho);
        for (const auto& m : morphos)
            text += "[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" + m.checksummed() +
                    "\"\nstart_block = " + std::to_string(good_.deploy_block) + "\n";
        return text;
    }
    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_E2E_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    // The contract's own verdict: liquidate(1 unit) reverts with "position
    // is healthy" exactly when _isHealthy holds.
    std::set<Address> contract_liquidatable(const devnet::MorphoDevnet& market, const std::vector<Address>& borrowers) {
        std::set<Address> out;
        for (const auto& b : borrowers) {
            const Bytes data = mb::encode_liquidate(market.params, b, U256(1), U256());
            auto answer = client_->eth_call(
                chain::CallRequest{liquidator_, market.contracts.morpho, data, std::nullopt, std::nullopt});
            if (answer || answer.error().message.find("position is healthy") == std::string::npos) out.insert(b);
        }
        return out;
    }

    // Borrowers liquidated on chain, by market.
    std::map<Bytes32, std::map<Address, int>> liquidated() {
        const auto head = client_->block_number().value();
        chain::LogFilter filter{{good_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(*client_, filter, chain::BlockRange{good_.deploy_block, head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        std::map<Bytes32, std::map<Address, int>> out;
        for (const auto& log : logs.value_or(std::vector<chain::Log>{})) {
            auto event = mb::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event)) ++out[liq->id][liq->borrower];
        }
        return out;
    }
    std::set<Address> liquidated_in(const devnet::MorphoDevnet& market) {
        std::set<Address> out;
        const auto all = liquidated();
        const auto in_market = all.find(market.market_id);
        if (in_market == all.end()) return out;
        for (const auto& [borrower, n] : in_market->second) {
            EXPECT_EQ(n, 1) << borrower.checksummed() << " liquidated more than once";
            out.insert(borrower);
        }
        return out;
    }
    bool wait_until_liquidated(const devnet::MorphoDevnet& market, const std::set<Address>& expected,
                               std::chrono::seconds deadline) {
        const auto until = std::chrono::steady_clock::now() + deadline;
        while (std::chrono::steady_clock::now() < until) {
            if (liquidated_in(market) == expected) return true;
            std::this_thread::sleep_for(250ms);
        }
        return false;
    }
    // New heads one by one, slowly enough for the keeper (polling every 100 ms) to run a round on each.
    void mine_blocks(int n) {
        for (int i = 0; i < n; ++i) {
            ASSERT_TRUE(keeper::devnet::evm_mine(*client_));
            std::this_thread::sleep_for(300ms);
        }
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    devnet::MorphoDevnet good_, poisoned_;
    std::vector<Address> good_borrowers_, poisoned_borrowers_;
    Address liquidator_;
    std::filesystem::path dir_;
};

TEST_F(PoisonedMarketTest, APoisonedLoanTokenCostsOnlyItsOwnMarketAndIsLoggedOnce) {
    ASSERT_TRUE(devnet::set_token_poisoned(*client_, *owner_, poisoned_.params.loan_token, true));
    ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, good_, price("90")));  // one oracle moves both markets
    const std::set<Address> good_expected = contract_liquidatable(good_, good_borrowers_);
    const std::set<Address> poisoned_expected = contract_liquidatable(poisoned_, poisoned_borrowers_);
    ASSERT_GE(good_expected.size(), 8u);
    ASSERT_GE(poisoned_expected.size(), 5u);

    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "poisoned");
    ASSERT_TRUE(wait_until_liquidated(good_, good_expected, 90s))
        << liquidated_in(good_).size() << " of " << good_expected.size()
        << " liquidatable positions of the good market liquidated\n"
        << daemon.err();
    // Rounds go on at every new head; the poisoned token is tried again with backoff.
    mine_blocks(25);
    ASSERT_FALSE(daemon.wait(0ms).has_value()) << "the daemon stopped\n" << daemon.err();

    const std::string log = daemon.err();
    EXPECT_EQ(count_of(log, kPoisonRevert), 1u) << "the poisoned market's error is logged once, not every round\n"
                                                << log;
    EXPECT_EQ(count_of(log, "round failed"), 0u) << log;
    EXPECT_NE(log.find(poisoned_.market_id.hex()), std::string::npos) << "the error names the market\n" << log;
    EXPECT_TRUE(liquidated_in(poisoned_).empty());
    EXPECT_EQ(contract_liquidatable(poisoned_, poisoned_borrowers_), poisoned_expected);
    // The round line counts what errors left out.
    const std::regex skipped_line(R"((\d+) skipped on errors)");
    std::size_t most_skipped = 0;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), skipped_line); it != std::sregex_iterator(); ++it)
        most_skipped = std::max<std::size_t>(most_skipped, std::stoul((*it)[1].str()));
    EXPECT_GE(most_skipped, poisoned_expected.size()) << log;

    // The token answers again: within the backoff (at most 64 blocks) the
    // keeper tries it, says so, and liquidates that market too.
    ASSERT_TRUE(devnet::set_token_poisoned(*client_, *owner_, poisoned_.params.loan_token, false));
    ASSERT_TRUE(client_->call("anvil_mine", nlohmann::json::array({"0x41"})));  // 65 blocks
    ASSERT_TRUE(daemon.wait_for_log("works again", 60s)) << daemon.err();
    const std::set<Address> now_expected = contract_liquidatable(poisoned_, poisoned_borrowers_);
    EXPECT_TRUE(std::includes(now_expected.begin(), now_expected.end(), poisoned_expected.begin(),
                              poisoned_expected.end()));
    EXPECT_TRUE(wait_until_liquidated(poisoned_, now_expected, 60s))
        << liquidated_in(poisoned_).size() << " of " << now_expected.size() << "\n"
        << daemon.err();
    EXPECT_EQ(liquidated_in(good_), good_expected);

    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM";
    EXPECT_EQ(*code, 0) << daemon.err();
}

// A protocol that cannot be followed (here a "Morpho" at an address that
// emits a log the keeper must refuse to decode, listed first so main's round
// stopped before the good one acted) is reported once and left out; the
// other protocol is followed and liquidated as if it were alone.
TEST_F(PoisonedMarketTest, AProtocolThatCannotBeFollowedDoesNotStopTheOthers) {
    auto compiled = devnet::compile_contract(devnet::contract_source("MalformedLogEmitter.sol"), "MalformedLogEmitter");
    ASSERT_TRUE(compiled) << compiled.error().message;
    auto emitter = devnet::deploy_contract(*client_, *owner_, compiled->init_code, 1'000'000);
    ASSERT_TRUE(emitter) << emitter.error().message;
    const std::string broken_key = "morpho-blue@" + emitter->hex();
    std::ofstream(config_path()) << config_text({*emitter});

    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "broken-protocol");
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 60s)) << daemon.err();
    const auto emit = abi::parse_function("emitMalformed(bytes32)").value();
    Bytes data(emit.selector.begin(), emit.selector.end());
    const Bytes32& supply_topic = mb::followed_topics()[1];  // Supply's topic0, logged without its data
    data.insert(data.end(), supply_topic.bytes.begin(), supply_topic.bytes.end());
    auto emitted = devnet::send_and_wait(*client_, *owner_, *emitter, data, 100'000);
    ASSERT_TRUE(emitted && emitted->success);

    ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, good_, price("90")));
    const std::set<Address> expected = contract_liquidatable(good_, good_borrowers_);
    ASSERT_GE(expected.size(), 8u);
    ASSERT_TRUE(wait_until_liquidated(good_, expected, 90s))
        << liquidated_in(good_).size() << " of " << expected.size() << " liquidated\n"
        << daemon.err();
    mine_blocks(10);
    ASSERT_FALSE(daemon.wait(0ms).has_value()) << "the daemon stopped\n" << daemon.err();
    const std::string log = daemon.err();
    EXPECT_EQ(count_of(log, broken_key + ": following"), 1u) << "logged once, not every round\n" << log;
    EXPECT_EQ(count_of(log, "round failed"), 0u) << log;

    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM";
    EXPECT_EQ(*code, 0) << daemon.err();
}

// The liquidator remembers, per piece of work, the block its liquidation
// settled in, what it last reported, and which record a journal entry
// fills. Once every liquidation is final and the book has applied its block,
// none of that is needed: a daemon that runs for months must not keep it.
TEST_F(PoisonedMarketTest, LiquidatorMemoryIsEmptyOnceEveryLiquidationIsFinal) {
    ASSERT_TRUE(devnet::set_oracle_price(*client_, *owner_, good_, price("90")));
    const std::size_t expected = contract_liquidatable(good_, good_borrowers_).size() +
                                 contract_liquidatable(poisoned_, poisoned_borrowers_).size();
    auto config = config::parse_config(config_text(), "test");
    ASSERT_TRUE(config) << config.error().message;
    auto signer = chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex);
    ASSERT_TRUE(signer);
    app::KeeperOptions options;
    options.mode = app::KeeperMode::live;
    auto keeper = app::Keeper::open(*config, options, std::move(*signer));
    ASSERT_TRUE(keeper) << keeper.error().message;

    auto settled = app::tick_until_quiet(**keeper);
    ASSERT_TRUE(settled) << settled.error().message;
    ASSERT_EQ((*keeper)->records().size(), expected);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(keeper::devnet::evm_mine(*client_));
        auto report = (*keeper)->tick();
        ASSERT_TRUE(report) << report.error().message;
        EXPECT_EQ(report->liquidatable, 0u);
    }
    const app::LiquidatorMemory memory = (*keeper)->liquidator_memory();
    EXPECT_EQ(memory.settled, 0u) << "settle blocks the book has applied";
    EXPECT_EQ(memory.reported, 0u) << "reports about positions no longer liquidatable";
    EXPECT_EQ(memory.journal_records, 0u) << "journal entries that are final";
    EXPECT_EQ(memory.failures, 0u);
    EXPECT_EQ((*keeper)->records().size(), expected) << "the session's records stay";
}

}  // namespace poisoned_market_test
}  // namespace keeper

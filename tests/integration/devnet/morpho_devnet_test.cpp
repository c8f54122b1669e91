// A real Morpho Blue market on anvil: deploy_morpho_devnet creates and funds
// one market (price 1e36, LLTV 0.86, 1e30 loan tokens supplied);
// open_borrowers opens 150 borrowers through BorrowerFleet, each with 1000e18
// collateral and 500e18..850e18 borrowed (all healthy, the riskiest at
// 850/860 of its limit). Morpho's own getters then answer what was asked for.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_words.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/morpho_devnet.hpp"

namespace keeper::devnet {
namespace morpho_devnet_test {

U256 e18(std::uint64_t units) { return U256(units) * U256::pow10(18); }

abi::Value word(const Bytes32& id) { return abi::Value(Bytes(id.bytes.begin(), id.bytes.end())); }

// 150 borrowers: 1000e18 collateral each, borrowing 500e18 + i * (350e18 / 149).
std::vector<BorrowerSpec> varied_health(std::size_t count) {
    std::vector<BorrowerSpec> specs;
    for (std::size_t i = 0; i < count; ++i)
        specs.push_back({.collateral = e18(1000), .borrow_assets = e18(500) + e18(350) * U256(i) / U256(count - 1)});
    return specs;
}

class MorphoDevnetOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value());
    }

    MorphoDevnet deploy(const MorphoDevnetOptions& options = default_morpho_devnet_options()) {
        auto devnet = deploy_morpho_devnet(*client_, *owner_, options);
        EXPECT_TRUE(devnet.has_value()) << devnet.error().message;
        return devnet.has_value() ? *devnet : MorphoDevnet{};
    }

    Bytes call(const Address& to, std::string_view signature, const std::vector<abi::Value>& args = {}) {
        chain::CallRequest request{.from = std::nullopt, .to = to, .data = abi::encode_call(signature, args).value(),
                                   .value = std::nullopt, .gas = std::nullopt};
        auto out = client_->eth_call(request);
        EXPECT_TRUE(out.has_value()) << signature << ": " << out.error().message;
        return out.has_value() ? *out : Bytes(32 * 8, 0);
    }
    U256 uint_at(const Bytes& out, std::size_t index) { return abi::read_uint256(out, index).value(); }

    // Gas of every transaction in which the fleet emitted BorrowerOpened.
    U256 fleet_gas_used(const MorphoDevnet& devnet) {
        const nlohmann::json filter{{"address", devnet.contracts.fleet.hex()},
                                    {"fromBlock", "0x0"},
                                    {"toBlock", "latest"},
                                    {"topics", {event_topic("BorrowerOpened(address,uint256,uint256)").hex()}}};
        const auto logs = client_->call("eth_getLogs", nlohmann::json::array({filter})).value();
        std::set<std::string> transactions;
        for (const auto& log : logs) transactions.insert(log.at("transactionHash").get<std::string>());
        U256 gas;
        for (const auto& hash : transactions) {
            const auto receipt = client_->get_transaction_receipt(Bytes32::from_hex(hash).value()).value();
            if (receipt) gas += receipt->gas_used;
        }
        return gas;
    }

    std::optional<AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
};

TEST_F(MorphoDevnetOnAnvil, CreatesTheMarketItDescribesWithTheOwnersLiquidity) {
    const MorphoDevnet devnet = deploy();
    const auto& c = devnet.contracts;
    ASSERT_NE(c.morpho, Address());
    EXPECT_NE(c.irm, Address());
    EXPECT_GT(devnet.deploy_block, 0u);

    const Bytes params = call(c.morpho, "idToMarketParams(bytes32)", {word(devnet.market_id)});
    EXPECT_EQ(abi::read_address(params, 0).value(), c.loan_token);
    EXPECT_EQ(abi::read_address(params, 1).value(), c.collateral_token);
    EXPECT_EQ(abi::read_address(params, 2).value(), c.oracle);
    EXPECT_EQ(abi::read_address(params, 3).value(), c.irm);
    EXPECT_EQ(uint_at(params, 4), U256::pow10(16) * U256(86));
    EXPECT_EQ(abi::read_address(call(c.morpho, "owner()"), 0).value(), chain::address_of(*owner_));

    // market(id): totalSupplyAssets = the owner's 1e30, nothing borrowed yet.
    const Bytes market = call(c.morpho, "market(bytes32)", {word(devnet.market_id)});
    EXPECT_EQ(uint_at(market, 0), U256::pow10(30));
    EXPECT_EQ(uint_at(market, 2), U256());
    EXPECT_EQ(uint_at(call(c.oracle, "price()"), 0), U256::pow10(36));
}

TEST_F(MorphoDevnetOnAnvil, Opens150BorrowersInBatchesWithExactCollateral) {
    const MorphoDevnet devnet = deploy();
    const std::vector<BorrowerSpec> specs = varied_health(150);
    std::vector<std::size_t> progress;
    auto borrowers = open_borrowers(*client_, *owner_, devnet, specs, 60,
                                    [&](std::size_t done, std::size_t total) {
                                        EXPECT_EQ(total, 150u);
                                        progress.push_back(done);
                                    });
    ASSERT_TRUE(borrowers.has_value()) << borrowers.error().message;
    ASSERT_EQ(borrowers->size(), 150u);
    EXPECT_EQ(std::set<Address>(borrowers->begin(), borrowers->end()).size(), 150u);
    EXPECT_EQ(progress, (std::vector<std::size_t>{60, 120, 150}));

    // position(id, borrower) = (supplyShares, borrowShares, collateral).
    for (std::size_t i : {0u, 1u, 59u, 60u, 100u, 149u}) {
        SCOPED_TRACE(i);
        const Bytes position = call(devnet.contracts.morpho, "position(bytes32,address)",
                                    {word(devnet.market_id), (*borrowers)[i]});
        EXPECT_EQ(uint_at(position, 0), U256());
        EXPECT_NE(uint_at(position, 1), U256());
        EXPECT_EQ(uint_at(position, 2), e18(1000));
    }
    // The market's first borrow mints shares at 1e6 per asset (virtual shares):
    // 500e18 borrowed -> 500e24 shares.
    const Bytes first = call(devnet.contracts.morpho, "position(bytes32,address)",
                             {word(devnet.market_id), borrowers->front()});
    EXPECT_EQ(uint_at(first, 1), e18(500) * U256::pow10(6));

    // Every borrow reached the market: total borrow assets >= the sum asked
    // for (interest may have accrued between blocks), the loans went to the owner.
    U256 asked;
    for (const auto& spec : specs) asked += spec.borrow_assets;
    const Bytes market = call(devnet.contracts.morpho, "market(bytes32)", {word(devnet.market_id)});
    EXPECT_GE(uint_at(market, 2), asked);
    EXPECT_EQ(uint_at(call(devnet.contracts.loan_token, "balanceOf(address)", {chain::address_of(*owner_)}), 0), asked);

    // Each borrower costs less than the 200k gas open_borrowers budgets for it
    // when it sizes a batch (measured: about 126k).
    const U256 gas = fleet_gas_used(devnet);
    RecordProperty("gas_per_borrower", (gas / U256(150)).to_dec());
    EXPECT_LT(gas / U256(150), U256(200'000));
}

// At 200k gas budgeted per borrower (+300k per batch), anvil's default 30M
// block fits 148 per transaction, a 100M block all 160.
TEST_F(MorphoDevnetOnAnvil, BatchesShrinkToFitTheBlockGasLimit) {
    std::vector<std::size_t> progress;
    const auto record = [&](std::size_t done, std::size_t) { progress.push_back(done); };
    const std::vector<BorrowerSpec> specs = varied_health(160);
    const MorphoDevnet devnet = deploy();
    ASSERT_TRUE(open_borrowers(*client_, *owner_, devnet, specs, 1000, record).has_value());
    EXPECT_EQ(progress, (std::vector<std::size_t>{148, 160}));

    anvil_.reset();
    auto big_blocks = AnvilProcess::start({.chain_id = std::nullopt, .block_time_s = std::nullopt, .no_mining = false,
                                           .fork_url = std::nullopt, .fork_block_number = std::nullopt,
                                           .extra_args = {"--gas-limit", "100000000"},
                                           .start_timeout = std::chrono::milliseconds(20000)});
    ASSERT_TRUE(big_blocks.has_value()) << big_blocks.error().message;
    anvil_.emplace(std::move(*big_blocks));
    client_.emplace(chain::make_http_client(anvil_->url()));
    progress.clear();
    const MorphoDevnet roomy = deploy();
    ASSERT_TRUE(open_borrowers(*client_, *owner_, roomy, specs, 1000, record).has_value());
    EXPECT_EQ(progress, (std::vector<std::size_t>{160}));
}

TEST_F(MorphoDevnetOnAnvil, ABorrowPastTheLltvRevertsItsBatchWithMorphosReason) {
    const MorphoDevnet devnet = deploy();
    // 1000e18 collateral at price 1 and LLTV 0.86 carries at most 860e18.
    const std::vector<BorrowerSpec> specs{{.collateral = e18(1000), .borrow_assets = e18(861)}};
    auto borrowers = open_borrowers(*client_, *owner_, devnet, specs);
    ASSERT_FALSE(borrowers.has_value());
    EXPECT_NE(borrowers.error().message.find("open_borrowers [0, 1)"), std::string::npos) << borrowers.error().message;
    EXPECT_NE(borrowers.error().message.find("insufficient collateral"), std::string::npos)
        << borrowers.error().message;
}

TEST_F(MorphoDevnetOnAnvil, OraclePriceMintAndApproveChangeWhatTheContractsAnswer) {
    MorphoDevnetOptions options = default_morpho_devnet_options();
    options.with_irm = false;
    const MorphoDevnet devnet = deploy(options);
    const auto& c = devnet.contracts;
    EXPECT_EQ(c.irm, Address());
    EXPECT_EQ(abi::read_address(call(c.morpho, "idToMarketParams(bytes32)", {word(devnet.market_id)}), 3).value(),
              Address());

    ASSERT_TRUE(set_oracle_price(*client_, *owner_, devnet, U256::pow10(35) * U256(5)).has_value());
    EXPECT_EQ(uint_at(call(c.oracle, "price()"), 0), U256::pow10(35) * U256(5));

    // mint adds to the balance: 123e18 twice is 246e18.
    const Address holder = dev_accounts()[2].address();
    ASSERT_TRUE(mint(*client_, *owner_, c.loan_token, holder, e18(123)).has_value());
    ASSERT_TRUE(mint(*client_, *owner_, c.loan_token, holder, e18(123)).has_value());
    EXPECT_EQ(uint_at(call(c.loan_token, "balanceOf(address)", {holder}), 0), e18(246));

    const auto holder_key = chain::PrivateKey::from_hex(dev_accounts()[2].private_key_hex).value();
    ASSERT_TRUE(approve(*client_, holder_key, c.loan_token, c.morpho, e18(77)).has_value());
    EXPECT_EQ(uint_at(call(c.loan_token, "allowance(address,address)", {holder, c.morpho}), 0), e18(77));
}

}  // namespace morpho_devnet_test
}  // namespace keeper::devnet

// The Morpho Blue adapter against the real contract: Morpho.sol 1.0.0 from
// the pinned sources on anvil, two markets (one with an IRM, one without)
// taken through supply, collateral, borrow, interest, a fee change, repay,
// withdrawals and two liquidations (one leaving bad debt). The book rebuilt
// from the node's logs must equal the contract's own position() for every
// account, and read_markets must equal market(id) and the oracles.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/morpho/morpho_reader.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/abi_signature.hpp"
#include "margin/morpho_book.hpp"
#include "support/anvil_process.hpp"
#include "support/dev_chain.hpp"
#include "support/solidity_compiler.hpp"

namespace keeper::chain::morpho_blue {
namespace morpho_reader_anvil_test {

namespace fs = std::filesystem;
using abi::Value;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;
using morpho::MarketId;
using morpho::MarketParams;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
U256 e(unsigned exponent) { return U256::pow10(exponent); }

const fs::path kRepoRoot = KEEPER_REPO_ROOT;
const fs::path kMorphoSources = kRepoRoot / ".tools/node_modules/@morpho-org/morpho-blue/src";
const fs::path kMocks = KEEPER_MORPHO_READER_MOCKS;

Value params_value(const MarketParams& p) {
    return Value(Value::List{p.loan_token, p.collateral_token, p.oracle, p.irm, p.lltv_wad});
}

class MorphoOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(make_http_client(anvil_->url()));
        for (std::size_t i = 0; i < 4; ++i) keys_.push_back(PrivateKey::from_hex(dev_accounts()[i].private_key_hex).value());
    }

    Address account(std::size_t i) const { return dev_accounts()[i].address(); }

    Receipt send(std::size_t from, std::optional<Address> to, Bytes data, std::uint64_t gas = 1'000'000) {
        auto receipt = keeper::testing::send_and_wait(*client_, keys_[from], to, std::move(data), gas);
        if (!receipt) {
            ADD_FAILURE() << receipt.error().message;
            return Receipt{};
        }
        EXPECT_TRUE(receipt->success) << "transaction reverted";
        return *receipt;
    }

    // Deploys `contract` from `source` with ABI-encoded constructor arguments appended.
    Address deploy(const fs::path& source, const char* contract, const Bytes& constructor_args = {}) {
        auto compiled = keeper::testing::compile_contract(source.string(), contract);
        if (!compiled) {
            ADD_FAILURE() << compiled.error().message;
            return Address{};
        }
        Bytes init = compiled->init_code;
        append(init, constructor_args);
        const Receipt r = send(0, std::nullopt, std::move(init), 8'000'000);
        if (!r.contract_address) ADD_FAILURE() << contract << " not deployed";
        return r.contract_address.value_or(Address{});
    }

    void call(std::size_t from, const Address& to, const char* signature, std::vector<Value> args) {
        auto data = abi::encode_call(signature, args);
        ASSERT_TRUE(data.has_value()) << signature << ": " << data.error().message;
        send(from, to, std::move(*data));
    }

    Bytes eth_call(const Address& to, Bytes data, std::uint64_t block) {
        CallRequest request;
        request.to = to;
        request.data = std::move(data);
        auto r = client_->eth_call(request, BlockId::number(block));
        if (!r) ADD_FAILURE() << r.error().message;
        return r.value_or(Bytes{});
    }

    std::uint64_t head() { return client_->block_number().value(); }

    std::optional<AnvilProcess> anvil_;
    std::optional<JsonRpcClient> client_;
    std::vector<PrivateKey> keys_;
};

TEST_F(MorphoOnAnvil, BookFromLogsEqualsTheContractAndReadMarketsEqualsItsViews) {
    // dev 0 owns Morpho, dev 1 supplies, dev 2 borrows, dev 3 liquidates.
    const Address owner = account(0), supplier = account(1), borrower = account(2), liquidator = account(3);
    Bytes owner_word(12, 0);
    append(owner_word, owner.bytes);
    const Address morpho = deploy(kMorphoSources / "Morpho.sol", "Morpho", owner_word);
    const Address loan = deploy(kMocks, "ERC20Mock");        // 6 decimals by convention (USDC)
    const Address collateral = deploy(kMocks, "ERC20Mock");  // 18 decimals (WETH)
    const Address oracle_a = deploy(kMocks, "OracleMock");
    const Address oracle_b = deploy(kMocks, "OracleMock");
    const Address irm = deploy(kMocks, "IrmMock");
    ASSERT_FALSE(HasFailure());

    const U256 lltv = n("860000000000000000");
    const MarketParams a{loan, collateral, oracle_a, irm, lltv};
    const MarketParams b{loan, collateral, oracle_b, Address{}, lltv};  // no interest
    const MarketId id_a = morpho::market_id(a);
    const MarketId id_b = morpho::market_id(b);

    // 2000 USDC per WETH: 2000e6 * 1e36 / 1e18 = 2e27.
    call(0, oracle_a, "setPrice(uint256)", {2 * e(27)});
    call(0, oracle_b, "setPrice(uint256)", {2 * e(27)});
    call(0, morpho, "enableIrm(address)", {irm});
    call(0, morpho, "enableIrm(address)", {Address{}});
    call(0, morpho, "enableLltv(uint256)", {lltv});
    const char* const create = "createMarket((address,address,address,address,uint256))";
    call(0, morpho, create, {params_value(a)});
    call(0, morpho, create, {params_value(b)});

    // Funding: every actor approves Morpho for both tokens.
    for (std::size_t i = 1; i <= 3; ++i) {
        call(0, loan, "setBalance(address,uint256)", {account(i), e(12)});
        call(i, loan, "approve(address,uint256)", {morpho, U256::max()});
        call(i, collateral, "approve(address,uint256)", {morpho, U256::max()});
    }
    call(0, collateral, "setBalance(address,uint256)", {borrower, 10 * e(18)});

    const char* const supply = "supply((address,address,address,address,uint256),uint256,uint256,address,bytes)";
    const char* const supply_collateral = "supplyCollateral((address,address,address,address,uint256),uint256,address,bytes)";
    const char* const borrow = "borrow((address,address,address,address,uint256),uint256,uint256,address,address)";
    call(1, morpho, supply, {params_value(a), 100'000 * e(6), U256(0), supplier, Bytes{}});
    call(1, morpho, supply, {params_value(b), 50'000 * e(6), U256(0), supplier, Bytes{}});
    call(2, morpho, supply_collateral, {params_value(a), 2 * e(18), borrower, Bytes{}});
    call(2, morpho, supply_collateral, {params_value(b), e(18), borrower, Bytes{}});
    call(2, morpho, borrow, {params_value(a), 3000 * e(6), U256(0), borrower, borrower});
    call(2, morpho, borrow, {params_value(b), 500 * e(6), U256(0), borrower, borrower});
    const std::uint64_t before_crash = head();

    // A month of interest in market A, accrued by the fee change.
    ASSERT_TRUE(client_->call("evm_increaseTime", nlohmann::json::array({30 * 24 * 3600})).has_value());
    call(0, morpho, "setFee((address,address,address,address,uint256),uint256)", {params_value(a), e(17)});
    call(2, morpho, "repay((address,address,address,address,uint256),uint256,uint256,address,bytes)",
         {params_value(a), 1000 * e(6), U256(0), borrower, Bytes{}});
    call(1, morpho, "withdraw((address,address,address,address,uint256),uint256,uint256,address,address)",
         {params_value(a), 10'000 * e(6), U256(0), supplier, supplier});
    call(2, morpho, "withdrawCollateral((address,address,address,address,uint256),uint256,address,address)",
         {params_value(a), e(17), borrower, borrower});

    // The price falls: A's borrower (1.9 WETH, ~2000 USDC owed) is liquidatable below
    // ~1224 USDC, B's (1 WETH, 500 owed) below ~581.
    call(0, oracle_a, "setPrice(uint256)", {e(27)});   // 1000 USDC per WETH
    call(0, oracle_b, "setPrice(uint256)", {e(26)});   // 100 USDC per WETH
    const char* const liquidate = "liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)";
    call(3, morpho, liquidate, {params_value(a), borrower, 5 * e(17), U256(0), Bytes{}});  // part of the collateral
    call(3, morpho, liquidate, {params_value(b), borrower, e(18), U256(0), Bytes{}});      // all of it: bad debt
    ASSERT_FALSE(HasFailure());
    const std::uint64_t last = head();

    // Every Morpho log of the followed events, decoded and applied in order.
    auto logs = get_logs(*client_, LogFilter{{morpho}, followed_topics()}, BlockRange{0, last});
    ASSERT_TRUE(logs.has_value()) << logs.error().message;
    morpho::MorphoBook book;
    std::map<std::string, int> counts;
    for (const Log& log : *logs) {
        auto event = decode_event(log);
        ASSERT_TRUE(event.has_value()) << event.error().message;
        ASSERT_TRUE(event->has_value()) << "a followed topic was not decoded";
        ++counts[morpho::event_name(**event)];
        auto applied = book.apply(*log.block_number, **event);
        ASSERT_TRUE(applied.has_value()) << applied.error().message;
    }
    EXPECT_EQ(counts["CreateMarket"], 2);
    EXPECT_EQ(counts["Supply"], 2);
    EXPECT_EQ(counts["SupplyCollateral"], 2);
    EXPECT_EQ(counts["Borrow"], 2);
    EXPECT_EQ(counts["Repay"], 1);
    EXPECT_EQ(counts["Withdraw"], 1);
    EXPECT_EQ(counts["WithdrawCollateral"], 1);
    EXPECT_EQ(counts["Liquidate"], 2);
    EXPECT_EQ(counts["SetFee"], 1);
    EXPECT_GE(counts["AccrueInterest"], 1);  // market A only: B has no IRM

    // The book holds exactly what the contract holds, for every account that acted.
    for (const MarketId& id : {id_a, id_b}) {
        const MarketParams* params = book.market(id);
        ASSERT_NE(params, nullptr);
        auto on_chain = decode_market_params(eth_call(morpho, encode_id_to_market_params(id), last));
        ASSERT_TRUE(on_chain.has_value()) << on_chain.error().message;
        EXPECT_TRUE(morpho::same_params(*params, *on_chain));
        for (const Address& user : {owner, supplier, borrower, liquidator}) {
            auto chain_position = decode_position(eth_call(morpho, encode_position(id, user), last));
            ASSERT_TRUE(chain_position.has_value()) << chain_position.error().message;
            const morpho::Position* kept = book.position(id, user);
            EXPECT_EQ(kept ? *kept : morpho::Position{}, *chain_position) << id.hex() << " " << user.checksummed();
        }
    }
    // The liquidations did what they were meant to: A's borrower keeps 1.4 WETH and
    // debt, B's position is gone (its remaining shares written off as bad debt).
    ASSERT_NE(book.position(id_a, borrower), nullptr);
    EXPECT_EQ(book.position(id_a, borrower)->collateral, 14 * e(17));
    EXPECT_FALSE(book.position(id_a, borrower)->borrow_shares.is_zero());
    EXPECT_EQ(book.position(id_b, borrower), nullptr);
    EXPECT_EQ(book.position_count(), 3u);  // supplier in A and B, borrower in A

    // The events we do not follow (SetOwner, EnableIrm x2, EnableLltv) decode to nothing.
    auto all = get_logs(*client_, LogFilter{{morpho}, {}}, BlockRange{0, last});
    ASSERT_TRUE(all.has_value()) << all.error().message;
    int unfollowed = 0;
    for (const Log& log : *all) {
        auto event = decode_event(log);
        ASSERT_TRUE(event.has_value()) << event.error().message;
        if (!event->has_value()) ++unfollowed;
    }
    EXPECT_EQ(unfollowed, 4);
    EXPECT_EQ(all->size(), logs->size() + 4);

    // read_markets at the last block equals market(id), the oracles and IrmMock's rule.
    const std::vector<std::pair<MarketId, MarketParams>> markets{{id_a, a}, {id_b, b}};
    auto readings = read_markets(*client_, morpho, markets, last);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(readings->size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        ASSERT_TRUE((*readings)[i].has_value()) << (*readings)[i].error().message;
        auto state = decode_market(eth_call(morpho, encode_market(markets[i].first), last));
        ASSERT_TRUE(state.has_value()) << state.error().message;
        EXPECT_EQ((*readings)[i]->state, *state);
    }
    const auto& ra = *(*readings)[0];
    const auto& rb = *(*readings)[1];
    EXPECT_EQ(ra.price_1e36, e(27));
    EXPECT_EQ(rb.price_1e36, e(26));
    EXPECT_EQ(ra.state.fee_wad, e(17));
    // IrmMock: utilization (borrow * 1e18 / supply) / 365 days.
    const U256 utilization_wad = ra.state.total_borrow_assets * e(18) / ra.state.total_supply_assets;
    EXPECT_EQ(ra.borrow_rate_wad, utilization_wad / U256(365 * 24 * 3600));
    EXPECT_FALSE(ra.borrow_rate_wad.is_zero());
    EXPECT_EQ(rb.borrow_rate_wad, U256(0));

    // Pinned to a block: before the crash both oracles said 2000 USDC.
    auto earlier = read_markets(*client_, morpho, markets, before_crash);
    ASSERT_TRUE(earlier.has_value()) << earlier.error().message;
    ASSERT_TRUE((*earlier)[0].has_value() && (*earlier)[1].has_value());
    EXPECT_EQ((*earlier)[0]->price_1e36, 2 * e(27));
    EXPECT_EQ((*earlier)[1]->price_1e36, 2 * e(27));
    EXPECT_EQ((*earlier)[0]->state.fee_wad, U256(0));

    // A market that does not exist is that market's error, not the read's.
    MarketParams missing = a;
    missing.lltv_wad = n("945000000000000000");
    const std::vector<std::pair<MarketId, MarketParams>> with_missing{{id_a, a}, {morpho::market_id(missing), missing}};
    auto partial = read_markets(*client_, morpho, with_missing, last);
    ASSERT_TRUE(partial.has_value()) << partial.error().message;
    EXPECT_TRUE((*partial)[0].has_value());
    ASSERT_FALSE((*partial)[1].has_value());
    EXPECT_NE((*partial)[1].error().message.find("not created"), std::string::npos) << (*partial)[1].error().message;
}

TEST_F(MorphoOnAnvil, RollingBackTheBookMatchesTheChainAtThatBlock) {
    // A reorg-shaped check: the book rolled back to block k equals position() read at k.
    const Address owner = account(0), borrower = account(2);
    Bytes owner_word(12, 0);
    append(owner_word, owner.bytes);
    const Address morpho = deploy(kMorphoSources / "Morpho.sol", "Morpho", owner_word);
    const Address loan = deploy(kMocks, "ERC20Mock");
    const Address collateral = deploy(kMocks, "ERC20Mock");
    const Address oracle = deploy(kMocks, "OracleMock");
    ASSERT_FALSE(HasFailure());
    const MarketParams p{loan, collateral, oracle, Address{}, n("860000000000000000")};
    const MarketId id = morpho::market_id(p);
    call(0, morpho, "enableIrm(address)", {Address{}});
    call(0, morpho, "enableLltv(uint256)", {p.lltv_wad});
    call(0, morpho, "createMarket((address,address,address,address,uint256))", {params_value(p)});
    call(0, collateral, "setBalance(address,uint256)", {borrower, 10 * e(18)});
    call(2, collateral, "approve(address,uint256)", {morpho, U256::max()});

    const char* const supply_collateral = "supplyCollateral((address,address,address,address,uint256),uint256,address,bytes)";
    std::vector<std::uint64_t> blocks;
    for (int i = 1; i <= 3; ++i) {
        call(2, morpho, supply_collateral, {params_value(p), U256(static_cast<std::uint64_t>(i)) * e(18), borrower, Bytes{}});
        blocks.push_back(head());
    }
    ASSERT_FALSE(HasFailure());

    auto logs = get_logs(*client_, LogFilter{{morpho}, followed_topics()}, BlockRange{0, blocks.back()});
    ASSERT_TRUE(logs.has_value()) << logs.error().message;
    morpho::MorphoBook book;
    for (const Log& log : *logs) {
        auto event = decode_event(log);
        ASSERT_TRUE(event.has_value() && event->has_value());
        ASSERT_TRUE(book.apply(*log.block_number, **event).has_value());
    }
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
        book.rollback_after(*it);
        auto chain_position = decode_position(eth_call(morpho, encode_position(id, borrower), *it));
        ASSERT_TRUE(chain_position.has_value());
        const morpho::Position* kept = book.position(id, borrower);
        ASSERT_NE(kept, nullptr);
        EXPECT_EQ(*kept, *chain_position) << "block " << *it;
    }
    EXPECT_EQ(book.position(id, borrower)->collateral, e(18));  // 1 + 2 + 3 WETH, rolled back to the first
}

}  // namespace morpho_reader_anvil_test
}  // namespace keeper::chain::morpho_blue

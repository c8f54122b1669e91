// The Aave V3 adapter against solc's own encoding on anvil: AaveReaderMocks.sol
// has the 1.19.3 Pool's view signatures, structs and events (copied from
// DataTypes.sol and IPool.sol), a provider, an oracle and scaled tokens. What
// the reader returns must equal what was stored, at the block asked for, and
// every event the contract emits must decode to its arguments. The real
// market on anvil is src/keeper/devnet/aave_devnet (tested elsewhere).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "chain/aave/aave_reader.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/abi_signature.hpp"
#include "support/anvil_process.hpp"
#include "support/dev_chain.hpp"
#include "support/solidity_compiler.hpp"

namespace keeper::chain::aave_v3 {
namespace aave_reader_anvil_test {

namespace fs = std::filesystem;
using abi::Value;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }

const fs::path kMocks = KEEPER_AAVE_READER_MOCKS;
const char* const kReserveTuple =
    "((uint256),uint128,uint128,uint128,uint128,uint128,uint40,uint16,address,address,address,address,uint128,"
    "uint128,uint128)";

// The address left-padded to a 32-byte ABI word. Written in place: growing a
// 12-byte vector with append() makes GCC 12 at -O3 report a false
// -Warray-bounds inside memcpy (the Release build).
Bytes word_of(const Address& a) {
    Bytes w(32, 0);
    std::copy(a.bytes.begin(), a.bytes.end(), w.begin() + 12);
    return w;
}

class AaveReaderOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(make_http_client(anvil_->url()));
        key_ = PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value();
    }

    Receipt send(const std::optional<Address>& to, Bytes data, std::uint64_t gas = 3'000'000) {
        auto receipt = keeper::testing::send_and_wait(*client_, *key_, to, std::move(data), gas);
        if (!receipt) {
            ADD_FAILURE() << receipt.error().message;
            return Receipt{};
        }
        EXPECT_TRUE(receipt->success) << "transaction reverted";
        return *receipt;
    }

    Address deploy(const char* contract, const Bytes& constructor_args = {}) {
        auto compiled = keeper::testing::compile_contract(kMocks.string(), contract);
        if (!compiled) {
            ADD_FAILURE() << compiled.error().message;
            return Address{};
        }
        Bytes init = compiled->init_code;
        append(init, constructor_args);
        const Receipt r = send(std::nullopt, std::move(init), 8'000'000);
        if (!r.contract_address) ADD_FAILURE() << contract << " not deployed";
        return r.contract_address.value_or(Address{});
    }

    Receipt call(const Address& to, const std::string& signature, std::vector<Value> args) {
        auto data = abi::encode_call(signature, args);
        if (!data) {
            ADD_FAILURE() << signature << ": " << data.error().message;
            return Receipt{};
        }
        return send(to, std::move(*data));
    }

    void set_reserve(const Address& pool, const Address& asset, const ReserveDataReading& r) {
        const Value::List tuple{Value(Value::List{Value(r.configuration)}),
                                Value(r.liquidity_index_ray),
                                Value(r.current_liquidity_rate_ray),
                                Value(r.variable_borrow_index_ray),
                                Value(r.current_variable_borrow_rate_ray),
                                Value(r.current_stable_borrow_rate_ray),
                                Value(U256(r.last_update_timestamp)),
                                Value(U256(r.id)),
                                Value(r.a_token),
                                Value(r.stable_debt_token),
                                Value(r.variable_debt_token),
                                Value(r.interest_rate_strategy),
                                Value(r.accrued_to_treasury),
                                Value(r.unbacked),
                                Value(r.isolation_mode_total_debt)};
        call(pool, std::string("setReserve(address,") + kReserveTuple + ")", {Value(asset), Value(tuple)});
    }

    std::uint64_t head() { return client_->block_number().value(); }

    std::optional<AnvilProcess> anvil_;
    std::optional<JsonRpcClient> client_;
    std::optional<PrivateKey> key_;
};

TEST_F(AaveReaderOnAnvil, ReadsWhatThePoolStoresAtTheBlockAskedFor) {
    const Address pool = deploy("PoolMock");
    const Address oracle = deploy("OracleMock");
    Bytes provider_args = word_of(pool);
    append(provider_args, word_of(oracle));
    const Address provider = deploy("ProviderMock", provider_args);
    // aToken, stable and variable debt token per reserve.
    Address tokens[6];
    for (auto& t : tokens) t = deploy("ScaledTokenMock");
    ASSERT_FALSE(HasFailure());
    const Address weth = dev_accounts()[5].address();  // any distinct addresses serve as assets
    const Address usdc = dev_accounts()[6].address();
    const Address feed = dev_accounts()[7].address();
    const Address alice = dev_accounts()[1].address();
    const Address bob = dev_accounts()[2].address();

    ReserveDataReading w;
    w.configuration = U256::from_hex("0x103e80001b7740000155cc005dc85122904206c1f72").value();
    w.liquidity_index_ray = n("1012345678901234567890123456");
    w.current_liquidity_rate_ray = n("23456789012345678901234567");
    w.variable_borrow_index_ray = n("1034567890123456789012345678");
    w.current_variable_borrow_rate_ray = n("31234567890123456789012345");
    w.current_stable_borrow_rate_ray = n("65432109876543210987654321");
    w.last_update_timestamp = 1'700'000'000;
    w.id = 0;
    w.a_token = tokens[0];
    w.stable_debt_token = tokens[1];
    w.variable_debt_token = tokens[2];
    w.interest_rate_strategy = dev_accounts()[8].address();
    w.accrued_to_treasury = n("123456789012345678");
    ReserveDataReading u = w;
    u.configuration = U256(0x1234);
    u.id = 2;  // id 1 was dropped: list position 1, id 2
    u.a_token = tokens[3];
    u.stable_debt_token = tokens[4];
    u.variable_debt_token = tokens[5];
    u.unbacked = U256(7);
    u.isolation_mode_total_debt = U256(99);
    set_reserve(pool, weth, w);
    set_reserve(pool, usdc, u);
    call(oracle, "setAssetPrice(address,uint256)", {Value(weth), Value(n("200000000000"))});
    call(oracle, "setAssetPrice(address,uint256)", {Value(usdc), Value(n("100000000"))});
    call(oracle, "setAssetPrice(address,uint256)", {Value(feed), Value(n("199000000000"))});
    const char* const set_emode = "setEModeCategory(uint8,(uint16,uint16,uint16,address,string))";
    call(pool, set_emode,
         {Value(U256(1)), Value(Value::List{Value(U256(9000)), Value(U256(9300)), Value(U256(10100)), Value(feed),
                                            Value("ETH correlated, a label longer than one word")})});
    call(pool, set_emode,
         {Value(U256(2)), Value(Value::List{Value(U256(9700)), Value(U256(9750)), Value(U256(10100)),
                                            Value(Address{}), Value("Stablecoins")})});
    // Alice: WETH collateral (bit 1), USDC borrowed (bit 4), eMode 1. Bob: nothing.
    call(pool, "setUser(address,uint256,uint8)", {Value(alice), Value(U256(0x12)), Value(U256(1))});
    const char* const set_balances = "setBalances(address,uint256,uint256)";  // (user, scaled, balanceOf)
    call(tokens[0], set_balances, {Value(alice), Value(n("1500000000000000000")), Value(U256(0))});
    call(tokens[5], set_balances, {Value(alice), Value(n("1903846153")), Value(U256(0))});
    call(tokens[4], set_balances, {Value(alice), Value(U256(0)), Value(n("100000000"))});
    ASSERT_FALSE(HasFailure());
    const std::uint64_t block = head();

    // Later changes must not show in a read pinned to `block`.
    call(oracle, "setAssetPrice(address,uint256)", {Value(usdc), Value(n("99000000"))});
    call(pool, "setUser(address,uint256,uint8)", {Value(alice), Value(U256(0)), Value(U256(0))});

    auto addresses = read_pool_addresses(*client_, provider, block);
    ASSERT_TRUE(addresses.has_value()) << addresses.error().message;
    EXPECT_EQ(addresses->pool, pool);
    EXPECT_EQ(addresses->oracle, oracle);
    auto revision = read_pool_revision(*client_, pool, block);
    ASSERT_TRUE(revision.has_value()) << revision.error().message;
    EXPECT_EQ(*revision, 1u);

    auto reserves = read_reserves(*client_, pool, oracle, block);
    ASSERT_TRUE(reserves.has_value()) << reserves.error().message;
    ASSERT_EQ(reserves->size(), 2u);  // getReservesList shortened past the dropped id 1
    EXPECT_EQ((*reserves)[0].asset, weth);
    EXPECT_EQ((*reserves)[0].data, w);
    EXPECT_EQ((*reserves)[0].price, n("200000000000"));
    EXPECT_EQ((*reserves)[1].asset, usdc);
    EXPECT_EQ((*reserves)[1].data, u);
    EXPECT_EQ((*reserves)[1].price, n("100000000"));  // not the later 0.99

    const std::uint8_t ids[] = {1, 2, 3};
    auto categories = read_emode_categories(*client_, pool, oracle, ids, block);
    ASSERT_TRUE(categories.has_value()) << categories.error().message;
    ASSERT_EQ(categories->size(), 3u);
    EXPECT_EQ((*categories)[0].category,
              (EModeCategoryReading{9000, 9300, 10100, feed, "ETH correlated, a label longer than one word"}));
    EXPECT_EQ((*categories)[0].price_source_price, n("199000000000"));
    EXPECT_EQ((*categories)[1].category, (EModeCategoryReading{9700, 9750, 10100, Address{}, "Stablecoins"}));
    EXPECT_EQ((*categories)[1].price_source_price, U256(0));
    EXPECT_EQ((*categories)[2].category, EModeCategoryReading{});  // never configured: zeros, empty label

    const Address users[] = {alice, bob};
    auto readings = read_users(*client_, pool, *reserves, users, block);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(readings->size(), 2u);
    const UserReading& a = (*readings)[0];
    EXPECT_EQ(a.configuration, U256(0x12));
    EXPECT_EQ(a.emode_category, 1u);
    ASSERT_EQ(a.balances.size(), 2u);
    EXPECT_EQ(a.balances[0].reserve_id, 0u);
    EXPECT_EQ(a.balances[0].scaled_a_token, n("1500000000000000000"));
    EXPECT_EQ(a.balances[1].reserve_id, 2u);
    EXPECT_EQ(a.balances[1].scaled_variable_debt, n("1903846153"));
    EXPECT_EQ(a.balances[1].stable_debt, n("100000000"));
    EXPECT_TRUE((*readings)[1].balances.empty());

    // At the head alice has nothing any more.
    auto now = read_users(*client_, pool, *reserves, users, head());
    ASSERT_TRUE(now.has_value()) << now.error().message;
    EXPECT_TRUE((*now)[0].balances.empty());
}

TEST_F(AaveReaderOnAnvil, EveryEventSolcEmitsDecodesToItsArguments) {
    const Address pool = deploy("PoolMock");
    const Address a_token = deploy("ScaledTokenMock");
    ASSERT_FALSE(HasFailure());
    const Address weth = dev_accounts()[5].address(), usdc = dev_accounts()[6].address();
    const Address alice = dev_accounts()[1].address(), bob = dev_accounts()[2].address(),
                  carol = dev_accounts()[3].address();

    const Receipt pool_logs = call(pool, "emitAll(address,address,address,address,address)",
                                   {Value(weth), Value(usdc), Value(alice), Value(bob), Value(carol)});
    const Receipt token_logs = call(a_token, "emitTransfer(address,address,uint256,uint256)",
                                    {Value(alice), Value(carol), Value(n("500000000000000000")),
                                     Value(n("1012345678901234567890123456"))});
    ASSERT_FALSE(HasFailure());

    const std::vector<Event> expected = {
        SupplyEvent{weth, bob, alice, n("5000000000000000000"), 7},
        WithdrawEvent{weth, alice, bob, n("1000000000000000000")},
        BorrowEvent{usdc, bob, alice, n("2000000000"), 2, n("30000000000000000000000000"), 0},
        RepayEvent{usdc, alice, alice, n("500000000"), true},
        LiquidationCallEvent{weth, usdc, alice, n("1000000000"), n("525000000000000000"), carol, true},
        ReserveDataUpdatedEvent{weth, n("10000000000000000000000000"), n("20000000000000000000000000"),
                                n("30000000000000000000000000"), n("1010000000000000000000000000"),
                                n("1020000000000000000000000000")},
        CollateralEnabledEvent{weth, alice},
        CollateralDisabledEvent{weth, alice},
        UserEModeSetEvent{alice, 1},
        SwapBorrowRateModeEvent{usdc, alice, 1},
        RebalanceStableBorrowRateEvent{usdc, alice},
    };
    ASSERT_EQ(pool_logs.logs.size(), expected.size() + 1);  // + FlashLoan, not followed
    for (std::size_t i = 0; i < expected.size(); ++i) {
        auto e = decode_event(pool_logs.logs[i]);
        ASSERT_TRUE(e.has_value()) << i << ": " << e.error().message;
        ASSERT_TRUE(e->has_value()) << i;
        EXPECT_EQ(**e, expected[i]) << i;
        EXPECT_EQ(pool_logs.logs[i].topics[0], pool_topics()[i]) << i;
    }
    auto flash = decode_event(pool_logs.logs.back());
    ASSERT_TRUE(flash.has_value()) << flash.error().message;
    EXPECT_FALSE(flash->has_value());

    ASSERT_EQ(token_logs.logs.size(), 1u);
    EXPECT_EQ(token_logs.logs[0].topics[0], balance_transfer_topic());
    auto transfer = decode_event(token_logs.logs[0]);
    ASSERT_TRUE(transfer.has_value()) << transfer.error().message;
    ASSERT_TRUE(transfer->has_value());
    EXPECT_EQ(**transfer, Event(BalanceTransferEvent{a_token, alice, carol, n("500000000000000000"),
                                                     n("1012345678901234567890123456")}));
}

}  // namespace aave_reader_anvil_test
}  // namespace keeper::chain::aave_v3

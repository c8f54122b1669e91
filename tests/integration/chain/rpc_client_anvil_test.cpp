// JsonRpcClient against a real anvil (default dev chain: id 31337, ten
// accounts holding 10000 ether each, automine on).
#include <gtest/gtest.h>

#include <csignal>
#include <cerrno>

#include "chain/rpc_client.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace rpc_client_anvil_test {

using keeper::testing::AnvilOptions;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;
using nlohmann::json;

class AnvilRpc : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil.emplace(std::move(*started));
        client.emplace(make_http_client(anvil->url()));
    }

    std::optional<AnvilProcess> anvil;
    std::optional<JsonRpcClient> client;
};

TEST_F(AnvilRpc, ChainIdIs31337) {
    auto id = client->chain_id();
    ASSERT_TRUE(id.has_value()) << id.error().message;
    EXPECT_EQ(*id, 31337u);
}

TEST_F(AnvilRpc, BlockNumberAdvancesAfterEvmMine) {
    auto before = client->block_number();
    ASSERT_TRUE(before.has_value()) << before.error().message;
    ASSERT_TRUE(keeper::devnet::evm_mine(*client).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(*client).has_value());
    auto after = client->block_number();
    ASSERT_TRUE(after.has_value()) << after.error().message;
    EXPECT_EQ(*after, *before + 2);
}

TEST_F(AnvilRpc, DevAccountZeroHoldsTenThousandEther) {
    auto balance = client->get_balance(dev_accounts()[0].address());
    ASSERT_TRUE(balance.has_value()) << balance.error().message;
    EXPECT_EQ(*balance, U256(10000) * U256::pow10(18));
}

TEST_F(AnvilRpc, SetBalanceIsVisible) {
    const Address someone = dev_accounts()[9].address();
    ASSERT_TRUE(keeper::devnet::anvil_set_balance(*client, someone, U256(12345)).has_value());
    EXPECT_EQ(client->get_balance(someone).value(), U256(12345));
}

TEST_F(AnvilRpc, UnknownReceiptIsNullopt) {
    auto hash = Bytes32::from_hex("0x00000000000000000000000000000000000000000000000000000000000000ff");
    ASSERT_TRUE(hash.has_value());
    auto receipt = client->get_transaction_receipt(*hash);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    EXPECT_FALSE(receipt->has_value());
}

TEST_F(AnvilRpc, LatestHeaderLinksToItsParent) {
    ASSERT_TRUE(keeper::devnet::evm_mine(*client).has_value());
    auto latest = client->get_block_header(BlockId::latest());
    ASSERT_TRUE(latest.has_value()) << latest.error().message;
    ASSERT_TRUE(latest->has_value());
    auto parent = client->get_block_header(BlockId::number((*latest)->number - 1));
    ASSERT_TRUE(parent.has_value() && parent->has_value());
    EXPECT_EQ((*latest)->parent_hash, (*parent)->hash);
    EXPECT_TRUE((*latest)->base_fee_per_gas.has_value());
    EXPECT_GE((*latest)->timestamp, (*parent)->timestamp);
}

TEST_F(AnvilRpc, BlockBeyondTheHeadIsNullopt) {
    auto header = client->get_block_header(BlockId::number(1'000'000));
    ASSERT_TRUE(header.has_value()) << header.error().message;
    EXPECT_FALSE(header->has_value());
}

TEST_F(AnvilRpc, BatchAnswersEveryCall) {
    auto r = client->batch({RpcCall{"eth_chainId", json::array()}, RpcCall{"eth_blockNumber", json::array()},
                            RpcCall{"no_such_method", json::array()}});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].value(), "0x7a69");
    EXPECT_TRUE((*r)[1].has_value());
    ASSERT_FALSE((*r)[2].has_value());
    EXPECT_EQ((*r)[2].error().kind, RpcError::Kind::rpc);
    EXPECT_EQ((*r)[2].error().code, -32601);
}

TEST_F(AnvilRpc, RevertDataComesBackWithTheError) {
    // Runtime code: mstore(0, 0xdeadbeef); revert(28, 4).
    const std::string target = "0x1000000000000000000000000000000000000001";
    ASSERT_TRUE(client->call("anvil_setCode", json::array({target, "0x63deadbeef6000526004601cfd"})).has_value());
    CallRequest call;
    call.to = Address::parse(target).value();
    auto r = client->eth_call(call);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, RpcError::Kind::rpc);
    EXPECT_EQ(r.error().data, "0xdeadbeef");
}

TEST_F(AnvilRpc, FeesAreQuoted) {
    auto tip = client->max_priority_fee_per_gas();
    ASSERT_TRUE(tip.has_value()) << tip.error().message;
    auto price = client->gas_price();
    ASSERT_TRUE(price.has_value()) << price.error().message;
    EXPECT_GT(*price, U256(0));
    CallRequest transfer;
    transfer.from = dev_accounts()[0].address();
    transfer.to = dev_accounts()[1].address();
    transfer.value = U256(1);
    EXPECT_EQ(client->estimate_gas(transfer).value(), 21000u);  // a plain transfer's intrinsic gas
}

TEST_F(AnvilRpc, StoppedNodeIsAConnectError) {
    const std::string url = anvil->url();
    anvil->stop();
    auto id = client->chain_id();
    ASSERT_FALSE(id.has_value());
    EXPECT_EQ(id.error().kind, RpcError::Kind::transport);
    EXPECT_NE(id.error().message.find(": connect: "), std::string::npos) << id.error().message;
}

TEST(AnvilFixture, HonoursChainIdAndLeavesNoProcess) {
    AnvilOptions options;
    options.chain_id = 1337;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    EXPECT_EQ(make_http_client(anvil->url()).chain_id().value(), 1337u);
    const pid_t pid = anvil->pid();
    ASSERT_GT(pid, 0);
    anvil->stop();
    EXPECT_EQ(::kill(pid, 0), -1);  // reaped: the pid no longer names our child
    EXPECT_EQ(errno, ESRCH);
}

TEST(AnvilFixture, NoMiningHoldsTheHeadUntilEvmMine) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    EXPECT_EQ(client.block_number().value(), 0u);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    EXPECT_EQ(client.block_number().value(), 1u);
}

TEST(AnvilFixture, MissingExecutableIsAClearError) {
    AnvilOptions options;
    options.start_timeout = std::chrono::milliseconds(5000);
    ::setenv("KEEPER_ANVIL", "/nonexistent/anvil", 1);
    auto anvil = AnvilProcess::start(options);
    ::unsetenv("KEEPER_ANVIL");
    ASSERT_FALSE(anvil.has_value());
    EXPECT_NE(anvil.error().message.find("/nonexistent/anvil"), std::string::npos) << anvil.error().message;
    EXPECT_NE(anvil.error().message.find("anvil not found"), std::string::npos) << anvil.error().message;
    EXPECT_NE(anvil.error().message.find("run scripts/setup"), std::string::npos) << anvil.error().message;
}

}  // namespace rpc_client_anvil_test
}  // namespace keeper::chain

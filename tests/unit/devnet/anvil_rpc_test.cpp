// The test-node controls the demo and the tests use (keeper/devnet/anvil_rpc.hpp),
// against replayed answers: the request each sends.
#include <gtest/gtest.h>

#include "../rpc/fake_transport.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::devnet {
namespace anvil_rpc_test {

using nlohmann::json;

class AnvilRpcTest : public ::testing::Test {
protected:
    std::shared_ptr<chain::testing::FakeTransportLog> log = std::make_shared<chain::testing::FakeTransportLog>();
    chain::JsonRpcClient client{std::make_unique<chain::testing::FakeTransport>(log)};

    void answer(std::string body) { log->answers.emplace_back(std::move(body)); }
    json sent(std::size_t i) const { return json::parse(log->requests.at(i)); }
};

TEST_F(AnvilRpcTest, EvmMineSendsTheMethodWithNoParams) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x0"})");
    EXPECT_TRUE(evm_mine(client).has_value());
    EXPECT_EQ(sent(0)["method"], "evm_mine");
    EXPECT_EQ(sent(0)["params"], json::array());
}

TEST_F(AnvilRpcTest, SetBalanceSendsTheLowercaseAddressAndHexWei) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":null})");
    const Address account = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value();
    EXPECT_TRUE(anvil_set_balance(client, account, U256(1)).has_value());
    EXPECT_EQ(sent(0)["method"], "anvil_setBalance");
    EXPECT_EQ(sent(0)["params"], json::array({"0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x1"}));
}

TEST_F(AnvilRpcTest, ANodeErrorIsReturnedNamingTheMethod) {
    answer(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}})");
    auto mined = evm_mine(client);
    ASSERT_FALSE(mined.has_value());
    EXPECT_NE(mined.error().message.find("evm_mine"), std::string::npos) << mined.error().message;
}

}  // namespace anvil_rpc_test
}  // namespace keeper::devnet

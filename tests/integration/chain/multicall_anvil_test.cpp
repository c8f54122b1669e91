// Multicall against a real node: our contracts/Multicall.sol, compiled by
// solc-js at test time and deployed by ensure_multicall, answers 200 calls in
// chunked aggregate3 eth_calls exactly as the same calls made one by one.
#include <gtest/gtest.h>

#include <optional>

#include "chain/multicall.hpp"
#include "chain/rpc_client.hpp"
#include "core/abi_signature.hpp"
#include "core/hex.hpp"
#include "support/anvil_process.hpp"
#include "support/solidity_compiler.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace multicall_anvil_test {

using keeper::testing::AnvilProcess;
using keeper::testing::compile_contract;
using keeper::testing::contract_source;
using keeper::testing::dev_accounts;

Bytes call_data(std::string_view signature, std::vector<abi::Value> args = {}) {
    return abi::encode_call(signature, args).value();
}

class MulticallOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto compiled = compile_contract(contract_source("Multicall.sol"), "Multicall");
        ASSERT_TRUE(compiled.has_value()) << compiled.error().message;
        init_code_ = compiled->init_code;
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(make_http_client(anvil_->url()));
        key_.emplace(PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value());
    }

    Bytes init_code_;
    std::optional<AnvilProcess> anvil_;
    std::optional<JsonRpcClient> client_;
    std::optional<PrivateKey> key_;
};

TEST_F(MulticallOnAnvil, DeploysOursWhenTheCanonicalAddressHasNoCode) {
    ASSERT_TRUE(get_code(*client_, canonical_multicall3_address()).value().empty());
    auto deployed = ensure_multicall(*client_, *key_, init_code_);
    ASSERT_TRUE(deployed.has_value()) << deployed.error().message;
    EXPECT_NE(*deployed, canonical_multicall3_address());
    const Bytes runtime = get_code(*client_, *deployed).value();
    EXPECT_FALSE(runtime.empty());

    // Once the canonical address has code (as on a real chain), it is used as is.
    ASSERT_TRUE(client_->call("anvil_setCode", nlohmann::json::array({canonical_multicall3_address().hex(), hex::encode(runtime)}))
                    .has_value());
    auto again = ensure_multicall(*client_, *key_, init_code_);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(*again, canonical_multicall3_address());
}

TEST_F(MulticallOnAnvil, TwoHundredCallsEqualTheirIndividualEthCalls) {
    const Address aggregator = ensure_multicall(*client_, *key_, init_code_).value();
    // Balances that differ from one another, so a shuffled answer would show.
    for (std::uint64_t i = 0; i < 10; ++i)
        ASSERT_TRUE(keeper::devnet::anvil_set_balance(*client_, dev_accounts()[i].address(), U256(1'000'000 + 7919 * i))
                        .has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(*client_).has_value());
    const std::uint64_t block = client_->block_number().value();

    // A selector the contract does not have: the sub-call reverts.
    const Bytes unknown = *hex::decode("0xdeadbeef");
    std::vector<SubCall> calls;
    for (std::size_t i = 0; i < 200; ++i) {
        switch (i % 5) {
            case 0:
            case 1:
                calls.push_back({aggregator, call_data("getEthBalance(address)", {dev_accounts()[i % 10].address()}), false});
                break;
            case 2: {
                Address fresh;  // an account nobody funded: balance 0
                fresh.bytes[19] = static_cast<std::uint8_t>(i);
                fresh.bytes[0] = 0x5a;
                calls.push_back({aggregator, call_data("getEthBalance(address)", {fresh}), false});
                break;
            }
            case 3:
                calls.push_back({aggregator, call_data(i % 2 ? "getBlockNumber()" : "getChainId()"), false});
                break;
            default:
                calls.push_back({aggregator, i % 2 ? unknown : call_data("getCurrentBlockTimestamp()"), true});
        }
    }

    MulticallOptions options;
    options.max_calls_per_eth_call = 64;  // 200 calls: chunks of 64, 64, 64, 8 in one JSON-RPC batch
    Multicall multicall(*client_, aggregator, options);
    auto outcomes = multicall.aggregate3(calls, BlockId::number(block));
    ASSERT_TRUE(outcomes.has_value()) << outcomes.error().message;
    ASSERT_EQ(outcomes->size(), calls.size());

    std::size_t failures = 0;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        CallRequest single;
        single.to = calls[i].target;
        single.data = calls[i].call_data;
        auto direct = client_->eth_call(single, BlockId::number(block));
        const SubCallOutcome& got = (*outcomes)[i];
        if (direct.has_value()) {
            EXPECT_TRUE(got.success) << "call " << i;
            EXPECT_EQ(got.return_data, *direct) << "call " << i;
            EXPECT_EQ(got.return_data.size(), 32u) << "call " << i;
        } else {
            ++failures;
            EXPECT_EQ(direct.error().kind, RpcError::Kind::rpc) << direct.error().message;
            EXPECT_FALSE(got.success) << "call " << i;
            EXPECT_TRUE(calls[i].call_data == unknown) << "call " << i;
        }
    }
    EXPECT_EQ(failures, 20u);  // every i % 5 == 4 with i odd
    // Spot checks against values we set, not only against the node.
    EXPECT_EQ(U256::from_be((*outcomes)[0].return_data), U256(1'000'000));
    EXPECT_EQ(U256::from_be((*outcomes)[1].return_data), U256(1'000'000 + 7919));
    EXPECT_EQ(U256::from_be((*outcomes)[3].return_data), U256(block));   // i = 3: getBlockNumber
    EXPECT_EQ(U256::from_be((*outcomes)[8].return_data), U256(31337));  // i = 8: getChainId
}

TEST_F(MulticallOnAnvil, ARevertThatIsNotAllowedFailsTheWholeBatch) {
    const Address aggregator = ensure_multicall(*client_, *key_, init_code_).value();
    const SubCall calls[] = {
        {aggregator, call_data("getChainId()"), false},
        {aggregator, *hex::decode("0xdeadbeef"), false},
    };
    Multicall multicall(*client_, aggregator);
    auto outcome = multicall.aggregate3(calls);
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().kind, RpcError::Kind::rpc) << outcome.error().message;
    EXPECT_NE(outcome.error().message.find("multicall chunk 1/1"), std::string::npos) << outcome.error().message;

    // The same call with failure allowed comes back as success = false.
    const SubCall allowed[] = {calls[0], {aggregator, *hex::decode("0xdeadbeef"), true}};
    auto ok = multicall.aggregate3(allowed);
    ASSERT_TRUE(ok.has_value()) << ok.error().message;
    EXPECT_TRUE((*ok)[0].success);
    EXPECT_FALSE((*ok)[1].success);
    EXPECT_TRUE((*ok)[1].return_data.empty());  // no fallback: a bare revert
}

TEST_F(MulticallOnAnvil, AnAggregatorAddressWithoutCodeIsAMalformedAnswerNotSilence) {
    Address nobody;
    nobody.bytes[19] = 0x77;
    Multicall multicall(*client_, nobody);
    const SubCall calls[] = {{nobody, {}, true}};
    auto outcome = multicall.aggregate3(calls);
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().kind, RpcError::Kind::malformed) << outcome.error().message;
}

}  // namespace multicall_anvil_test
}  // namespace keeper::chain

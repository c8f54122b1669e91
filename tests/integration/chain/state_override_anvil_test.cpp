// eth_call against overridden code, storage and balance on a real node.
#include <gtest/gtest.h>

#include "chain/state_override.hpp"
#include "core/hex.hpp"
#include "support/anvil_process.hpp"

namespace keeper::chain {
namespace state_override_anvil_test {

using keeper::testing::AnvilProcess;

// PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns storage slot 0.
constexpr std::string_view kReturnSlotZero = "0x60005460005260206000f3";
// SELFBALANCE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns its own balance.
constexpr std::string_view kReturnOwnBalance = "0x4760005260206000f3";

TEST(StateOverrideOnAnvil, CodeStorageAndBalanceAreSeenByTheCallOnly) {
    auto anvil = AnvilProcess::start();
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const Address target = Address::parse("0x00000000000000000000000000000000000c0de5").value();
    CallRequest request;
    request.to = target;

    // Without overrides the address has no code: an empty answer.
    auto plain = client.eth_call(request);
    ASSERT_TRUE(plain.has_value()) << plain.error().message;
    EXPECT_TRUE(plain->empty());

    Bytes32 seven;
    seven.bytes[31] = 7;
    StateOverrides overrides;
    overrides[target].code = *hex::decode(kReturnSlotZero);
    overrides[target].state_diff.emplace_back(Bytes32{}, seven);
    auto slot = eth_call_with_overrides(client, request, BlockId::latest(), overrides);
    ASSERT_TRUE(slot.has_value()) << slot.error().message;
    EXPECT_EQ(U256::from_be(*slot), U256(7));

    StateOverrides rich;
    rich[target].code = *hex::decode(kReturnOwnBalance);
    rich[target].balance_wei = U256::pow10(21);  // 1000 ether
    auto balance = eth_call_with_overrides(client, request, BlockId::latest(), rich);
    ASSERT_TRUE(balance.has_value()) << balance.error().message;
    EXPECT_EQ(U256::from_be(*balance), U256::pow10(21));

    // The chain itself is untouched.
    EXPECT_EQ(client.get_balance(target).value(), U256(0));
}

TEST(StateOverride, SerialisesAsTheNodesExpect) {
    StateOverrides o;
    const Address a = Address::parse("0x00000000000000000000000000000000000000aa").value();
    o[a].balance_wei = U256(255);
    o[a].nonce = 3;
    EXPECT_EQ(state_overrides_json(o).dump(),
              R"({"0x00000000000000000000000000000000000000aa":{"balance":"0xff","nonce":"0x3"}})");
}

}  // namespace state_override_anvil_test
}  // namespace keeper::chain

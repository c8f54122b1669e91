// Control flow branches on an error's kind, never on its words (issue #17):
// an RPC error's kind and code survive the conversion to keeper::Error and
// every context() added on the way up; a bad EIP-55 checksum is its own kind.
#include <gtest/gtest.h>

#include "chain/rpc_client.hpp"
#include "chain/rpc_error.hpp"
#include "core/address.hpp"
#include "fake_transport.hpp"

namespace keeper {
namespace error_kind_test {

TEST(ErrorKind, EachRpcKindSurvivesTheConversionWithItsCode) {
    const Error unreachable = chain::RpcError::transport("eth_call: connect: refused");
    EXPECT_EQ(unreachable.kind, ErrorKind::unreachable);
    const Error refused = chain::RpcError{chain::RpcError::Kind::rpc, "execution reverted", 3, nullptr};
    EXPECT_EQ(refused.kind, ErrorKind::refused);
    EXPECT_EQ(refused.code, 3);
    const Error malformed = chain::RpcError::malformed("eth_call: 'result': not hex");
    EXPECT_EQ(malformed.kind, ErrorKind::malformed);
}

TEST(ErrorKind, ContextChangesTheWordsNotTheKind) {
    const Error refused = chain::RpcError{chain::RpcError::Kind::rpc, "execution reverted", 3, nullptr};
    const Error wrapped = context("reading token 0xA", context("balanceOf", refused));
    EXPECT_EQ(wrapped.message, "reading token 0xA: balanceOf: execution reverted");
    EXPECT_EQ(wrapped.kind, ErrorKind::refused);
    EXPECT_EQ(wrapped.code, 3);
}

TEST(ErrorKind, ARevertThroughTheClientIsRefusedAsAResult) {
    auto log = std::make_shared<chain::testing::FakeTransportLog>();
    log->answers.push_back(std::string(
        R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x"}})"));
    chain::JsonRpcClient client(std::make_unique<chain::testing::FakeTransport>(log));
    const Result<Bytes> answer = [&]() -> Result<Bytes> {
        auto r = client.eth_call(chain::CallRequest{std::nullopt, Address{}, Bytes{}, std::nullopt, std::nullopt});
        if (!r) return std::unexpected(Error(r.error()));
        return *r;
    }();
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::refused);
}

TEST(ErrorKind, AMisCasedAddressIsABadChecksumNotGarbage) {
    // EIP-55's own example with one letter's case flipped.
    auto bad = Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAEd");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().kind, ErrorKind::bad_checksum);
    EXPECT_TRUE(Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").has_value());
    auto garbage = Address::parse("0x5aAeb6053F3E94C9");
    ASSERT_FALSE(garbage.has_value());
    EXPECT_EQ(garbage.error().kind, ErrorKind::other);
}

}  // namespace error_kind_test
}  // namespace keeper

// aggregate3 calldata and return data: the encoding Multicall3 expects, and
// the decoder's refusals of answers that do not match the batch.
#include <gtest/gtest.h>

#include "chain/multicall.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_type.hpp"
#include "core/hex.hpp"

namespace keeper::chain {
namespace multicall_codec_test {

using abi::Value;

Address addr(std::string_view text) { return Address::parse(text).value(); }

Bytes encode_results(const std::vector<std::pair<bool, Bytes>>& results) {
    Value::List items;
    for (const auto& [ok, data] : results) items.emplace_back(Value::List{Value(ok), Value(data)});
    const std::vector<abi::Type> types{abi::parse_type("(bool,bytes)[]").value()};
    const Value values[] = {Value(std::move(items))};
    return abi::encode(types, values).value();
}

TEST(MulticallCodec, CanonicalAddressIsMulticall3) {
    EXPECT_EQ(canonical_multicall3_address().checksummed(), "0xcA11bde05977b3631167028862bE2a173976CA11");
}

TEST(MulticallCodec, CalldataIsAggregate3WithTheSpecLayout) {
    const SubCall calls[] = {
        {addr("0x1111111111111111111111111111111111111111"), *hex::decode("0x12345678"), true},
        {addr("0x2222222222222222222222222222222222222222"), {}, false},
    };
    const Bytes data = encode_aggregate3(calls);
    // Selector of aggregate3((address,bool,bytes)[]), as Multicall3 publishes it.
    EXPECT_EQ(hex::encode(ByteView(data).subspan(0, 4)), "0x82ad56cb");
    const std::string expected =
        "0000000000000000000000000000000000000000000000000000000000000020"  // offset of the array
        "0000000000000000000000000000000000000000000000000000000000000002"  // length
        "0000000000000000000000000000000000000000000000000000000000000040"  // offset of tuple 0
        "00000000000000000000000000000000000000000000000000000000000000e0"  // offset of tuple 1: 0x40 + 5 words
        "0000000000000000000000001111111111111111111111111111111111111111"  // target
        "0000000000000000000000000000000000000000000000000000000000000001"  // allowFailure
        "0000000000000000000000000000000000000000000000000000000000000060"  // offset of callData
        "0000000000000000000000000000000000000000000000000000000000000004"  // its length
        "1234567800000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000002222222222222222222222222222222222222222"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000060"
        "0000000000000000000000000000000000000000000000000000000000000000";
    EXPECT_EQ(hex::encode(ByteView(data).subspan(4), false), expected);
}

TEST(MulticallCodec, ResultsDecodeInOrder) {
    const Bytes answer = encode_results({{true, *hex::decode("0x2a")}, {false, *hex::decode("0xdeadbeef")}, {true, {}}});
    auto decoded = decode_aggregate3(answer, 3);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    ASSERT_EQ(decoded->size(), 3u);
    EXPECT_EQ((*decoded)[0], (SubCallOutcome{true, *hex::decode("0x2a")}));
    EXPECT_EQ((*decoded)[1], (SubCallOutcome{false, *hex::decode("0xdeadbeef")}));
    EXPECT_EQ((*decoded)[2], (SubCallOutcome{true, {}}));
    EXPECT_TRUE((*decoded)[0].value().has_value());
    auto failed = (*decoded)[1].value();
    ASSERT_FALSE(failed.has_value());
    EXPECT_NE(failed.error().message.find("0xdeadbeef"), std::string::npos) << failed.error().message;
}

TEST(MulticallCodec, AnErrorStringRevertIsQuoted) {
    // Error("nope"): selector 0x08c379a0 + abi.encode("nope").
    const std::vector<abi::Type> types{abi::Type::string()};
    const Value reason[] = {Value("nope")};
    Bytes revert = *hex::decode("0x08c379a0");
    append(revert, abi::encode(types, reason).value());
    const SubCallOutcome outcome{false, revert};
    auto value = outcome.value();
    ASSERT_FALSE(value.has_value());
    EXPECT_EQ(value.error().message, "sub-call reverted: \"nope\"");
}

TEST(MulticallCodec, AnswersThatDoNotMatchTheBatchAreRefused) {
    const Bytes two = encode_results({{true, {}}, {true, {}}});
    const struct {
        Bytes data;
        std::size_t expected;
        std::string_view why;
    } cases[] = {
        {two, 3, "fewer results than calls"},
        {two, 1, "more results than calls"},
        {{}, 0, "empty return data (no contract at the address)"},
        {Bytes(two.begin(), two.end() - 32), 2, "truncated"},
        {*hex::decode("0x" + std::string(62, '0') + "20" + std::string(62, '0') + "ff"), 255, "length past the end"},
    };
    for (const auto& c : cases) EXPECT_FALSE(decode_aggregate3(c.data, c.expected).has_value()) << c.why;
}

}  // namespace multicall_codec_test
}  // namespace keeper::chain

// The ABI codec against the worked examples of the Solidity ABI specification
// (docs.soliditylang.org/en/latest/abi-spec.html, "Examples" and "Use of
// Dynamic Types"), byte for byte, plus round trips and hostile inputs.
#include <gtest/gtest.h>

#include "abi_test_support.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"

namespace keeper::abi {
namespace abi_codec_test {

using test::hex_chunks;
using test::word;
using List = Value::List;

std::vector<Type> types_of(std::string_view list) { return parse_type_list(list).value(); }

// Encodes the call, compares with the spec's hex, then decodes the arguments
// back and compares with the values.
void expect_call(std::string_view signature, const std::vector<Value>& args, const Bytes& expected) {
    const Function f = parse_function(signature).value();
    auto encoded = encode_call(f, args);
    ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
    EXPECT_EQ(hex::encode(*encoded), hex::encode(expected));
    auto decoded = decode(f.inputs, ByteView(expected).subspan(4));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(*decoded, args);
}

TEST(AbiSpecExamples, BazUint32Bool) {
    // baz(69, true): 0xcdcd77c0, 69 padded, true as 1.
    expect_call("baz(uint32,bool)", {U256(69), true}, hex_chunks({"cdcd77c0", word(0x45), word(1)}));
}

TEST(AbiSpecExamples, BarFixedArrayOfBytes3) {
    // bar(["abc", "def"]): bytes3 values left-aligned, in place.
    expect_call("bar(bytes3[2])", {Value(List{text_bytes("abc"), text_bytes("def")})},
                hex_chunks({"fce353f6", "6162630000000000000000000000000000000000000000000000000000000000",
                            "6465660000000000000000000000000000000000000000000000000000000000"}));
}

TEST(AbiSpecExamples, SamBytesBoolUintArray) {
    // sam("dave", true, [1, 2, 3]): offsets 0x60 and 0xa0 point past the 3-word head.
    expect_call("sam(bytes,bool,uint256[])", {text_bytes("dave"), true, List{U256(1), U256(2), U256(3)}},
                hex_chunks({"a5643bf2", word(0x60), word(1), word(0xa0), word(4),
                            "6461766500000000000000000000000000000000000000000000000000000000", word(3), word(1),
                            word(2), word(3)}));
}

TEST(AbiSpecExamples, FWithUint32ArrayBytes10AndBytes) {
    // f(0x123, [0x456, 0x789], "1234567890", "Hello, world!"); "uint" is the synonym of uint256.
    expect_call("f(uint,uint32[],bytes10,bytes)",
                {U256(0x123), List{U256(0x456), U256(0x789)}, text_bytes("1234567890"), text_bytes("Hello, world!")},
                hex_chunks({"8be65246", word(0x123), word(0x80),
                            "3132333435363738393000000000000000000000000000000000000000000000", word(0xe0), word(2),
                            word(0x456), word(0x789), word(0xd),
                            "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"}));
}

TEST(AbiSpecExamples, GNestedDynamicArraysAndStrings) {
    // g([[1, 2], [3]], ["one", "two", "three"]): inner offsets count from the
    // first word after each array's length (0x40 and 0xa0; 0x60, 0xa0, 0xe0).
    expect_call("g(uint256[][],string[])",
                {List{List{U256(1), U256(2)}, List{U256(3)}}, List{"one", "two", "three"}},
                hex_chunks({"2289b18c", word(0x40), word(0x140),
                            word(2), word(0x40), word(0xa0), word(2), word(1), word(2), word(1), word(3),
                            word(3), word(0x60), word(0xa0), word(0xe0),
                            word(3), "6f6e650000000000000000000000000000000000000000000000000000000000",
                            word(3), "74776f0000000000000000000000000000000000000000000000000000000000",
                            word(5), "7468726565000000000000000000000000000000000000000000000000000000"}));
}

TEST(AbiCodec, SignedIntegersAreSignExtendedAndRangeChecked) {
    const auto types = types_of("int8,int24,int256");
    const std::vector<Value> values{I256::from_int64(-1), I256::from_int64(-8388608), I256::from_int64(5)};
    auto encoded = encode(types, values);
    ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
    EXPECT_EQ(hex::encode(*encoded, false),
              std::string(64, 'f') + std::string(58, 'f') + "800000" + word(5));
    EXPECT_EQ(decode(types, *encoded).value(), values);

    EXPECT_TRUE(encode(types_of("int8"), std::vector<Value>{I256::from_int64(-128)}).has_value());
    EXPECT_TRUE(encode(types_of("int8"), std::vector<Value>{I256::from_int64(127)}).has_value());
    EXPECT_EQ(encode(types_of("int8"), std::vector<Value>{I256::from_int64(128)}).error().message,
              "abi: [0]: int8 value 128 does not fit 8 bits");
    EXPECT_EQ(encode(types_of("int8"), std::vector<Value>{I256::from_int64(-129)}).error().message,
              "abi: [0]: int8 value -129 does not fit 8 bits");
}

TEST(AbiCodec, NestedTuplesAndArraysRoundTrip) {
    const auto types = types_of("(uint256,(address,bytes)[])[2],string,bool[3],int24");
    const Address a = Address::parse("0x1111111111111111111111111111111111111111").value();
    const Address b = Address::parse("0x2222222222222222222222222222222222222222").value();
    const std::vector<Value> values{
        List{List{U256(7), List{List{a, Bytes{}}, List{b, Bytes(33, 0xab)}}}, List{U256::max(), List{}}},
        std::string("héllo"),
        List{true, false, true},
        I256::from_int64(-3),
    };
    auto encoded = encode(types, values);
    ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
    EXPECT_EQ(encoded->size() % 32, 0u);
    auto decoded = decode(types, *encoded);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(*decoded, values);
}

TEST(AbiCodec, StaticTupleIsEncodedInPlace) {
    // (uint256,address) is static: two words in the head, no offset.
    const auto types = types_of("(uint256,address),uint8");
    const Address a = Address::parse("0x00000000000000000000000000000000000000ff").value();
    auto encoded = encode(types, std::vector<Value>{List{U256(1), a}, U256(2)});
    ASSERT_TRUE(encoded.has_value());
    EXPECT_EQ(*encoded, hex_chunks({word(1), word(0xff), word(2)}));
}

TEST(AbiCodec, DecodeAllowsTrailingBytesAndEmptyLists) {
    EXPECT_EQ(decode(types_of("uint256"), hex_chunks({word(9), word(1)})).value(), std::vector<Value>{U256(9)});
    EXPECT_TRUE(decode({}, Bytes{}).value().empty());
}

struct EncodeError {
    const char* types;
    std::vector<Value> values;
    const char* message;
};

TEST(AbiCodec, EncodeRejectsValuesThatDoNotMatchTheirTypes) {
    const std::vector<EncodeError> cases = {
        {"uint8", {U256(256)}, "abi: [0]: uint8 value 256 does not fit 8 bits"},
        {"uint256", {"text"}, "abi: [0]: uint256 expects a uint value, found string"},
        {"bytes3", {text_bytes("abcd")}, "abi: [0]: bytes3 expects 3 bytes, found 4"},
        {"uint32[3]", {Value(List{U256(1), U256(2)})}, "abi: [0]: uint32[3] expects 3 elements, found 2"},
        {"(uint256,address)", {Value(List{U256(1)})}, "abi: [0]: (uint256,address) expects 2 components, found 1"},
        {"uint256,bool", {U256(1)}, "abi: expected 2 values, found 1"},
        {"(uint256,(address,bytes)[])",
         {Value(List{U256(1), List{Value(List{Address{}, "not bytes"})}})},
         "abi: [0][1][0][1]: bytes expects a bytes value, found string"},
        {"bool", {U256(1)}, "abi: [0]: bool expects a bool value, found uint"},
    };
    for (const auto& c : cases) {
        auto r = encode(types_of(c.types), c.values);
        ASSERT_FALSE(r.has_value()) << c.types;
        EXPECT_EQ(r.error().message, c.message) << c.types;
    }
}

struct DecodeError {
    const char* types;
    Bytes data;
    const char* message;
};

// Word with one byte set: position `at` (0..31) holds the byte `value_hex`
// (two hex digits). Written digit by digit: GCC 12 at -O3 with the tests'
// precompiled header saw an impossible length in string::replace
// (-Wstringop-overflow, a false positive inside libstdc++).
std::string word_with(std::size_t at, std::string_view value_hex, char fill = '0') {
    std::string w(64, fill);
    w.at(2 * at) = value_hex.at(0);
    w.at(2 * at + 1) = value_hex.at(1);
    return w;
}

TEST(AbiCodec, DecodeRejectsHostileDataNamingPositionExpectedAndFound) {
    const std::vector<DecodeError> cases = {
        {"uint256", Bytes(31, 0), "abi: heads at byte 0: expected 32 bytes, found 31"},
        {"uint32", hex_chunks({word_with(3, "01")}),
         "abi: [0]: uint32 at byte 0: expected zero padding in bytes 0..27, found 0x01 at byte 3"},
        {"uint256,bool", hex_chunks({word(0), word(2)}),
         "abi: [1]: bool at byte 32: expected 0x00 or 0x01 in byte 63, found 0x02"},
        {"address", hex_chunks({word_with(5, "ff")}),
         "abi: [0]: address at byte 0: expected zero padding in bytes 0..11, found 0xff at byte 5"},
        // 0x...80 as int8 is -128 and needs 0xff in every higher byte.
        {"int8", hex_chunks({word(0x80)}),
         "abi: [0]: int8 at byte 0: expected sign extension 0xff in bytes 0..30, found 0x00 at byte 0"},
        {"bytes3", hex_chunks({word_with(10, "01")}),
         "abi: [0]: bytes3 at byte 0: expected zero padding in bytes 3..31, found 0x01 at byte 10"},
        {"bytes", hex_chunks({word(0x1000), word(0)}),
         "abi: [0]: offset at byte 0: expected at most 64 (end of data), found 4096"},
        {"bytes", hex_chunks({word(0x20), "8000000000000000000000000000000000000000000000000000000000000000"}),
         "abi: [0]: length at byte 32: expected at most 0 (bytes left), found "
         "57896044618658097711785492504343953926634992332820282019728792003956564819968"},
        {"bytes", hex_chunks({word(0x20), word(40), word(0)}),
         "abi: [0]: length at byte 32: expected at most 32 (bytes left), found 40"},
        {"uint256[]", hex_chunks({word(0x20), word(1000), word(1)}),
         "abi: [0]: array length at byte 32: expected at most 1 (elements that fit the bytes left), found 1000"},
        {"bytes", hex_chunks({word(0x20)}), "abi: [0]: length at byte 32: expected 32 bytes, found 0"},
        // [[..], [..]] where the second inner offset points past the end.
        {"uint256[][]", hex_chunks({word(0x20), word(2), word(0x40), word(0x400), word(0)}),
         "abi: [0][1]: offset at byte 96: expected at most 96 (end of data), found 1024"},
        {"uint32[2]", hex_chunks({word(1), word_with(0, "01")}),
         "abi: [0][1]: uint32 at byte 32: expected zero padding in bytes 32..59, found 0x01 at byte 32"},
    };
    for (const auto& c : cases) {
        auto r = decode(types_of(c.types), c.data);
        ASSERT_FALSE(r.has_value()) << c.types << " " << hex::encode(c.data);
        EXPECT_EQ(r.error().message, c.message) << c.types;
    }
}

TEST(AbiCodec, DecodeRefusesToAmplifySharedOffsets) {
    // bytes[] of 30 elements whose offsets all point at one 1000-byte payload:
    // 2080 input bytes would decode to 30 000. The budget is 4 x 2080 = 8320;
    // charges are 64 (outer offset, length) + 1064 per element (offset,
    // length word, 1000 bytes), so element 7 is the one that crosses it.
    std::vector<std::string_view> chunks;
    const std::string top = word(0x20), count = word(30), shared = word(30 * 32), length = word(1000);
    chunks.push_back(top);
    chunks.push_back(count);
    for (int i = 0; i < 30; ++i) chunks.push_back(shared);
    chunks.push_back(length);
    std::string payload(2 * 1024, 'a');
    chunks.push_back(payload);
    Bytes data;
    for (auto c : chunks) append(data, hex::decode(c).value());
    ASSERT_EQ(data.size(), 2080u);
    auto r = decode(types_of("bytes[]"), data);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message,
              "abi: [0][7]: decoded size exceeds 4x the input (2080 bytes): offsets point many values at the same "
              "bytes");
    // The same elements each with their own payload are fine at this size.
    EXPECT_TRUE(
        decode(types_of("bytes[]"),
               encode(types_of("bytes[]"), std::vector<Value>{Value(List(3, Value(Bytes(1000, 0xaa))))}).value())
            .has_value());
}

}  // namespace abi_codec_test
}  // namespace keeper::abi

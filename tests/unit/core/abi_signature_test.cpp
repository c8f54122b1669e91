// Function signatures, calldata with selectors, event logs and the word
// readers adapters use on return data.
#include <gtest/gtest.h>

#include "abi_test_support.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_words.hpp"

namespace keeper::abi {
namespace abi_signature_test {

using test::hex_chunks;
using test::word;
using List = Value::List;

Address addr(std::string_view text) { return Address::parse(text).value(); }
Bytes32 b32(std::string_view text) { return Bytes32::from_hex(text).value(); }

TEST(AbiFunction, CanonicalisesNamedSignaturesAndComputesSelectors) {
    const Function transfer = parse_function("transfer(address to, uint256 amount)").value();
    EXPECT_EQ(transfer.name, "transfer");
    EXPECT_EQ(transfer.canonical, "transfer(address,uint256)");
    EXPECT_EQ(hex::encode(transfer.selector), "0xa9059cbb");  // ERC-20 transfer

    const Function liquidate = parse_function(
        "liquidate((address loanToken,address collateralToken,address oracle,address irm,uint256 lltv) marketParams, "
        "address borrower, uint256 seizedAssets, uint256 repaidShares, bytes data)").value();
    EXPECT_EQ(liquidate.canonical,
              "liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)");
    EXPECT_EQ(hex::encode(liquidate.selector), "0xd8eabcb8");  // Morpho Blue liquidate

    EXPECT_EQ(parse_function("totalSupply()").value().canonical, "totalSupply()");
    EXPECT_EQ(hex::encode(parse_function("totalSupply()").value().selector), "0x18160ddd");
}

TEST(AbiFunction, RejectsMalformedSignatures) {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"(uint256)", "abi signature: expected a name at position 0, found '('"},
        {"transfer", "abi signature: expected '(' at position 8, found end of text"},
        {"transfer(address", "abi signature: expected ',' or ')' at position 16, found end of text"},
        {"transfer(address,uint7)", "abi signature: abi type: unknown type 'uint7' at position 17"},
        {"transfer(address) x", "abi signature: expected end of signature at position 18, found 'x'"},
        {"f(uint256 indexed x)", "abi signature: 'indexed' at position 10 is only allowed in events"},
    };
    for (const auto& [text, message] : cases) {
        auto f = parse_function(text);
        ASSERT_FALSE(f.has_value()) << text;
        EXPECT_EQ(f.error().message, message) << text;
    }
}

TEST(AbiFunction, EncodesAMorphoBlueLiquidation) {
    // MarketParams is a static 5-word tuple in place; `data` (empty bytes) is
    // the only dynamic argument, so its offset is the 9-word head: 0x120.
    const Address usdc = addr("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
    const Address weth = addr("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
    const Address oracle = addr("0x1111111111111111111111111111111111111111");
    const Address irm = addr("0x870ac11d48b15db9a138cf899d20f13f79ba00bc");
    const Address borrower = addr("0x3333333333333333333333333333333333333333");
    const U256 lltv_wad = U256(860000000000000000ULL);  // 86%
    const U256 seized_assets = U256(1000000000000000000ULL);
    const std::vector<Value> args{List{usdc, weth, oracle, irm, lltv_wad}, borrower, seized_assets, U256(0), Bytes{}};
    auto call = encode_call("liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)", args);
    ASSERT_TRUE(call.has_value()) << call.error().message;
    EXPECT_EQ(*call, hex_chunks({"d8eabcb8",
                                 "000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48",
                                 "000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2",
                                 "0000000000000000000000001111111111111111111111111111111111111111",
                                 "000000000000000000000000870ac11d48b15db9a138cf899d20f13f79ba00bc",
                                 word(0x0bef55718ad60000),
                                 "0000000000000000000000003333333333333333333333333333333333333333",
                                 word(0x0de0b6b3a7640000), word(0), word(0x120), word(0)}));
    EXPECT_EQ(call->size(), 4u + 10 * 32);

    auto wrong = encode_call("liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)",
                             std::vector<Value>{List{usdc, weth, oracle, irm}, borrower, seized_assets, U256(0), Bytes{}});
    EXPECT_EQ(wrong.error().message,
              "liquidate: abi: [0]: (address,address,address,address,uint256) expects 5 components, found 4");
}

// An ERC-20 Transfer as emitted by USDC: from and to are topics, the amount
// (1 USDC = 1 000 000 units) is the data.
TEST(AbiEvent, DecodesAnErc20TransferLog) {
    const EventSpec transfer =
        parse_event("Transfer(address indexed from, address indexed to, uint256 value)").value();
    EXPECT_EQ(transfer.canonical, "Transfer(address,address,uint256)");
    EXPECT_EQ(transfer.topic0.hex(), "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

    const std::vector<Bytes32> topics{
        b32("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"),
        b32("0x00000000000000000000000028c6c06298d514db089934071355e5743bf21d60"),
        b32("0x000000000000000000000000a9d1e08c7793af67e9d92fe308d5697fb81d3e43"),
    };
    const Bytes data = hex_chunks({word(1000000)});
    auto log = decode_log(transfer, topics, data);
    ASSERT_TRUE(log.has_value()) << log.error().message;
    ASSERT_EQ(log->values.size(), 3u);
    EXPECT_EQ(log->values[0].name, "from");
    EXPECT_EQ(*log->find("from")->as_address(), addr("0x28c6c06298d514db089934071355e5743bf21d60"));
    EXPECT_EQ(*log->find("to")->as_address(), addr("0xa9d1e08c7793af67e9d92fe308d5697fb81d3e43"));
    EXPECT_EQ(*log->find("value")->as_uint(), U256(1000000));
    EXPECT_EQ(log->find("nope"), nullptr);

    // Approval's topic0 is not Transfer's.
    auto other = topics;
    other[0] = b32("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
    EXPECT_EQ(decode_log(transfer, other, data).error().message,
              "log Transfer: topic0 is 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925, expected "
              "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef (Transfer(address,address,uint256))");
    // ERC-721 Transfer has the same topic0 but the token id as a third topic.
    auto erc721 = topics;
    erc721.push_back(b32("0x0000000000000000000000000000000000000000000000000000000000000001"));
    EXPECT_EQ(decode_log(transfer, erc721, Bytes{}).error().message, "log Transfer: expected 3 topics, found 4");
    auto dirty = topics;
    dirty[1].bytes[0] = 0x01;
    EXPECT_EQ(decode_log(transfer, dirty, data).error().message,
              "log Transfer: topic 1: abi: [0]: address at byte 0: expected zero padding in bytes 0..11, found 0x01 "
              "at byte 0");
    EXPECT_EQ(decode_log(transfer, topics, Bytes(16, 0)).error().message,
              "log Transfer: data: abi: heads at byte 0: expected 32 bytes, found 16");
}

TEST(AbiEvent, IndexedDynamicValuesComeBackAsTheirHash) {
    const EventSpec named = parse_event("Named(string indexed label, bytes payload, int8 indexed delta)").value();
    EXPECT_EQ(named.canonical, "Named(string,bytes,int8)");
    const Bytes32 label_hash = keccak256(std::string_view("alice"));
    const std::vector<Bytes32> topics{named.topic0, label_hash,
                                      b32("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe")};
    const Bytes data = hex_chunks({word(0x20), word(2), "beef" + std::string(60, '0')});
    auto log = decode_log(named, topics, data);
    ASSERT_TRUE(log.has_value()) << log.error().message;
    EXPECT_EQ(*log->find("label")->as_bytes(), Bytes(label_hash.bytes.begin(), label_hash.bytes.end()));
    EXPECT_EQ(*log->find("payload")->as_bytes(), (Bytes{0xbe, 0xef}));
    EXPECT_EQ(*log->find("delta")->as_int(), I256::from_int64(-2));
}

TEST(AbiEvent, TypedReadsByPositionSayWhichValueHasAnotherType) {
    const EventSpec named = parse_event("Named(string indexed label, bytes payload, int8 indexed delta)").value();
    const Bytes32 label_hash = keccak256(std::string_view("alice"));
    const std::vector<Bytes32> topics{named.topic0, label_hash,
                                      b32("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe")};
    const Bytes data = hex_chunks({word(0x20), word(2), "beef" + std::string(60, '0')});
    const DecodedLog log = decode_log(named, topics, data).value();
    EXPECT_EQ(log.bytes32_at(0).value(), label_hash);  // an indexed string is its hash
    EXPECT_EQ(log.bytes_at(1).value(), (Bytes{0xbe, 0xef}));
    EXPECT_EQ(log.int_at(2).value(), I256::from_int64(-2));
    EXPECT_EQ(log.address_at(0).error().message, "value 0 is not an address");
    EXPECT_EQ(log.uint_at(2).error().message, "value 2 is not a uint");
    EXPECT_EQ(log.bool_at(1).error().message, "value 1 is not a bool");
    EXPECT_EQ(log.bytes32_at(2).error().message, "value 2 is not bytes32");
    EXPECT_FALSE(log.bytes32_at(1).has_value());  // two bytes are not 32
}

TEST(AbiEvent, AnonymousEventsHaveNoTopic0AndIndexedLimitsHold) {
    const EventSpec anon = parse_event("Ping(uint256 indexed a, uint256 indexed b, uint256 indexed c, uint256 indexed "
                                       "d) anonymous").value();
    EXPECT_TRUE(anon.anonymous);
    const std::vector<Bytes32> topics{b32("0x" + word(1)), b32("0x" + word(2)), b32("0x" + word(3)),
                                      b32("0x" + word(4))};
    auto log = decode_log(anon, topics, Bytes{});
    ASSERT_TRUE(log.has_value()) << log.error().message;
    EXPECT_EQ(*log->values[3].value.as_uint(), U256(4));

    EXPECT_EQ(parse_event("Ping(uint256 indexed a, uint256 indexed b, uint256 indexed c, uint256 indexed d)")
                  .error()
                  .message,
              "event Ping: 4 indexed parameters, at most 3 fit in topics");
    EXPECT_EQ(parse_event("Ping(uint256 a) anonymus").error().message,
              "abi event: expected 'anonymous' or end of event at position 16, found 'a'");
}

TEST(AbiWords, ReadsTypedWordsFromReturnData) {
    // Aave getUserAccountData-like return: six words; plus an address and a bool.
    const Bytes data = hex_chunks({word(123), "0000000000000000000000002222222222222222222222222222222222222222", word(1),
                                   word(0xffffffffffffffffULL)});
    EXPECT_EQ(read_uint256(data, 0).value(), U256(123));
    EXPECT_EQ(read_address(data, 1).value(), addr("0x2222222222222222222222222222222222222222"));
    EXPECT_EQ(read_bool(data, 2).value(), true);
    EXPECT_EQ(read_uint(data, 3, 64).value(), U256(0xffffffffffffffffULL));
    EXPECT_EQ(read_bytes32(data, 0).value().bytes[31], 123);

    EXPECT_EQ(read_uint256(data, 4).error().message, "abi: uint256 word 4 at byte 128: expected 32 bytes, found 0");
    EXPECT_EQ(read_uint256(ByteView(data).first(40), 1).error().message,
              "abi: uint256 word 1 at byte 32: expected 32 bytes, found 8");
    EXPECT_EQ(read_uint256(data, 1u << 30).error().message,
              "abi: uint256 word 1073741824 at byte 128: expected 32 bytes, found 0");
    EXPECT_EQ(read_uint(data, 3, 56).error().message,
              "abi: uint56 word 3 at byte 96: expected zero padding in bytes 96..120, found 0xff at byte 120");
    EXPECT_EQ(read_address(hex_chunks({word(0), "0000ff" + std::string(58, '0')}), 1).error().message,
              "abi: address word 1 at byte 32: expected zero padding in bytes 32..43, found 0xff at byte 34");
    EXPECT_EQ(read_bool(data, 0).error().message,
              "abi: bool word 0 at byte 0: expected 0x00 or 0x01 in byte 31, found 0x7b");
}

}  // namespace abi_signature_test
}  // namespace keeper::abi

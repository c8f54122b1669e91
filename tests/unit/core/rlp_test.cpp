// RLP against ethereum/tests RLPTests/rlptest.json and invalidRLPTest.json.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/hex.hpp"
#include "core/rlp.hpp"

namespace rlp = keeper::rlp;
using keeper::Bytes;
using keeper::ByteView;
using keeper::U256;
using rlp::Item;

namespace rlp_test {

ByteView text(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
Item str(std::string_view s) { return Item::string(text(s)); }
Bytes unhex(std::string_view h) { return keeper::hex::decode(h).value(); }
std::string hex(const Bytes& b) { return keeper::hex::encode(b); }

TEST(Rlp, EncodesPublishedStrings) {
    EXPECT_EQ(hex(rlp::encode_bytes({})), "0x80");                       // emptystring
    EXPECT_EQ(hex(rlp::encode_bytes(unhex("00"))), "0x00");               // bytestring00
    EXPECT_EQ(hex(rlp::encode_bytes(unhex("7f"))), "0x7f");               // bytestring7F
    EXPECT_EQ(hex(rlp::encode_bytes(text("dog"))), "0x83646f67");         // shortstring
    // 55 bytes: the longest short form (0x80 + 55 = 0xb7).
    EXPECT_EQ(hex(rlp::encode_bytes(text("Lorem ipsum dolor sit amet, consectetur adipisicing eli"))),
              "0xb74c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720"
              "656c69");
    // 56 bytes: the first long form, 0xb8 then one length byte 0x38.
    EXPECT_EQ(hex(rlp::encode_bytes(text("Lorem ipsum dolor sit amet, consectetur adipisicing elit"))),
              "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e736563746574757220616469706973696369"
              "6e6720656c6974");
    // longstring2: 1024 bytes -> 0xb9 0x0400.
    const Bytes kb(1024, 'x');
    const Bytes enc = rlp::encode_bytes(kb);
    ASSERT_EQ(enc.size(), 1027u);
    EXPECT_EQ(hex(Bytes(enc.begin(), enc.begin() + 3)), "0xb90400");
}

TEST(Rlp, EncodesPublishedIntegers) {
    EXPECT_EQ(hex(rlp::encode_uint(0)), "0x80");
    EXPECT_EQ(hex(rlp::encode_uint(1)), "0x01");
    EXPECT_EQ(hex(rlp::encode_uint(15)), "0x0f");
    EXPECT_EQ(hex(rlp::encode_uint(16)), "0x10");
    EXPECT_EQ(hex(rlp::encode_uint(79)), "0x4f");
    EXPECT_EQ(hex(rlp::encode_uint(127)), "0x7f");
    EXPECT_EQ(hex(rlp::encode_uint(128)), "0x8180");
    EXPECT_EQ(hex(rlp::encode_uint(1000)), "0x8203e8");
    EXPECT_EQ(hex(rlp::encode_uint(1024)), "0x820400");
    EXPECT_EQ(hex(rlp::encode_uint(100000)), "0x830186a0");
    EXPECT_EQ(hex(rlp::encode_uint(UINT64_MAX)), "0x88ffffffffffffffff");
    EXPECT_EQ(hex(rlp::encode_u256(U256(0))), "0x80");
    EXPECT_EQ(hex(rlp::encode_u256(U256(1000))), "0x8203e8");
    // mediumint4 and mediumint5.
    EXPECT_EQ(hex(rlp::encode_u256(U256::from_dec("83729609699884896815286331701780722").value())),
              "0x8f102030405060708090a0b0c0d0e0f2");
    EXPECT_EQ(
        hex(rlp::encode_u256(
            U256::from_dec("105315505618206987246253880190783558935785933862974822347068935681").value())),
        "0x9c0100020003000400050006000700080009000a000b000c000d000e01");
    EXPECT_EQ(hex(rlp::encode_u256(U256::max())),
              "0xa0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

TEST(Rlp, EncodesPublishedLists) {
    EXPECT_EQ(hex(rlp::encode(Item::list({}))), "0xc0");
    EXPECT_EQ(hex(rlp::encode(Item::list({str("cat"), str("dog")}))), "0xc88363617483646f67");
    EXPECT_EQ(hex(rlp::encode(Item::list({str("dog"), str("god"), str("cat")}))), "0xcc83646f6783676f6483636174");
    // multilist ["zw", [4], 1]
    EXPECT_EQ(hex(rlp::encode(Item::list({str("zw"), Item::list({Item::string(unhex("04"))}), Item::string(unhex("01"))}))),
              "0xc6827a77c10401");
    // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
    const Item empty = Item::list({});
    const Item one = Item::list({empty});
    const Item three = Item::list({empty, one, Item::list({empty, one})});
    EXPECT_EQ(hex(rlp::encode(three)), "0xc7c0c1c0c3c0c1c0");
    // shortListMax1: 55-byte payload, still the short form 0xf7.
    std::vector<Item> eleven;
    for (int i = 0; i < 11; ++i) eleven.push_back(str(i % 3 == 0 ? "asdf" : i % 3 == 1 ? "qwer" : "zxcv"));
    EXPECT_EQ(hex(rlp::encode(Item::list(eleven))),
              "0xf784617364668471776572847a78637684617364668471776572847a78637684617364668471776572847a7863768461736466"
              "8471776572");
    // longList1: four ["asdf","qwer","zxcv"] -> 64-byte payload, 0xf840.
    const Item triple = Item::list({str("asdf"), str("qwer"), str("zxcv")});
    EXPECT_EQ(hex(rlp::encode(Item::list({triple, triple, triple, triple}))),
              "0xf840cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376cf84"
              "617364668471776572847a786376");
    // longList2: 32 triples -> 512-byte payload, 0xf90200.
    const Bytes long_list = rlp::encode(Item::list(std::vector<Item>(32, triple)));
    EXPECT_EQ(hex(Bytes(long_list.begin(), long_list.begin() + 3)), "0xf90200");
}

TEST(Rlp, DecodesWhatItEncodes) {
    const Item empty = Item::list({});
    const Item one = Item::list({empty});
    const Item three = Item::list({empty, one, Item::list({empty, one})});
    for (const Item& item : {three, str(""), str("dog"), Item::string(unhex("00")), Item::string(Bytes(1024, 7)),
                             Item::list({str("cat"), Item::list(std::vector<Item>(40, str("zxcv")))})}) {
        auto decoded = rlp::decode(rlp::encode(item));
        ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
        EXPECT_EQ(*decoded, item);
    }
    // bigint (2^256) decodes as a 33-byte string but is not a U256.
    const Bytes bigint = unhex("0xa1010000000000000000000000000000000000000000000000000000000000000000");
    auto as_item = rlp::decode(bigint);
    ASSERT_TRUE(as_item.has_value());
    EXPECT_EQ(as_item->bytes.size(), 33u);
    Bytes wrapped = rlp::encode_list(bigint);
    auto reader = rlp::ListReader::open(wrapped).value();
    auto too_big = reader.read_u256();
    ASSERT_FALSE(too_big.has_value());
    EXPECT_EQ(too_big.error().message, "rlp: integer of 33 bytes (expected at most 32) at offset 1");
}

struct InvalidCase {
    const char* name;
    const char* hex;
    const char* error;
};

// Every entry of invalidRLPTest.json plus the cases the brief lists.
TEST(Rlp, RejectsNonCanonicalAndTruncatedInput) {
    const InvalidCase cases[] = {
        {"int32Overflow", "0xbf0f000000000000021111",
         "rlp: string of 1080863910568919042 bytes runs past the end (2 left) at offset 0"},
        {"int32Overflow2", "0xff0f000000000000021111",
         "rlp: list of 1080863910568919042 bytes runs past the end (2 left) at offset 0"},
        {"wrongSizeList", "0xf80180",
         "rlp: list of 1 bytes uses the long form (expected the short form below 56) at offset 0"},
        {"wrongSizeList2", "0xf80100",
         "rlp: list of 1 bytes uses the long form (expected the short form below 56) at offset 0"},
        {"incorrectLengthInArray",
         "0xb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df0",
         "rlp: string length with a leading zero byte at offset 0"},
        {"randomRLP",
         "0xf861f83eb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df027b90015002d5ef8325ae4d034df"
         "55d4b58d0dfba64d61ddd17be00000b9001a00dae30907045a2f66fa36f2bb8aa9029cbb0b8a7b3b5c435ab331",
         // The outer lists fit; the string at offset 4 has a length 0x0021 with a leading zero.
         "rlp: string length with a leading zero byte at offset 4"},
        {"bytesShouldBeSingleByte00", "0x8100",
         "rlp: non-canonical single byte 0x00 encoded as a string (expected the byte itself) at offset 0"},
        {"bytesShouldBeSingleByte01", "0x8101",
         "rlp: non-canonical single byte 0x01 encoded as a string (expected the byte itself) at offset 0"},
        {"bytesShouldBeSingleByte7F", "0x817F",
         "rlp: non-canonical single byte 0x7f encoded as a string (expected the byte itself) at offset 0"},
        {"leadingZerosInLongLengthArray1",
         "b90040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132"
         "333435363738393a3b3c3d3e3f",
         "rlp: string length with a leading zero byte at offset 0"},
        {"leadingZerosInLongLengthArray2", "b800", "rlp: string length with a leading zero byte at offset 0"},
        {"leadingZerosInLongLengthList1",
         "fb00000040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30"
         "3132333435363738393a3b3c3d3e3f",
         "rlp: list length with a leading zero byte at offset 0"},
        {"leadingZerosInLongLengthList2", "f800", "rlp: list length with a leading zero byte at offset 0"},
        {"nonOptimalLongLengthArray1", "b81000112233445566778899aabbccddeeff",
         "rlp: string of 16 bytes uses the long form (expected the short form below 56) at offset 0"},
        {"nonOptimalLongLengthArray2", "b801ff",
         "rlp: string of 1 bytes uses the long form (expected the short form below 56) at offset 0"},
        {"nonOptimalLongLengthList1", "f810000102030405060708090a0b0c0d0e0f",
         "rlp: list of 16 bytes uses the long form (expected the short form below 56) at offset 0"},
        {"nonOptimalLongLengthList2", "f803112233",
         "rlp: list of 3 bytes uses the long form (expected the short form below 56) at offset 0"},
        {"empty input", "", "rlp: empty input at offset 0"},
        {"short string past end", "0x83646f", "rlp: string of 3 bytes runs past the end (2 left) at offset 0"},
        {"length of length past end", "0xb9", "rlp: string length of 2 bytes runs past the end (0 left) at offset 0"},
        {"trailing bytes", "0x83646f6700", "rlp: 1 trailing bytes after the item at offset 4"},
        // A list whose item claims more than the list holds: [ "dog" ] with the list saying 3 bytes.
        {"item past its list", "0xc383646f67", "rlp: string of 3 bytes runs past the end (2 left) at offset 1"},
        {"non-canonical byte inside list", "0xc3c28100",
         "rlp: non-canonical single byte 0x00 encoded as a string (expected the byte itself) at offset 2"},
    };
    for (const auto& c : cases) {
        auto decoded = rlp::decode(unhex(c.hex));
        ASSERT_FALSE(decoded.has_value()) << c.name;
        EXPECT_EQ(decoded.error().message, c.error) << c.name;
    }
}

TEST(Rlp, LimitsNestingDepth) {
    // 101 nested lists. The outer 45 need two-byte headers (payload >= 56), so the
    // 65th list (depth 64) starts at 45 * 2 + 19 = 109.
    Bytes deep{0xc0};
    for (int i = 0; i < 100; ++i) deep = rlp::encode_list(deep);
    auto decoded = rlp::decode(deep);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().message, "rlp: lists nested deeper than 64 at offset 109");
    EXPECT_TRUE(rlp::decode(deep, 101).has_value());
}

TEST(Rlp, ListReaderReadsTypedFields) {
    // [ 9, 0x3535...35 (20 bytes), [ 0x04 ], 1024 ]: 1 + 21 + 2 + 3 = 27 payload bytes
    // after a one-byte header, so the list ends at offset 28.
    Bytes payload;
    rlp::append_uint(payload, 9);
    rlp::append_bytes(payload, Bytes(20, 0x35));
    rlp::append_list(payload, rlp::encode_uint(4));
    rlp::append_u256(payload, U256(1024));
    const Bytes encoded = rlp::encode_list(payload);
    auto reader = rlp::ListReader::open(encoded);
    ASSERT_TRUE(reader.has_value());
    EXPECT_EQ(reader->read_u64().value(), 9u);
    EXPECT_EQ(reader->read_fixed(20).value().size(), 20u);
    auto inner = reader->read_list();
    ASSERT_TRUE(inner.has_value());
    EXPECT_EQ(inner->read_u64().value(), 4u);
    EXPECT_TRUE(inner->finish().has_value());
    EXPECT_EQ(reader->read_u256().value(), U256(1024));
    EXPECT_TRUE(reader->at_end());
    EXPECT_TRUE(reader->finish().has_value());
    auto past = reader->read_bytes();
    ASSERT_FALSE(past.has_value());
    EXPECT_EQ(past.error().message, "rlp: unexpected end of input, expected an item at offset 28");
}

TEST(Rlp, ListReaderRejectsNonCanonicalIntegersAndWrongShapes) {
    // 0x820001: the integer 1 with a leading zero byte.
    const Bytes leading_zero = unhex("0xc3820001");
    auto r1 = rlp::ListReader::open(leading_zero).value();
    auto v1 = r1.read_u64();
    ASSERT_FALSE(v1.has_value());
    EXPECT_EQ(v1.error().message, "rlp: integer with a leading zero byte at offset 1");
    // 0x00 as an integer: zero must be 0x80.
    const Bytes zero_byte = unhex("0xc100");
    auto r2 = rlp::ListReader::open(zero_byte).value();
    EXPECT_EQ(r2.read_u256().error().message, "rlp: integer with a leading zero byte at offset 1");
    // Nine bytes do not fit u64.
    const Bytes nine = unhex("0xca89010000000000000000");
    auto r3 = rlp::ListReader::open(nine).value();
    EXPECT_EQ(r3.read_u64().error().message, "rlp: integer of 9 bytes (expected at most 8) at offset 1");
    // Shape errors.
    const Bytes list_of_list = unhex("0xc1c0");
    auto r4 = rlp::ListReader::open(list_of_list).value();
    EXPECT_EQ(r4.read_bytes().error().message, "rlp: expected a string, found a list at offset 1");
    EXPECT_EQ(r4.finish().error().message, "rlp: unexpected extra item in list at offset 1");
    auto r5 = rlp::ListReader::open(unhex("0x83646f67"));
    EXPECT_EQ(r5.error().message, "rlp: expected a list, found a string at offset 0");
    auto r6 = rlp::ListReader::open(unhex("0xc0c0"));
    EXPECT_EQ(r6.error().message, "rlp: 1 trailing bytes after the list at offset 1");
    const Bytes short_address = unhex("0xc3823535");
    auto r7 = rlp::ListReader::open(short_address).value();
    EXPECT_EQ(r7.read_fixed(20).error().message, "rlp: expected a string of 20 bytes, found 2 at offset 1");
}

}  // namespace rlp_test

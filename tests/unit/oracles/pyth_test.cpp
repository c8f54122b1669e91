// Pyth's PriceFeedUpdate event and getPriceUnsafe / getPriceNoOlderThan,
// decoded from their wire form. The topic hash, selectors and data words
// were produced by foundry's `cast` 1.7.1 (cast keccak, cast sig, cast
// abi-encode, cast calldata), independently of our keccak and ABI codec.
// Worked example: ETH / USD (Pyth id 0xff61491a...0ace, expo -8) at
// 2000.12345678 (price 200012345678), conf 0.98765432, published at 1765000012.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/hex.hpp"
#include "oracles/feed_sanity.hpp"
#include "oracles/pyth_calls.hpp"
#include "oracles/pyth_events.hpp"

namespace keeper::oracles::pyth {
namespace pyth_test {

Bytes32 word(std::string_view hex) { return Bytes32::from_hex(hex).value(); }
Bytes bytes(std::string_view hex) { return hex::decode(hex).value(); }

const Bytes32 kEthUsd = word("0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace");
const Address kPyth = Address::parse("0x4305FB66699C3B2702D4d05CF36551390A4c69C6").value();
const Address kWeth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();

// cast abi-encode "f(uint64,int64,uint64)" 1765000012 200012345678 98765432
constexpr std::string_view kUpdateData =
    "0x000000000000000000000000000000000000000000000000000000006933c34c"
    "0000000000000000000000000000000000000000000000000000002e91aa314e"
    "0000000000000000000000000000000000000000000000000000000005e30a78";

// cast abi-encode "f(int64,uint64,int32,uint256)" 200012345678 98765432 -8 1765000012
constexpr std::string_view kPriceData =
    "0x0000000000000000000000000000000000000000000000000000002e91aa314e"
    "0000000000000000000000000000000000000000000000000000000005e30a78"
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8"
    "000000000000000000000000000000000000000000000000000000006933c34c";

TEST(PythTopic, IsTheKeccakOfTheEventSignature) {
    // cast keccak "PriceFeedUpdate(bytes32,uint64,int64,uint64)"
    EXPECT_EQ(price_feed_update_topic(), word("0xd06a6b7f4918494b3719217d1802786c1f5112a6c1d88fe2cfec00b4584f6aec"));
}

TEST(PythPriceFeedUpdate, DecodesTheIdFromTopic1AndPublishTimePriceConfFromData) {
    const std::vector<Bytes32> topics{price_feed_update_topic(), kEthUsd};
    const auto event = decode_event(topics, bytes(kUpdateData));
    ASSERT_TRUE(event.has_value()) << event.error().message;
    ASSERT_TRUE(event->has_value());
    const PriceFeedUpdate e = event->value_or(PriceFeedUpdate{});
    EXPECT_EQ(e.id, kEthUsd);
    EXPECT_EQ(e.publish_time_s, 1765000012u);
    EXPECT_EQ(e.price, 200012345678);
    EXPECT_EQ(e.conf, 98765432u);

    // expo -8 (read once from getPriceUnsafe): 8 decimals.
    const auto u = to_price_update(e, FeedContext{kWeth, -8, kPyth, 21'000'000});
    ASSERT_TRUE(u.has_value()) << u.error().message;
    EXPECT_EQ(u->asset, kWeth);
    EXPECT_EQ(u->price.text(), "2000.12345678");
    EXPECT_EQ(u->price.decimals, 8);
    EXPECT_EQ(u->price.to_wad(), U256(200012345678) * U256::pow10(10));  // 2000.12345678e18
    EXPECT_EQ(u->source, PriceSource::pyth_price_feed_update);
    EXPECT_EQ(to_string(u->source), "pyth PriceFeedUpdate");
    EXPECT_EQ(u->feed, kPyth);
    EXPECT_EQ(u->price_id, kEthUsd);
    EXPECT_EQ(u->observed_at_s, 1765000012u);
    EXPECT_EQ(u->round_id, U256(1765000012));  // publish times only grow: they order updates
    EXPECT_EQ(u->block, std::optional<std::uint64_t>(21'000'000));
}

TEST(PythPriceFeedUpdate, ANegativePriceDecodesAndIsNoPriceToTheSanityPolicy) {
    // cast abi-encode "f(uint64,int64,uint64)" 1765000012 -5 1
    const auto event = decode_event(std::vector<Bytes32>{price_feed_update_topic(), kEthUsd},
                                    bytes("0x000000000000000000000000000000000000000000000000000000006933c34c"
                                          "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb"
                                          "0000000000000000000000000000000000000000000000000000000000000001"));
    ASSERT_TRUE(event.has_value()) << event.error().message;
    const PriceFeedUpdate e = event->value_or(PriceFeedUpdate{});
    EXPECT_EQ(e.price, -5);
    const auto u = to_price_update(e, FeedContext{kWeth, -8, kPyth, std::nullopt});
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->price.text(), "-0.00000005");
    EXPECT_FALSE(u->price.positive());
    const auto judged = judge_feed(FeedSanitySettings{}, *u, std::nullopt, 1765000012);
    EXPECT_EQ(judged.verdict, FeedVerdict::no_price) << judged.reason;
}

TEST(PythPriceFeedUpdate, OtherEventsAreNotOursAndMalformedOnesAreErrors) {
    // Another topic0 (Chainlink's AnswerUpdated), or none: not a Pyth update.
    const auto other = decode_event(
        std::vector<Bytes32>{word("0x0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f"), kEthUsd},
        bytes(kUpdateData));
    ASSERT_TRUE(other.has_value());
    EXPECT_FALSE(other->has_value());
    EXPECT_FALSE(decode_event({}, bytes(kUpdateData)).value_or(std::nullopt).has_value());

    // The id missing from the topics.
    const auto no_id = decode_event(std::vector<Bytes32>{price_feed_update_topic()}, bytes(kUpdateData));
    ASSERT_FALSE(no_id.has_value());
    EXPECT_NE(no_id.error().message.find("PriceFeedUpdate"), std::string::npos) << no_id.error().message;

    // Two words instead of three.
    const auto short_data = decode_event(std::vector<Bytes32>{price_feed_update_topic(), kEthUsd},
                                         bytes(kUpdateData.substr(0, 2 + 128)));
    EXPECT_FALSE(short_data.has_value());

    // publishTime beyond uint64 (a dirty high byte): not this event's layout.
    std::string dirty(kUpdateData);
    dirty[2] = '1';
    EXPECT_FALSE(decode_event(std::vector<Bytes32>{price_feed_update_topic(), kEthUsd}, bytes(dirty)).has_value());

    // price not the sign extension of an int64.
    std::string wide(kUpdateData);
    wide[2 + 64] = '8';
    EXPECT_FALSE(decode_event(std::vector<Bytes32>{price_feed_update_topic(), kEthUsd}, bytes(wide)).has_value());
}

TEST(PythScaledPrice, ExpoIsTheNegativeOfTheDecimalsAndAPositiveExpoMultipliesExactly) {
    EXPECT_EQ(scaled_price(200012345678, -8).value().text(), "2000.12345678");
    EXPECT_EQ(scaled_price(99995000, -8).value().decimals, 8);
    EXPECT_EQ(scaled_price(7, 0).value().text(), "7");
    const auto thousand = scaled_price(-3, 3);  // -3 x 10^3
    ASSERT_TRUE(thousand.has_value());
    EXPECT_EQ(thousand->text(), "-3000");
    EXPECT_EQ(thousand->decimals, 0);
    EXPECT_EQ(scaled_price(1, -255).value().decimals, 255);
    EXPECT_FALSE(scaled_price(1, -256).has_value());
    // int64 max x 10^57 still fits int256; 10^58 could not be trusted to.
    EXPECT_TRUE(scaled_price(INT64_MAX, 57).has_value());
    EXPECT_FALSE(scaled_price(1, 58).has_value());
    EXPECT_FALSE(scaled_price(INT64_MIN, 57).value().positive());
}

TEST(PythCalls, CalldataIsTheSelectorAndTheId) {
    // cast calldata "getPriceUnsafe(bytes32)" 0xff61...0ace
    EXPECT_EQ(hex::encode(get_price_unsafe_call(kEthUsd)),
              "0x96834ad3ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace");
    // cast calldata "getPriceNoOlderThan(bytes32,uint256)" 0xff61...0ace 60
    EXPECT_EQ(hex::encode(get_price_no_older_than_call(kEthUsd, 60)),
              "0xa4ae35e0ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"
              "000000000000000000000000000000000000000000000000000000000000003c");
}

TEST(PythCalls, ThePriceStructDecodesWithItsOwnExpo) {
    const auto price = decode_price(bytes(kPriceData));
    ASSERT_TRUE(price.has_value()) << price.error().message;
    EXPECT_EQ(price->price, 200012345678);
    EXPECT_EQ(price->conf, 98765432u);
    EXPECT_EQ(price->expo, -8);
    EXPECT_EQ(price->publish_time_s, U256(1765000012));

    // The struct's expo wins over the context's.
    const auto u = to_price_update(*price, kEthUsd, FeedContext{kWeth, 0, kPyth, 21'000'000});
    ASSERT_TRUE(u.has_value()) << u.error().message;
    EXPECT_EQ(u->price.text(), "2000.12345678");
    EXPECT_EQ(u->source, PriceSource::pyth_get_price);
    EXPECT_EQ(u->observed_at_s, 1765000012u);
    EXPECT_EQ(u->round_id, U256(1765000012));
    EXPECT_EQ(u->price_id, kEthUsd);
    EXPECT_EQ(u->feed, kPyth);
}

TEST(PythCalls, AMalformedPriceIsAnError) {
    // Three words: publishTime missing.
    EXPECT_FALSE(decode_price(bytes(kPriceData.substr(0, 2 + 192))).has_value());
    // expo not the sign extension of an int32 (only its low 4 bytes set).
    std::string expo(kPriceData);
    expo.replace(2 + 128, 56, std::string(56, '0'));
    const auto bad = decode_price(bytes(expo));
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("pyth Price"), std::string::npos) << bad.error().message;
    // conf beyond uint64.
    std::string conf(kPriceData);
    conf[2 + 64] = '1';
    EXPECT_FALSE(decode_price(bytes(conf)).has_value());
    // publishTime past uint64 is kept whole, and saturates as an observation time.
    std::string late(kPriceData);
    late[2 + 192] = '1';
    const auto far = decode_price(bytes(late));
    ASSERT_TRUE(far.has_value()) << far.error().message;
    const auto u = to_price_update(*far, kEthUsd, FeedContext{kWeth, 0, kPyth, std::nullopt});
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->observed_at_s, UINT64_MAX);
}

}  // namespace pyth_test
}  // namespace keeper::oracles::pyth

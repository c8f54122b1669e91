// Chainlink aggregator logs decoded from their wire form. The expected topic
// hashes and the data words were produced by foundry's `cast` (cast keccak,
// cast abi-encode), independently of our keccak and ABI codec.
#include "oracles/chainlink_events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/hex.hpp"

namespace keeper::oracles::chainlink {
namespace chainlink_events_test {

Bytes32 word(std::string_view hex) { return Bytes32::from_hex(hex).value(); }
Bytes32 word_of(std::uint64_t v) { return Bytes32(U256(v).to_be()); }
Bytes bytes(std::string_view hex) { return hex::decode(hex).value(); }
abi::I256 int_of(std::int64_t v) { return abi::I256::from_int64(v); }

const Address kAggregator = Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3").value();
const Address kWeth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();
const Address kTransmitter = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value();

// cast abi-encode "f(int192,address,int192[],bytes,bytes32)" 200012345678 0x7099...79C8
//   "[199990000000,200012345678,200050000000]" 0x000102 0x(11 zero bytes, digest c0ffee…ee01, epoch 3, round 1)
constexpr std::string_view kOcr1Data =
    "0x0000000000000000000000000000000000000000000000000000002e91aa314e"
    "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
    "00000000000000000000000000000000000000000000000000000000000000a0"
    "0000000000000000000000000000000000000000000000000000000000000120"
    "0000000000000000000000c0ffeec0ffeec0ffeec0ffeec0ffee010000000301"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0000000000000000000000000000000000000000000000000000002e90553980"
    "0000000000000000000000000000000000000000000000000000002e91aa314e"
    "0000000000000000000000000000000000000000000000000000002e93e8c080"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0001020000000000000000000000000000000000000000000000000000000000";

// cast abi-encode "f(int192,address,uint32,int192[],bytes,int192,bytes32,uint40)" 200012345678 0x7099...79C8
//   1765000000 "[199990000000,200012345678,200050000000]" 0x000102 4200000000000000 0x0001c0ffee…01 257
constexpr std::string_view kOcr2Data =
    "0x0000000000000000000000000000000000000000000000000000002e91aa314e"
    "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
    "000000000000000000000000000000000000000000000000000000006933c340"
    "0000000000000000000000000000000000000000000000000000000000000100"
    "0000000000000000000000000000000000000000000000000000000000000180"
    "000000000000000000000000000000000000000000000000000eebe0b40e8000"
    "0001c0ffee000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000101"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0000000000000000000000000000000000000000000000000000002e90553980"
    "0000000000000000000000000000000000000000000000000000002e91aa314e"
    "0000000000000000000000000000000000000000000000000000002e93e8c080"
    "0000000000000000000000000000000000000000000000000000000000000003"
    "0001020000000000000000000000000000000000000000000000000000000000";

TEST(ChainlinkTopics, AreTheKeccakOfTheContractsEventSignatures) {
    // cast keccak "AnswerUpdated(int256,uint256,uint256)" etc.
    EXPECT_EQ(answer_updated_topic(), word("0x0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f"));
    EXPECT_EQ(ocr1_new_transmission_topic(),
              word("0xf6a97944f31ea060dfde0566e4167c1a1082551e64b60ecb14d599a9d023d451"));
    EXPECT_EQ(ocr2_new_transmission_topic(),
              word("0xc797025feeeaf2cd924c99e9205acb8ec04d5cad21c41ce637a38fb6dee6016a"));
    EXPECT_EQ(followed_topics().size(), 3u);
}

TEST(AnswerUpdated, DecodesCurrentAndRoundFromTopicsAndUpdatedAtFromData) {
    // ETH / USD 2000.12345678 at 8 decimals, round 7, updated at 1765000012.
    const std::vector<Bytes32> topics{answer_updated_topic(), word_of(200012345678), word_of(7)};
    const auto event = decode_event(topics, bytes("0x000000000000000000000000000000000000000000000000000000006933c34c"));
    ASSERT_TRUE(event.has_value()) << event.error().message;
    ASSERT_TRUE(event->has_value());
    const auto& a = std::get<AnswerUpdated>(**event);
    EXPECT_EQ(a.current, int_of(200012345678));
    EXPECT_EQ(a.round_id, U256(7));
    EXPECT_EQ(a.updated_at_s, U256(1765000012));

    const PriceUpdate u = to_price_update(**event, FeedContext{kWeth, 8, kAggregator, 21'000'000, 1765000020});
    EXPECT_EQ(u.asset, kWeth);
    EXPECT_EQ(u.feed, kAggregator);
    EXPECT_EQ(u.source, PriceSource::chainlink_answer_updated);
    EXPECT_EQ(u.round_id, U256(7));
    EXPECT_EQ(u.observed_at_s, 1765000012u);  // updatedAt, not the block's time
    EXPECT_EQ(u.block, 21'000'000u);
    EXPECT_EQ(u.price.text(), "2000.12345678");
    EXPECT_EQ(u.price.to_wad(), U256::from_dec("2000123456780000000000").value());
}

TEST(AnswerUpdated, ANegativeAnswerDecodesButIsNoPrice) {
    // cast abi-encode "f(int256)" -- -5
    const std::vector<Bytes32> topics{answer_updated_topic(),
                                      word("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb"),
                                      word_of(8)};
    const auto event = decode_event(topics, word_of(1765000012).view());
    ASSERT_TRUE(event.has_value()) << event.error().message;
    const auto& a = std::get<AnswerUpdated>(**event);
    EXPECT_EQ(a.current, int_of(-5));
    const ScaledAnswer price{a.current, 8};
    EXPECT_FALSE(price.positive());
    EXPECT_EQ(price.to_wad(), std::nullopt);
    EXPECT_EQ(price.text(), "-0.00000005");
}

TEST(AnswerUpdated, WithoutItsIndexedRoundOrWithShortDataIsAnErrorNamingIt) {
    const std::vector<Bytes32> two_topics{answer_updated_topic(), word_of(1)};
    const auto missing = decode_event(two_topics, word_of(1).view());
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().message.find("AnswerUpdated"), std::string::npos) << missing.error().message;

    const std::vector<Bytes32> topics{answer_updated_topic(), word_of(1), word_of(2)};
    const auto short_data = decode_event(topics, bytes("0x0102"));
    ASSERT_FALSE(short_data.has_value());
    EXPECT_NE(short_data.error().message.find("AnswerUpdated"), std::string::npos);
}

TEST(Ocr1NewTransmission, DecodesTheMedianObservationsAndReportContext) {
    const std::vector<Bytes32> topics{ocr1_new_transmission_topic(), word_of(42)};
    const auto event = decode_event(topics, bytes(kOcr1Data));
    ASSERT_TRUE(event.has_value()) << event.error().message;
    const auto& t = std::get<NewTransmission>(**event);
    EXPECT_EQ(t.ocr, NewTransmission::Ocr::v1);
    EXPECT_EQ(t.aggregator_round_id, 42u);
    EXPECT_EQ(t.answer, int_of(200012345678));
    EXPECT_EQ(t.transmitter, kTransmitter);
    EXPECT_EQ(t.observations,
              (std::vector<abi::I256>{int_of(199990000000), int_of(200012345678), int_of(200050000000)}));
    EXPECT_EQ(t.observers, bytes("0x000102"));
    EXPECT_EQ(t.config_digest, word("0x0000000000000000000000c0ffeec0ffeec0ffeec0ffeec0ffee010000000301"));
    EXPECT_EQ(t.epoch_and_round, 0x301u);  // epoch 3, round 1
    EXPECT_EQ(t.observations_timestamp_s, std::nullopt);
    EXPECT_EQ(t.juels_per_fee_coin, std::nullopt);

    // OCR1's event has no timestamp: the block's stands in.
    const PriceUpdate u = to_price_update(**event, FeedContext{kWeth, 8, kAggregator, 100, 1765000099});
    EXPECT_EQ(u.source, PriceSource::chainlink_ocr1_transmission);
    EXPECT_EQ(u.round_id, U256(42));
    EXPECT_EQ(u.observed_at_s, 1765000099u);
    EXPECT_EQ(u.price.text(), "2000.12345678");
}

TEST(Ocr2NewTransmission, DecodesEveryFieldOfTheOcr2Signature) {
    const std::vector<Bytes32> topics{ocr2_new_transmission_topic(), word_of(43)};
    const auto event = decode_event(topics, bytes(kOcr2Data));
    ASSERT_TRUE(event.has_value()) << event.error().message;
    const auto& t = std::get<NewTransmission>(**event);
    EXPECT_EQ(t.ocr, NewTransmission::Ocr::v2);
    EXPECT_EQ(t.aggregator_round_id, 43u);
    EXPECT_EQ(t.answer, int_of(200012345678));
    EXPECT_EQ(t.transmitter, kTransmitter);
    EXPECT_EQ(t.observations_timestamp_s, 1765000000u);
    EXPECT_EQ(t.observations.size(), 3u);
    EXPECT_EQ(t.observers, bytes("0x000102"));
    EXPECT_EQ(t.juels_per_fee_coin, int_of(4200000000000000));
    EXPECT_EQ(t.config_digest, word("0x0001c0ffee000000000000000000000000000000000000000000000000000001"));
    EXPECT_EQ(t.epoch_and_round, 257u);  // epoch 1, round 1

    const PriceUpdate u = to_price_update(**event, FeedContext{kWeth, 8, kAggregator, 100, 1765000099});
    EXPECT_EQ(u.source, PriceSource::chainlink_ocr2_transmission);
    EXPECT_EQ(u.observed_at_s, 1765000000u);  // the observations' time, not the block's
    EXPECT_EQ(u.price.to_wad(), U256::from_dec("2000123456780000000000").value());
}

TEST(Ocr2NewTransmission, AnAnswerThatIsNotASignExtendedInt192IsRefused) {
    Bytes data = bytes(kOcr2Data);
    data[0] = 0x01;  // int192 leaves the top 8 bytes as the sign's copies
    const std::vector<Bytes32> topics{ocr2_new_transmission_topic(), word_of(43)};
    const auto event = decode_event(topics, data);
    ASSERT_FALSE(event.has_value());
    EXPECT_NE(event.error().message.find("NewTransmission (OCR2)"), std::string::npos) << event.error().message;
}

TEST(Ocr2NewTransmission, ARoundIdAboveUint32IsRefused) {
    const std::vector<Bytes32> topics{ocr2_new_transmission_topic(), word_of(1ULL << 32)};
    EXPECT_FALSE(decode_event(topics, bytes(kOcr2Data)).has_value());
}

TEST(ChainlinkEvents, OtherLogsAreNotOurs) {
    // NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt)
    const std::vector<Bytes32> new_round{word("0x0109fc6f55cf40689f02fbaad7af7fe7bbac8a3d2186600afc7d3e10cac60271"),
                                         word_of(7), word_of(0)};
    const auto other = decode_event(new_round, word_of(1).view());
    ASSERT_TRUE(other.has_value());
    EXPECT_FALSE(other->has_value());
    const auto none = decode_event({}, {});
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());
}

TEST(ScaledAnswer, RescalesToWadFromAnyDecimals) {
    EXPECT_EQ((ScaledAnswer{int_of(1), 0}.to_wad()), U256::pow10(18));
    EXPECT_EQ((ScaledAnswer{int_of(123456789), 18}.to_wad()), U256(123456789));
    // 24 decimals: finer than a wad, rounded down (1.999999 -> 1 wei of wad).
    EXPECT_EQ((ScaledAnswer{int_of(1999999), 24}.to_wad()), U256(1));
    EXPECT_EQ((ScaledAnswer{int_of(0), 8}.to_wad()), std::nullopt);
    EXPECT_EQ((ScaledAnswer{int_of(5), 200}.to_wad()), std::nullopt);
    EXPECT_EQ((ScaledAnswer{int_of(5), 8}.text()), "0.00000005");
    EXPECT_EQ((ScaledAnswer{int_of(123), 0}.text()), "123");
}

}  // namespace chainlink_events_test
}  // namespace keeper::oracles::chainlink

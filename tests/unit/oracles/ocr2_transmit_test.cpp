// OCR2 transmit calldata, as a pending transaction to an aggregator carries
// it. The worked example's bytes were produced by foundry's `cast`
// independently of our ABI codec:
//   report = cast abi-encode "f(uint32,bytes32,int192[],int192)" 1765000000
//            0x000102 (padded to 32 bytes) "[199990000000,200012345678,200050000000]" 4200000000000000
//   cast calldata "transmit(bytes32[3],bytes,bytes32[],bytes32[],bytes32)"
//            "[0x0001c0ffee…01, 0x…0301, 0x0]" $report "[0x11…11]" "[0x22…22]" 0x01 00…00
// ETH / USD at 8 decimals: three oracles observed 1999.9, 2000.12345678 and
// 2000.5; the median, what the aggregator stores, is 2000.12345678.
#include "oracles/ocr2_transmit.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/hex.hpp"

namespace keeper::oracles::chainlink {
namespace ocr2_transmit_test {

Bytes bytes(std::string_view hex) { return hex::decode(hex).value(); }
abi::I256 int_of(std::int64_t v) { return abi::I256::from_int64(v); }

// Word k (0-based after the selector) starts at byte 4 + 32 k.
constexpr std::size_t at_word(std::size_t k) { return 4 + 32 * k; }

const std::string kHead =
    "0xb1dc65a4"
    "0001c0ffee000000000000000000000000000000000000000000000000000001"   // 0 reportContext[0]: configDigest
    "0000000000000000000000000000000000000000000000000000000000000301"   // 1 [1]: epoch 3, round 1
    "0000000000000000000000000000000000000000000000000000000000000000"   // 2 [2]: extraHash
    "00000000000000000000000000000000000000000000000000000000000000e0"   // 3 offset of report
    "0000000000000000000000000000000000000000000000000000000000000200"   // 4 offset of rs
    "0000000000000000000000000000000000000000000000000000000000000240";  // 5 offset of ss
const std::string kReport =
    "0000000000000000000000000000000000000000000000000000000000000100"   // 7 report: 256 bytes
    "000000000000000000000000000000000000000000000000000000006933c340"   // 8 observationsTimestamp 1765000000
    "0001020000000000000000000000000000000000000000000000000000000000"   // 9 rawObservers: oracles 0, 1, 2
    "0000000000000000000000000000000000000000000000000000000000000080"   // 10 offset of observations
    "000000000000000000000000000000000000000000000000000eebe0b40e8000"   // 11 juelsPerFeeCoin 4.2e15
    "0000000000000000000000000000000000000000000000000000000000000003"   // 12 three observations
    "0000000000000000000000000000000000000000000000000000002e90553980"   // 13 199990000000
    "0000000000000000000000000000000000000000000000000000002e91aa314e"   // 14 200012345678: the median
    "0000000000000000000000000000000000000000000000000000002e93e8c080";  // 15 200050000000
const std::string kSigned = kHead + "0100000000000000000000000000000000000000000000000000000000000000" +  // 6 rawVs
                            kReport +
                            "0000000000000000000000000000000000000000000000000000000000000001"   // 16 one r
                            "1111111111111111111111111111111111111111111111111111111111111111"   // 17
                            "0000000000000000000000000000000000000000000000000000000000000001"   // 18 one s
                            "2222222222222222222222222222222222222222222222222222222222222222";  // 19
// The same with zero signatures: what encode_ocr2_transmit writes.
const std::string kZeroSigned = kHead + "0000000000000000000000000000000000000000000000000000000000000000" + kReport +
                                "0000000000000000000000000000000000000000000000000000000000000001"
                                "0000000000000000000000000000000000000000000000000000000000000000"
                                "0000000000000000000000000000000000000000000000000000000000000001"
                                "0000000000000000000000000000000000000000000000000000000000000000";

Ocr2Transmit worked_example() {
    Ocr2Transmit t;
    t.config_digest = Bytes32::from_hex("0x0001c0ffee000000000000000000000000000000000000000000000000000001").value();
    t.epoch_and_round = 0x0301;
    t.report.observations_timestamp_s = 1765000000;
    t.report.observers = Bytes{0, 1, 2};
    t.report.observations = {int_of(199990000000), int_of(200012345678), int_of(200050000000)};
    t.report.juels_per_fee_coin = int_of(4200000000000000);
    t.signatures = 1;
    return t;
}

std::string error_of(ByteView calldata) {
    const auto decoded = decode_ocr2_transmit(calldata);
    return decoded.has_value() ? std::string("no error") : decoded.error().message;
}

TEST(Ocr2TransmitSelector, IsTheKeccakOfTheAggregatorsSignature) {
    // cast sig "transmit(bytes32[3],bytes,bytes32[],bytes32[],bytes32)" = 0xb1dc65a4
    EXPECT_EQ(ocr2_transmit_selector(), (Selector{0xb1, 0xdc, 0x65, 0xa4}));
}

TEST(Ocr2Transmit, DecodesTheReportAndItsMedianFromCastsCalldata) {
    const Bytes calldata = bytes(kSigned);
    ASSERT_EQ(calldata.size(), 644u);  // 324 fixed + 256 report + 2 * 32 signatures
    const auto decoded = decode_ocr2_transmit(calldata);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    ASSERT_TRUE(decoded->has_value());
    const Ocr2Transmit& t = **decoded;
    EXPECT_EQ(t, worked_example());
    EXPECT_EQ(t.median(), int_of(200012345678));  // observations[3 / 2]
    EXPECT_EQ(t.epoch_and_round >> 8, 3u);        // epoch
    EXPECT_EQ(t.epoch_and_round & 0xff, 1u);      // round
}

TEST(Ocr2Transmit, TheMedianIsTheMiddleObservationOrTheUpperOfTheTwoMiddleOnes) {
    Ocr2Transmit t = worked_example();
    t.report.observations = {int_of(-5), int_of(-3), int_of(2)};
    auto calldata = encode_ocr2_transmit(t);
    ASSERT_TRUE(calldata.has_value()) << calldata.error().message;
    auto decoded = decode_ocr2_transmit(*calldata);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ((*decoded)->median(), int_of(-3));  // negative: decoded, judged later (no price)

    t.report.observers = Bytes{3, 0, 2, 1};
    t.report.observations = {int_of(10), int_of(20), int_of(30), int_of(40)};
    calldata = encode_ocr2_transmit(t);
    ASSERT_TRUE(calldata.has_value()) << calldata.error().message;
    decoded = decode_ocr2_transmit(*calldata);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ((*decoded)->median(), int_of(30));  // observations[4 / 2]
    EXPECT_EQ((*decoded)->report.observers, (Bytes{3, 0, 2, 1}));
}

TEST(Ocr2Transmit, EncodesCastsBytesWithZeroSignatures) {
    const auto encoded = encode_ocr2_transmit(worked_example());
    ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
    EXPECT_EQ(hex::encode(*encoded), kZeroSigned);
}

TEST(Ocr2Transmit, AnotherCallOrLessThanASelectorIsNotATransmit) {
    // set(int256) of the AnswerUpdated mock, and three bytes.
    const auto other = decode_ocr2_transmit(
        bytes("0xe5c19b2d0000000000000000000000000000000000000000000000000000000005f5e100"));
    ASSERT_TRUE(other.has_value());
    EXPECT_FALSE(other->has_value());
    const auto tiny = decode_ocr2_transmit(bytes("0xb1dc65"));
    ASSERT_TRUE(tiny.has_value());
    EXPECT_FALSE(tiny->has_value());
}

TEST(Ocr2Transmit, EveryTruncationIsAnErrorNeverACrash) {
    const Bytes calldata = bytes(kSigned);
    for (std::size_t size = 4; size < calldata.size(); ++size) {
        const auto decoded = decode_ocr2_transmit(ByteView(calldata).first(size));
        EXPECT_FALSE(decoded.has_value()) << size << " bytes decoded";
    }
}

TEST(Ocr2Transmit, CalldataTheAggregatorWouldRefuseIsAnErrorSayingWhy) {
    const Bytes good = bytes(kSigned);
    auto with_word = [&](std::size_t k, std::string_view hex_word) {
        Bytes b = good;
        const Bytes w = bytes(hex_word);
        std::copy(w.begin(), w.end(), b.begin() + static_cast<std::ptrdiff_t>(at_word(k)));
        return b;
    };
    // No observations: no median to take.
    EXPECT_NE(error_of(with_word(12, "0x0000000000000000000000000000000000000000000000000000000000000000"))
                  .find("no observations"),
              std::string::npos);
    // 2^32 - 1 observations: past the end of the report.
    EXPECT_NE(
        error_of(with_word(12, "0x00000000000000000000000000000000000000000000000000000000ffffffff")).find("report"),
        std::string::npos);
    // An observation with bits beyond int192 (not the sign extension of 192 bits).
    EXPECT_NE(error_of(with_word(13, "0x0100000000000000000000000000000000000000000000000000002e90553980")),
              "no error");
    // A report offset past the end of the calldata.
    EXPECT_NE(error_of(with_word(3, "0x00000000000000000000000000000000000000000000000000000000ffffff00")), "no error");
    // One r, no s: the aggregator reverts "signatures out of registration".
    EXPECT_NE(error_of(with_word(18, "0x0000000000000000000000000000000000000000000000000000000000000000"))
                  .find("1 rs but 0 ss"),
              std::string::npos);
    // A byte appended: the aggregator reverts "calldata length mismatch".
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_NE(error_of(longer).find("calldata length mismatch"), std::string::npos) << error_of(longer);
    // 32 observations: more than the aggregator's 31 oracles.
    Ocr2Transmit many = worked_example();
    many.report.observers = Bytes(32, 0);
    many.report.observations.assign(32, int_of(1));
    const auto encoded = encode_ocr2_transmit(many);
    ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
    EXPECT_NE(error_of(*encoded).find("more than the aggregator's 31"), std::string::npos) << error_of(*encoded);
}

TEST(Ocr2Transmit, AReportLongerThanItsObservationsIsRefusedAsTheAggregatorDoes) {
    // The report grows by one word (length 0x120, a zero word appended) and
    // the rs / ss offsets move with it: abi.decode accepts the trailing word,
    // _requireExpectedReportLength does not.
    Bytes b = bytes(kSigned);
    const Bytes extra(32, 0);
    b.insert(b.begin() + static_cast<std::ptrdiff_t>(at_word(16)), extra.begin(), extra.end());
    b[at_word(7) + 30] = 0x01;
    b[at_word(7) + 31] = 0x20;
    b[at_word(4) + 31] = 0x20;
    b[at_word(4) + 30] = 0x02;
    b[at_word(5) + 31] = 0x60;
    b[at_word(5) + 30] = 0x02;
    EXPECT_NE(error_of(b).find("the aggregator requires exactly 256"), std::string::npos) << error_of(b);
}

}  // namespace ocr2_transmit_test
}  // namespace keeper::oracles::chainlink

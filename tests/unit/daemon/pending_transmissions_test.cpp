// Which pending transactions the pending mode acts on: an OCR2 transmit to a
// watched aggregator, decoded; everything else is left alone, and a transmit
// the aggregator would refuse is an error (it will revert: nothing to act
// on). Worked example: three oracles observe 0.89, 0.90 and 0.95 (8
// decimals) in epoch 1 round 2; the median 0.90 is what the aggregator will
// answer, priced for the collateral it feeds.
#include "keeper/daemon/pending_transmissions.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace keeper::app {
namespace pending_transmissions_test {

namespace chainlink = oracles::chainlink;

const Address kAggregator = Address::parse("0x00000000000000000000000000000000000000a9").value();
const Address kOther = Address::parse("0x00000000000000000000000000000000000000b7").value();
const Address kTransmitter = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value();
const Address kCollateral = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();

chainlink::Ocr2Transmit report() {
    chainlink::Ocr2Transmit t;
    t.epoch_and_round = 0x102;
    t.report.observations_timestamp_s = 1765000000;
    t.report.observers = Bytes{0, 1, 2};
    t.report.observations = {abi::I256::from_int64(89'000'000), abi::I256::from_int64(90'000'000),
                             abi::I256::from_int64(95'000'000)};
    t.signatures = 1;
    return t;
}

chain::PendingTransaction tx_to(std::optional<Address> to, Bytes input) {
    chain::PendingTransaction tx;
    tx.hash.bytes[31] = 0x01;
    tx.from = kTransmitter;
    tx.to = to;
    tx.input = std::move(input);
    tx.priority_fee_wei = U256(1'000'000'000);
    return tx;
}

const std::vector<Address> kWatched{kAggregator};

TEST(RecogniseTransmission, ATransmitToAWatchedAggregatorCarriesItsMedianAndTip) {
    const auto recognised = recognise_transmission(
        tx_to(kAggregator, chainlink::encode_ocr2_transmit(report()).value()), kWatched);
    ASSERT_TRUE(recognised.has_value());
    ASSERT_TRUE(recognised->has_value()) << recognised->error().message;
    const PendingTransmission& p = **recognised;
    EXPECT_EQ(p.aggregator, kAggregator);
    EXPECT_EQ(p.transmit.median(), abi::I256::from_int64(90'000'000));
    EXPECT_EQ(p.tx.priority_fee_wei, U256(1'000'000'000));
    EXPECT_EQ(p.tx.from, kTransmitter);

    const oracles::PriceUpdate u = chainlink::to_pending_price_update(p.transmit, kCollateral, 8, kAggregator);
    EXPECT_EQ(u.price.text(), "0.90000000");
    EXPECT_EQ(u.source, oracles::PriceSource::chainlink_ocr2_pending);
    EXPECT_EQ(u.block, std::nullopt);  // not mined
    EXPECT_EQ(u.observed_at_s, 1765000000u);
    EXPECT_EQ(oracles::to_string(u.source), "pending chainlink OCR2 transmit");
}

TEST(RecogniseTransmission, OtherAddressesOtherCallsAndCreationsAreLeftAlone) {
    const Bytes transmit = chainlink::encode_ocr2_transmit(report()).value();
    EXPECT_FALSE(recognise_transmission(tx_to(kOther, transmit), kWatched).has_value());
    EXPECT_FALSE(recognise_transmission(tx_to(std::nullopt, transmit), kWatched).has_value());
    // set(int256) of the AnswerUpdated mock: not a transmit.
    EXPECT_FALSE(recognise_transmission(tx_to(kAggregator, Bytes{0xe5, 0xc1, 0x9b, 0x2d}), kWatched).has_value());
    EXPECT_FALSE(recognise_transmission(tx_to(kAggregator, Bytes{}), kWatched).has_value());
}

TEST(RecogniseTransmission, ATransmitTheAggregatorWouldRefuseIsAnErrorNamingTheTransaction) {
    Bytes truncated = chainlink::encode_ocr2_transmit(report()).value();
    truncated.resize(truncated.size() - 32);
    const auto recognised = recognise_transmission(tx_to(kAggregator, truncated), kWatched);
    ASSERT_TRUE(recognised.has_value());
    ASSERT_FALSE(recognised->has_value());
    EXPECT_NE(recognised->error().message.find(
                  "pending tx 0x0000000000000000000000000000000000000000000000000000000000000001 to " +
                  kAggregator.checksummed()),
              std::string::npos)
        << recognised->error().message;
}

}  // namespace pending_transmissions_test
}  // namespace keeper::app

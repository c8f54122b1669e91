// Aggregator views: calldata selectors and return-data decoding. Return
// data made with `cast abi-encode "f(uint80,int256,uint256,uint256,uint80)"
// 18446744073709552001 200012345678 1765000000 1765000012 18446744073709552001`
// (an OCR2 proxy round: phase 1 << 64 | aggregator round 385).
#include "oracles/chainlink_calls.hpp"

#include <gtest/gtest.h>

#include "core/hex.hpp"

namespace keeper::oracles::chainlink {
namespace chainlink_calls_test {

Bytes bytes(std::string_view hex) { return hex::decode(hex).value(); }

constexpr std::string_view kRound =
    "0x0000000000000000000000000000000000000000000000010000000000000181"
    "0000000000000000000000000000000000000000000000000000002e91aa314e"
    "000000000000000000000000000000000000000000000000000000006933c340"
    "000000000000000000000000000000000000000000000000000000006933c34c"
    "0000000000000000000000000000000000000000000000010000000000000181";

TEST(ChainlinkCalls, SelectorsAreTheViewsOfAggregatorV3InterfaceAndTheProxy) {
    // cast sig "latestRoundData()" / "decimals()" / "aggregator()"
    EXPECT_EQ(hex::encode(latest_round_data_call()), "0xfeaf968c");
    EXPECT_EQ(hex::encode(decimals_call()), "0x313ce567");
    EXPECT_EQ(hex::encode(aggregator_call()), "0x245a7bfc");
}

TEST(ChainlinkCalls, LatestRoundDataDecodesToARoundAndAPriceUpdate) {
    const auto round = decode_latest_round_data(bytes(kRound));
    ASSERT_TRUE(round.has_value()) << round.error().message;
    EXPECT_EQ(round->round_id, U256::from_dec("18446744073709552001").value());
    EXPECT_EQ(round->answer, abi::I256::from_int64(200012345678));
    EXPECT_EQ(round->started_at_s, U256(1765000000));
    EXPECT_EQ(round->updated_at_s, U256(1765000012));

    const Address asset = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();
    const Address feed = Address::parse("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419").value();
    const PriceUpdate u = to_price_update(*round, FeedContext{asset, 8, feed, 123, 0});
    EXPECT_EQ(u.source, PriceSource::chainlink_latest_round);
    EXPECT_EQ(u.price.text(), "2000.12345678");
    EXPECT_EQ(u.observed_at_s, 1765000012u);
    EXPECT_EQ(u.block, 123u);
}

TEST(ChainlinkCalls, ShortOrOverwideReturnDataIsRefused) {
    Bytes wide = bytes(kRound);
    EXPECT_FALSE(decode_latest_round_data(ByteView(wide).first(64)).has_value());
    wide[0] = 0x01;  // roundId is a uint80: its high bytes must be zero
    EXPECT_FALSE(decode_latest_round_data(wide).has_value());
    EXPECT_EQ(decode_decimals(bytes("0x0000000000000000000000000000000000000000000000000000000000000008")), 8);
    EXPECT_FALSE(decode_decimals(bytes("0x0000000000000000000000000000000000000000000000000000000000000108")).has_value());
    EXPECT_FALSE(decode_aggregator(bytes("0x01")).has_value());
}

}  // namespace chainlink_calls_test
}  // namespace keeper::oracles::chainlink

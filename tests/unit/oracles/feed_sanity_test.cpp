// The feed-sanity policy on worked examples: an ETH / USD feed with
// Chainlink's mainnet heartbeat (3600 s), a 60 s margin, and a second
// source compared within 100 bps.
#include "oracles/feed_sanity.hpp"

#include <gtest/gtest.h>

namespace keeper::oracles {
namespace feed_sanity_test {

const Address kWeth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();
const Address kWbtc = Address::parse("0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599").value();
const Address kFeed = Address::parse("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419").value();
const Address kOtherFeed = Address::parse("0x000000000000000000000000000000000000dEaD").value();

PriceUpdate eth_usd(std::int64_t answer_1e8, std::uint64_t round, std::uint64_t observed_at_s,
                    const Address& feed = kFeed) {
    PriceUpdate u;
    u.asset = kWeth;
    u.price = ScaledAnswer{abi::I256::from_int64(answer_1e8), 8};
    u.source = PriceSource::chainlink_answer_updated;
    u.feed = feed;
    u.round_id = U256(round);
    u.observed_at_s = observed_at_s;
    return u;
}

// A second source quoting in 18 decimals: deviation is judged in wad terms.
PriceUpdate second_wad(const char* price_wad, std::uint64_t observed_at_s) {
    PriceUpdate u;
    u.asset = kWeth;
    u.price = ScaledAnswer{abi::I256{U256::from_dec(price_wad).value()}, 18};
    u.feed = kOtherFeed;
    u.round_id = U256(1);
    u.observed_at_s = observed_at_s;
    return u;
}

FeedSanitySettings eth_settings() { return FeedSanitySettings{3600, 60, 100}; }

TEST(JudgeFeed, FreshThroughHeartbeatPlusMarginAndStaleOneSecondLater) {
    const auto update = eth_usd(200000000000, 7, 1000);  // 2000.00000000 at t = 1000
    EXPECT_EQ(judge_feed(eth_settings(), update, std::nullopt, 1000 + 3660).verdict, FeedVerdict::sane);
    const auto late = judge_feed(eth_settings(), update, std::nullopt, 1000 + 3661);
    EXPECT_EQ(late.verdict, FeedVerdict::stale);
    EXPECT_EQ(late.reason, "updated 3661 s ago, heartbeat 3600 s + margin 60 s");
}

TEST(JudgeFeed, AnObservationAheadOfOurClockIsFresh) {
    EXPECT_EQ(judge_feed(eth_settings(), eth_usd(200000000000, 7, 5000), std::nullopt, 4990).verdict,
              FeedVerdict::sane);
}

TEST(JudgeFeed, NoUpdateOrANonPositiveAnswerIsNoPrice) {
    EXPECT_EQ(judge_feed(eth_settings(), std::nullopt, std::nullopt, 10).verdict, FeedVerdict::no_price);
    const auto zero = judge_feed(eth_settings(), eth_usd(0, 7, 10), std::nullopt, 10);
    EXPECT_EQ(zero.verdict, FeedVerdict::no_price);
    EXPECT_EQ(zero.reason, "answer 0.00000000 is not a price");
}

TEST(JudgeFeed, DeviationFromTheSecondSourceIsJudgedInBasisPointsOfTheSecond) {
    const auto primary = eth_usd(200000000000, 7, 1000);  // 2000 USD (8 decimals)
    // |2000 - 2030| / 2030 = 147.78 bps -> 147 > 100: deviating.
    const auto far = judge_feed(eth_settings(), primary, second_wad("2030000000000000000000", 1000), 1100);
    EXPECT_EQ(far.verdict, FeedVerdict::deviating);
    EXPECT_EQ(far.reason, "2000.00000000 is 147 bps from the second source's 2030.000000000000000000 (at most 100 bps)");
    // |2000 - 2015| / 2015 = 74.44 bps -> 74: sane.
    const auto near = judge_feed(eth_settings(), primary, second_wad("2015000000000000000000", 1000), 1100);
    EXPECT_EQ(near.verdict, FeedVerdict::sane);
    EXPECT_EQ(near.reason, "updated 100 s ago (heartbeat 3600 s + margin 60 s), 74 bps from the second source");
    // 2000 against 2000 / 1.01 (rounded up to the wei): a hair under 100 bps, 99 rounded down.
    EXPECT_EQ(deviation_bps(primary.price, ScaledAnswer{abi::I256{U256::from_dec("1980198019801980198020").value()}, 18}),
              U256(99));
}

TEST(JudgeFeed, AStaleOrAbsentSecondSourceNeverHaltsALiveFeed) {
    const auto primary = eth_usd(200000000000, 7, 5000);
    // The second source says 3000 but last spoke 4000 s before now: ignored.
    EXPECT_EQ(judge_feed(eth_settings(), primary, second_wad("3000000000000000000000", 1000), 5000).verdict,
              FeedVerdict::sane);
    // No deviation limit configured: never compared.
    EXPECT_EQ(judge_feed(FeedSanitySettings{3600, 60, std::nullopt}, primary,
                         second_wad("3000000000000000000000", 5000), 5000)
                  .verdict,
              FeedVerdict::sane);
}

TEST(FeedSanity, ATrackedAssetStartsHaltedResumesOnAPriceAndHaltsWhenItGoesStale) {
    FeedSanity sanity;
    sanity.track(kWeth, eth_settings());
    EXPECT_TRUE(sanity.halted(kWeth));
    EXPECT_FALSE(sanity.halted(kWbtc));  // untracked: never gated

    // t = 900: nothing observed yet -> reported halted (no price).
    auto changes = sanity.evaluate(900);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].asset, kWeth);
    EXPECT_TRUE(changes[0].halted);
    EXPECT_EQ(changes[0].judgement.verdict, FeedVerdict::no_price);

    // Round 7 observed at t = 1000 -> resumed at t = 1010, reported once.
    sanity.observe_primary(eth_usd(200000000000, 7, 1000));
    changes = sanity.evaluate(1010);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_FALSE(changes[0].halted);
    EXPECT_EQ(changes[0].judgement.verdict, FeedVerdict::sane);
    EXPECT_FALSE(sanity.halted(kWeth));
    EXPECT_TRUE(sanity.evaluate(1020).empty());

    // No round for 3661 s -> stale: halted.
    changes = sanity.evaluate(4661);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_TRUE(changes[0].halted);
    EXPECT_EQ(changes[0].judgement.verdict, FeedVerdict::stale);
    EXPECT_TRUE(sanity.halted(kWeth));
    EXPECT_TRUE(sanity.evaluate(4700).empty());  // still halted: not reported again

    // Round 8 at t = 4700 -> resumed.
    sanity.observe_primary(eth_usd(201000000000, 8, 4700));
    changes = sanity.evaluate(4705);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_FALSE(changes[0].halted);
    EXPECT_EQ(sanity.primary(kWeth)->round_id, U256(8));
}

TEST(FeedSanity, AFirstSaneJudgementIsNotReportedAsAResumption) {
    FeedSanity sanity;
    sanity.track(kWeth, eth_settings());
    sanity.observe_primary(eth_usd(200000000000, 7, 1000));
    EXPECT_TRUE(sanity.evaluate(1010).empty());
    EXPECT_FALSE(sanity.halted(kWeth));
}

TEST(FeedSanity, AnOlderRoundOfTheSameFeedDoesNotReplaceANewerOne) {
    FeedSanity sanity;
    sanity.track(kWeth, eth_settings());
    sanity.observe_primary(eth_usd(201000000000, 8, 2000));
    sanity.observe_primary(eth_usd(200000000000, 7, 1000));  // a late log of round 7
    EXPECT_EQ(sanity.primary(kWeth)->round_id, U256(8));
    // Another aggregator behind the proxy (rounds restart): the newer observation wins.
    sanity.observe_primary(eth_usd(202000000000, 1, 2100, kOtherFeed));
    EXPECT_EQ(sanity.primary(kWeth)->feed, kOtherFeed);
}

TEST(FeedSanity, ADeviatingSecondSourceHaltsAndItsReturnResumes) {
    FeedSanity sanity;
    sanity.track(kWeth, eth_settings());
    sanity.observe_primary(eth_usd(200000000000, 7, 1000));
    EXPECT_TRUE(sanity.evaluate(1000).empty());
    sanity.observe_second(second_wad("2030000000000000000000", 1001));
    auto changes = sanity.evaluate(1002);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_TRUE(changes[0].halted);
    EXPECT_EQ(changes[0].judgement.verdict, FeedVerdict::deviating);
    auto back = second_wad("2001000000000000000000", 1003);
    back.round_id = U256(2);
    sanity.observe_second(back);
    changes = sanity.evaluate(1004);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_FALSE(changes[0].halted);
}

// What a keeper asks between transitions: the kind of halt (a hold's reason)
// and the settings (the status page's limit), kept from the last evaluate().
TEST(FeedSanity, TheLastJudgementAndTheSettingsAreKeptPerAsset) {
    FeedSanity sanity;
    sanity.track(kWeth, eth_settings());
    EXPECT_EQ(sanity.judgement(kWeth), nullptr) << "not judged yet";
    EXPECT_EQ(sanity.judgement(kWbtc), nullptr);
    EXPECT_EQ(sanity.settings(kWbtc), nullptr);
    ASSERT_NE(sanity.settings(kWeth), nullptr);
    EXPECT_EQ(sanity.settings(kWeth)->heartbeat_s, 3600u);

    sanity.observe_primary(eth_usd(200000000000, 7, 1000));
    sanity.evaluate(4700);  // 3700 s old
    ASSERT_NE(sanity.judgement(kWeth), nullptr);
    EXPECT_EQ(sanity.judgement(kWeth)->verdict, FeedVerdict::stale);
    EXPECT_EQ(sanity.judgement(kWeth)->reason, "updated 3700 s ago, heartbeat 3600 s + margin 60 s");
    sanity.evaluate(1010);  // no transition reported, the judgement still follows
    EXPECT_EQ(sanity.judgement(kWeth)->verdict, FeedVerdict::sane);
}

}  // namespace feed_sanity_test
}  // namespace keeper::oracles

// plan_dutch_bid: worked examples on one auction shaped like the Yield
// devnet's "big" vault: 600 USDC (6 decimals) of debt for 0.5 ETH, 75% of
// the collateral offered at the start rising linearly to 100% over 3600 s,
// blocks every 12 s from the auction's start, ETH at 1500 USDC
// (price_1e36 = 1500e6 x 1e36 / 1e18 = 1500e24). Taking all 600 USDC at
// block k pays 0.5 ETH x (0.75 + 0.25 x 12k / 3600) and costs 600 USDC + gas.
#include "strategies/dutch_auction_bid.hpp"

#include <gtest/gtest.h>

namespace keeper::strategies {
namespace dutch_auction_bid_test {

const U256 kWad = U256::pow10(18);
U256 usdc(std::uint64_t units) { return U256(units) * U256::pow10(6); }
U256 usdc_micro(std::uint64_t micro) { return U256(micro); }

constexpr std::uint64_t kStart = 1'700'000'000;

// The Witch's payout with the buyer as the auction's starter (no reward):
// art_in.wdiv(600e6).wmul(0.5e18).wmul(proportion(t)), rounded down at each step.
DutchQuoteFn witch_like_quote() {
    return [](const U256& debt_in, std::uint64_t t) -> Result<DutchQuote> {
        const U256 art = usdc(600);
        const U256 ink = U256(5) * U256::pow10(17);
        const U256 p0 = U256(75) * U256::pow10(16);
        const U256 elapsed(t - kStart);
        const U256 proportion = elapsed >= U256(3600) ? kWad : p0 + (kWad - p0) * elapsed / U256(3600);
        const U256 at_end = debt_in * kWad / art * ink / kWad;
        return DutchQuote{debt_in, debt_in, at_end * proportion / kWad};
    };
}

DutchBidInputs auction(const DutchBidder& us) {
    DutchBidInputs in;
    in.lot_debt = usdc(600);
    in.dust = usdc(100);
    in.collateral_price_1e36 = U256(1500) * U256::pow10(24);
    in.us = us;
    in.head_block = 1000;
    in.head_timestamp = kStart;
    in.block_interval_s = 12;
    in.horizon_blocks = 300;  // the auction's whole duration
    return in;
}

DutchBidder funded(const U256& gas, const U256& floor) { return DutchBidder{usdc(1000), gas, floor}; }

TEST(DutchAuctionBid, BidsAtTheFirstBlockWhereTheCollateralCoversDebtAndGas) {
    // 5 USDC of gas, no floor: 605 USDC must come back. Block +68 (816 s)
    // pays 0.5 x 0.80666.. = 0.403333.. ETH = 604.999999 USDC: short by a
    // micro-USDC. Block +69 (828 s): 0.5 x 0.8075 = 0.40375 ETH = 605.625 USDC.
    const auto d = plan_dutch_bid(auction(funded(usdc(5), U256())), witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value()) << d.reason;
    EXPECT_EQ(d.plan->block, 1069u);
    EXPECT_EQ(d.plan->timestamp, kStart + 828);
    EXPECT_EQ(d.plan->quote.debt_in, usdc(600));
    EXPECT_EQ(d.plan->quote.collateral_out, U256(40375) * U256::pow10(13));
    EXPECT_EQ(d.plan->value_base, usdc_micro(605'625'000));
    EXPECT_EQ(d.plan->profit_base, usdc_micro(625'000));
    EXPECT_FALSE(d.plan->ahead_of_rival);
}

TEST(DutchAuctionBid, AFloorWaitsForMoreCollateral) {
    // 10 USDC after 5 of gas: 615 USDC = 0.41 ETH = 82% of 0.5 ETH, reached
    // after (82% - 75%) / 25% x 3600 s = 1008 s: block +84.
    const auto d = plan_dutch_bid(auction(funded(usdc(5), usdc(10))), witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value()) << d.reason;
    EXPECT_EQ(d.plan->block, 1084u);
    EXPECT_EQ(d.plan->quote.collateral_out, U256(41) * U256::pow10(16));
    EXPECT_EQ(d.plan->profit_base, usdc(10));
}

TEST(DutchAuctionBid, FundsShortOfTheLotTakeAPartThatLeavesTheDust) {
    // 400 USDC of funds: 600 - 400 = 200 >= 100 dust, so take 400. It must
    // bring back 405 USDC = 0.27 ETH of 0.5 x 400/600: first at block +73.
    DutchBidInputs in = auction(DutchBidder{usdc(400), usdc(5), U256()});
    const auto d = plan_dutch_bid(in, witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value()) << d.reason;
    EXPECT_EQ(d.plan->quote.debt_in, usdc(400));
    EXPECT_EQ(d.plan->block, 1073u);
    EXPECT_EQ(d.plan->quote.collateral_out, U256(270277777777777777ull));
    EXPECT_EQ(d.plan->value_base, usdc_micro(405'416'666));
}

TEST(DutchAuctionBid, TakesAreCappedSoTheRemainderIsNeverDust) {
    EXPECT_EQ(largest_take(usdc(600), usdc(550), usdc(100)), usdc(500));  // 50 left would be dust
    EXPECT_EQ(largest_take(usdc(600), usdc(600), usdc(100)), usdc(600));  // all of it: the auction ends
    EXPECT_EQ(largest_take(usdc(600), usdc(300), usdc(100)), usdc(300));
    EXPECT_EQ(largest_take(usdc(100), usdc(99), usdc(100)), U256());      // only all of a dust-sized lot
    const auto d = plan_dutch_bid(auction(DutchBidder{usdc(50), usdc(5), U256()}), witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value()) << d.reason;
    EXPECT_EQ(d.plan->quote.debt_in, usdc(50));
}

TEST(DutchAuctionBid, NoBidWhenNoBlockPays) {
    // At 1000 USDC/ETH even 100% of 0.5 ETH is 500 USDC for 600 of debt.
    DutchBidInputs in = auction(funded(usdc(5), U256()));
    in.collateral_price_1e36 = U256(1000) * U256::pow10(24);
    const auto d = plan_dutch_bid(in, witch_like_quote()).value();
    EXPECT_FALSE(d.plan.has_value());
    EXPECT_NE(d.reason.find("no block within 300"), std::string::npos) << d.reason;
}

TEST(DutchAuctionBid, ARivalWhoWouldBidLaterDoesNotHurry) {
    // Ours: block +69. The rival (5 USDC gas, 4 USDC floor) waits for 609 USDC: +75.
    DutchBidInputs in = auction(funded(usdc(5), U256()));
    in.rival = funded(usdc(5), usdc(4));
    const auto d = plan_dutch_bid(in, witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value());
    EXPECT_EQ(d.plan->block, 1069u);
    EXPECT_FALSE(d.plan->ahead_of_rival);
}

TEST(DutchAuctionBid, ARivalExpectedFirstIsPreEmptedOneBlockEarlierWhileThatStillPays) {
    // Our 10 USDC floor would wait until +84; the rival bids at +75. Block +74
    // pays 0.405833.. ETH = 608.749999 USDC: 3.749999 after 605 of costs.
    DutchBidInputs in = auction(funded(usdc(5), usdc(10)));
    in.rival = funded(usdc(5), usdc(4));
    const auto d = plan_dutch_bid(in, witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value()) << d.reason;
    EXPECT_EQ(d.plan->block, 1074u);
    EXPECT_EQ(d.plan->profit_base, usdc_micro(3'749'999));
    EXPECT_TRUE(d.plan->ahead_of_rival);
}

TEST(DutchAuctionBid, ARivalInTheFirstBlockThatPaysUsIsRacedThere) {
    // Rival with our gas and a 0.5 USDC floor: +69, which is also the first block paying us anything.
    DutchBidInputs in = auction(funded(usdc(5), usdc(10)));
    in.rival = funded(usdc(5), usdc_micro(500'000));
    const auto d = plan_dutch_bid(in, witch_like_quote()).value();
    ASSERT_TRUE(d.plan.has_value()) << d.reason;
    EXPECT_EQ(d.plan->block, 1069u);
    EXPECT_TRUE(d.plan->ahead_of_rival);
}

TEST(DutchAuctionBid, ACheaperRivalFirstTakesTheLot) {
    // A rival paying 1 USDC of gas bids at +62 (601.249999 USDC back); nothing pays us before +69.
    DutchBidInputs in = auction(funded(usdc(5), usdc(10)));
    in.rival = funded(usdc(1), U256());
    const auto d = plan_dutch_bid(in, witch_like_quote()).value();
    EXPECT_FALSE(d.plan.has_value());
    EXPECT_NE(d.reason.find("block 1062"), std::string::npos) << d.reason;
}

}  // namespace dutch_auction_bid_test
}  // namespace keeper::strategies

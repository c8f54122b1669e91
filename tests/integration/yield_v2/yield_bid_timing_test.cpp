// The bidding strategy (strategies/dutch_auction_bid) on the real Witch: the
// keeper starts an auction, plans its bid from the exact payout model, the
// chain advances one 12 s block at a time, and the bid sent into the planned
// block pays exactly the planned collateral. Events in the receipts decode
// to what happened (Auctioned, VaultGiven, Bought, Ended, Cancelled).
#include <gtest/gtest.h>

#include <vector>

#include "chain/morpho/morpho_calls.hpp"
#include "protocols/yield_v2/cauldron_level.hpp"
#include "protocols/yield_v2/witch_auction.hpp"
#include "protocols/yield_v2/yield_calls.hpp"
#include "protocols/yield_v2/yield_events.hpp"
#include "strategies/dutch_auction_bid.hpp"
#include "tests/integration/yield_v2/yield_fixture.hpp"

namespace keeper::yield_v2::testing {
namespace yield_bid_timing_test {

std::vector<Event> events_of(const chain::Receipt& receipt) {
    std::vector<Event> out;
    for (const auto& log : receipt.logs) {
        auto e = decode_event(log);
        EXPECT_TRUE(e.has_value()) << e.error().message;
        if (e && e->has_value()) out.push_back(**e);
    }
    return out;
}

template <class T>
const T* find(const std::vector<Event>& events) {
    for (const auto& e : events)
        if (const T* t = std::get_if<T>(&e)) return t;
    return nullptr;
}

TEST_F(YieldOnAnvil, TheBidLandsInThePlannedBlockAndPaysThePlannedCollateralToTheWei) {
    open_three();
    set_price(1500);
    const Address keeper = chain::address_of(*keeper_);
    const auto& c = devnet_.contracts;

    // Funds: 1000 USDC, the base Join approved.
    ASSERT_TRUE(devnet::mint_token(*client_, *owner_, c.base_token, keeper, usdc(1000)).has_value());
    send(*keeper_, c.base_token, chain::morpho_blue::encode_erc20_approve(c.base_join, usdc(1000)));

    // The keeper starts the auction of `big` (600 USDC for 0.5 ETH).
    const std::uint64_t t0 = head().timestamp + 10;
    next_timestamp(t0);
    const chain::Receipt started = send(*keeper_, c.witch, encode_auction(big_, keeper));
    ASSERT_TRUE(started.success);
    const auto started_events = events_of(started);
    const Auctioned* auctioned = find<Auctioned>(started_events);
    ASSERT_NE(auctioned, nullptr);
    const VaultReading r = read(big_);
    EXPECT_EQ(auctioned->auction, r.auction);
    EXPECT_EQ(auctioned->duration, U256(3600));
    const VaultGiven* given = find<VaultGiven>(started_events);
    ASSERT_NE(given, nullptr);
    EXPECT_EQ(given->receiver, c.witch);

    // Plan from the auction's block: 12 s blocks, 5 USDC of gas, no floor.
    const chain::BlockHeader at_start = head();
    ASSERT_EQ(at_start.number, started.block_number);
    strategies::DutchBidInputs in;
    in.lot_debt = r.auction.art;
    in.dust = r.debt.dust();
    in.collateral_price_1e36 = usdc(1500) * U256::pow10(18);  // 1500e6 per 1e18 wei, x 1e36
    in.us = strategies::DutchBidder{usdc(1000), usdc(5), U256()};
    in.head_block = at_start.number;
    in.head_timestamp = at_start.timestamp;
    in.block_interval_s = 12;
    in.horizon_blocks = 300;
    const strategies::DutchQuoteFn quote = [&](const U256& art, std::uint64_t t) -> Result<strategies::DutchQuote> {
        auto payout = calc_payout(r.auction, r.line, r.auctioneer_reward_wad, keeper, art, t);
        if (!payout) return std::unexpected(payout.error());
        auto base = debt_to_base(payout->art_in, r.accrual_wad);
        if (!base) return std::unexpected(base.error());
        return strategies::DutchQuote{payout->art_in, *base, payout->liquidator_cut};
    };
    const auto decision = strategies::plan_dutch_bid(in, quote).value();
    ASSERT_TRUE(decision.plan.has_value()) << decision.reason;
    const auto& plan = *decision.plan;
    // 605 USDC must come back: block +68 (816 s) pays 604.999999 USDC, block
    // +69 (828 s) 0.5 ETH x 80.75% = 0.40375 ETH = 605.625 USDC.
    EXPECT_EQ(plan.block, started.block_number + 69);
    EXPECT_EQ(plan.timestamp, t0 + 828);
    EXPECT_EQ(plan.quote.collateral_out, U256(40375) * U256::pow10(13));
    EXPECT_EQ(plan.quote.debt_in, usdc(600));
    EXPECT_EQ(plan.quote.base_in, usdc(600));

    // One block every 12 s until the one before the plan: nothing pays the
    // floor yet (the strategy's own view, checked against the Witch).
    for (std::uint64_t b = at_start.number + 1; b < plan.block; ++b) mine_at(in.head_timestamp + (b - in.head_block) * 12);
    const Payout before = decode_payout(call(c.witch, encode_calc_payout(big_, keeper, usdc(600)))).value();
    EXPECT_LT(before.liquidator_cut * U256(1500) / U256::pow10(12), usdc(605));

    const U256 ilk_before = balance(c.ilk_token, keeper);
    next_timestamp(plan.timestamp);
    const chain::Receipt bid = send(*keeper_, c.witch, encode_pay_base(big_, keeper, plan.quote.collateral_out, plan.quote.base_in));
    ASSERT_TRUE(bid.success);
    EXPECT_EQ(bid.block_number, plan.block);
    EXPECT_EQ(balance(c.ilk_token, keeper) - ilk_before, plan.quote.collateral_out);
    EXPECT_EQ(balance(c.base_token, keeper), usdc(400));
    const auto bid_events = events_of(bid);
    const Bought* bought = find<Bought>(bid_events);
    ASSERT_NE(bought, nullptr);
    EXPECT_EQ(bought->ink, plan.quote.collateral_out);
    EXPECT_EQ(bought->art, usdc(600));
    EXPECT_EQ(bought->buyer, keeper);
    EXPECT_NE(find<Ended>(bid_events), nullptr);
    const VaultGiven* back = find<VaultGiven>(bid_events);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(back->receiver, chain::address_of(*borrower_));
}

TEST_F(YieldOnAnvil, ACancelIsRecognisedInItsReceipt) {
    open_three();
    set_price(1500);
    const Address keeper = chain::address_of(*keeper_);
    ASSERT_TRUE(send(*keeper_, devnet_.contracts.witch, encode_auction(mid_, keeper)).success);
    set_price(2500);
    const chain::Receipt cancelled = send(*keeper_, devnet_.contracts.witch, encode_cancel(mid_));
    ASSERT_TRUE(cancelled.success);
    const auto events = events_of(cancelled);
    const Cancelled* c = find<Cancelled>(events);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->vault, mid_);
    EXPECT_NE(find<Ended>(events), nullptr);
    const VaultGiven* back = find<VaultGiven>(events);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(back->receiver, chain::address_of(*borrower_));
}

}  // namespace yield_bid_timing_test
}  // namespace keeper::yield_v2::testing

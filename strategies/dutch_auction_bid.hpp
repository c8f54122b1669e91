#pragma once
// When to bid in a Dutch auction whose collateral payout grows with time
// (Yield v2's Witch: the share of the collateral paid for a given debt rises
// linearly from p0 to 100% over the auction's duration). Pure: the auction
// is seen only through `quote` (the protocol's exact payout model, e.g.
// yield_v2::calc_payout), time only through the inputs' block timestamps.
//
//   profit(block) = collateral_out(take, timestamp(block)) x price / 1e36
//                   - base_in(take) - gas_cost
//
// is non-decreasing in time, so the plan is the first block (from the one
// after the head, within the horizon) where profit >= min_profit. The take
// is the largest our funds cover that leaves the auction 0 or >= dust (the
// Witch's LeavesDust rule); gas is per bid, so the largest take pays best.
//
// Competition: a rival with its own funds, gas cost and floor is expected to
// bid at its own first profitable block B_c. When B_c comes before ours we
// bid at B_c - 1 if that already pays (profit > 0 after gas, our floor
// waived: taking a thinner profit beats losing the lot), at B_c itself (a
// same-block race) if only that does, and otherwise leave the lot to it.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::strategies {

// What a bid of `debt_in` pays at `timestamp`, as the protocol computes it.
struct DutchQuote {
    U256 debt_in;         // debt repaid (Yield: art)
    U256 base_in;         // base units the bidder pays for it (Yield: debtToBase(art); art before maturity)
    U256 collateral_out;  // collateral units the bidder receives (after any starter's reward)
};
using DutchQuoteFn = std::function<Result<DutchQuote>(const U256& debt_in, std::uint64_t timestamp)>;

struct DutchBidder {
    U256 max_debt;         // the most debt its funds cover
    U256 gas_cost_base;    // one bid's gas, priced in base units (rounded up)
    U256 min_profit_base;  // its floor after gas
};

struct DutchBidInputs {
    U256 lot_debt;               // debt still on auction
    U256 dust;                   // a partial take must leave 0 or >= dust
    U256 collateral_price_1e36;  // base units per collateral unit, x 1e36
    DutchBidder us;
    std::optional<DutchBidder> rival;
    // Block head + k is expected at head_timestamp + k x block_interval_s.
    std::uint64_t head_block = 0;
    std::uint64_t head_timestamp = 0;
    std::uint64_t block_interval_s = 12;
    std::uint64_t horizon_blocks = 600;  // how far ahead to look (k = 1..horizon)
};

struct DutchBidPlan {
    std::uint64_t block = 0;      // send so that the bid lands in this block
    std::uint64_t timestamp = 0;  // its expected timestamp (what the quote used)
    DutchQuote quote;
    U256 value_base;              // quote.collateral_out at the price, rounded down
    U256 profit_base;             // value - base_in - gas
    bool ahead_of_rival = false;  // moved earlier (or into a race) because of the rival
};

struct DutchBidDecision {
    std::optional<DutchBidPlan> plan;
    std::string reason;  // why this block, or why no bid
};

// The largest debt a bidder covering `max_debt` may take without leaving
// dust: all of it when max_debt covers it, else min(max_debt, debt - dust);
// 0 when no partial take is allowed (debt <= dust).
U256 largest_take(const U256& lot_debt, const U256& max_debt, const U256& dust);

// An error only when `quote` fails or a product overflows.
Result<DutchBidDecision> plan_dutch_bid(const DutchBidInputs& inputs, const DutchQuoteFn& quote);

}  // namespace keeper::strategies

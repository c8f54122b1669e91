#pragma once
// The liquidation cascade: a price shock makes positions liquidatable, their
// liquidators sell the seized collateral, the sales push that collateral's
// price further down, which may make more positions liquidatable, and so on.
//
// Valuation (what "$1M sold" means): every asset that is valued carries its
// USD price per whole token at the book's block and its decimals. An amount
// of base units (wei of the token) is worth
//     amount / 10^decimals x usd_price x (10000 + move_bps) / 10000
// dollars, where move_bps is the asset's cumulative move in the round it is
// sold in (it sells at that round's price).
//
// Price impact: linear in the dollars sold in one round. Selling S dollars of
// an asset moves its price by -impact_bps_per_million x S / 1'000'000 basis
// points of the block's price, rounded to the nearest whole bps (halves away
// from zero), added to its cumulative move (which never goes below
// kMinMoveBps: a price stays above 0).
//
// Rounds: round 0 is the scenario's own shock. Round k + 1 revalues the book
// at the scenario's moves plus every impact of rounds 0..k. A position is
// liquidated at most once over the cascade, in the first round it is
// liquidatable in, with the largest liquidation one call can do at that
// round's prices (as the stress engine computes it). Morpho's largest
// liquidation takes every share or all the collateral, so the position is
// gone; an Aave position left under 1 after its close-factor call is not
// liquidated a second time (a known understatement). The cascade stops when a
// round's sales move no price (stable), or after `max_rounds` rounds (the
// round cap; `stable` false when the last round still moved a price).
//
// Doubles here: the dollar values and the impacts are risk estimates; the
// amounts each round are the exact models'.
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "margin/stress_engine.hpp"

namespace keeper::margin::stress {

struct AssetValuation {
    double usd_price = 0.0;  // USD per whole token at the book's block
    unsigned decimals = 18;
    double impact_bps_per_million = 0.0;  // price fall, bps of the block's price, per $1M sold in a round
};
using Valuations = std::map<Address, AssetValuation>;

// amount / 10^decimals x usd_price x (10000 + move_bps) / 10000.
double usd_value(const U256& amount, const AssetValuation& valuation, std::int32_t move_bps);
// The move (<= 0, bps) that selling `usd_sold` dollars of the asset in one
// round adds: -round(impact_bps_per_million x usd_sold / 1e6).
std::int32_t impact_bps(const AssetValuation& valuation, double usd_sold);

struct CascadeSpec {
    Valuations valuations;
    std::size_t max_rounds = 10;  // round 0 (the shock) included
    bool keep_positions = true;   // false: counts and totals only (the Monte-Carlo draws)
};

struct CascadeRound {
    std::size_t round = 0;
    std::vector<AssetShock> moves;            // every moved asset's cumulative move in this round, sorted by asset
    std::vector<AssetShock> impact;           // what this round's sales add for the next round (non-zero only)
    std::size_t liquidated = 0;               // positions first liquidatable in this round
    std::size_t insolvent = 0;                // of those, insolvent
    double volume_usd = 0.0;                  // their seized collateral at this round's prices (valued assets)
    double bad_debt_usd = 0.0;                // their bad debt at this round's prices (valued assets)
    std::vector<AssetTotals> totals;          // their repaid debt, seized collateral and bad debt, per asset
    std::vector<StressedPosition> positions;  // those positions with their liquidation (CascadeSpec::keep_positions)
};

struct CascadeOutcome {
    std::vector<CascadeRound> rounds;
    bool stable = false;  // false: the round cap stopped it while prices still moved
    std::size_t liquidated = 0, insolvent = 0;
    double volume_usd = 0.0, bad_debt_usd = 0.0;
    std::vector<AssetTotals> totals;      // every round's, per asset
    std::vector<AssetShock> final_moves;  // the last round's moves
    std::vector<Address> unvalued;        // assets with amounts but no valuation (not in the USD sums)
};

// Rounds after the first need a runner that lists accounts
// (StressOptions::list_accounts): a position is known by its deployment,
// market or pool, and account. With one that does not, the cascade stops
// after round 0 (what a Monte-Carlo run without [cascade] wants: no lists).
// `scenario` must pass validate_scenario.
CascadeOutcome run_cascade(StressRunner& runner, const StressScenario& scenario, const CascadeSpec& spec);

}  // namespace keeper::margin::stress

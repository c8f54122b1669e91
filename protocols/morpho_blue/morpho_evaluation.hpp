#pragma once
// Morpho Blue positions as the contract would judge them in one block: each
// market's stored state accrued to the block's timestamp with the IRM's rate
// (what _accrueInterest does first in every call), then _isHealthy for every
// position with debt. Pure: the readings come in, rows go out.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "chain/morpho/morpho_reader.hpp"
#include "margin/morpho_blue.hpp"
#include "margin/morpho_book.hpp"
#include "margin/morpho_events.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols::morpho_blue {

struct MarketAtBlock {
    morpho::MarketId id;
    morpho::MarketParams params;
    morpho::MarketState accrued;  // last_update == the block timestamp
    U256 price_1e36;
};

// Fails where the contract's own accrual would revert (a timestamp before
// last_update, a uint128 overflow).
Result<MarketAtBlock> accrue_market(const morpho::MarketId& id, const morpho::MarketParams& params,
                                    const chain::morpho_blue::MarketReading& reading, std::uint64_t timestamp);

struct PositionHealth {
    morpho::MarketId market;
    Address account;
    morpho::Position position;
    morpho::Health health;  // borrowed (rounded up) and max_borrow (rounded down)
    U256 health_wad;        // max_borrow / borrowed: 1e18 is the threshold
    bool liquidatable = false;  // exactly !_isHealthy
};

// The row scan, alerts and the round's counts read (amounts as decimal text).
PositionRow position_row(const PositionHealth& p);

// One position judged with _isHealthy's arithmetic on a market accrued to the block.
Result<PositionHealth> judge_position(const MarketAtBlock& market, const Address& account,
                                      const morpho::Position& position);

// Riskiest first: lowest health, then market and account (a stable order).
bool riskier(const PositionHealth& a, const PositionHealth& b);
void sort_riskiest_first(std::vector<PositionHealth>& rows);

// Every position with borrow shares in the given markets, riskiest first
// (lowest health, then market and account for a stable order). A position
// whose evaluation fails (an overflow on absurd numbers) is reported in
// `errors` and left out.
std::vector<PositionHealth> evaluate_positions(const morpho::MorphoBook& book, std::span<const MarketAtBlock> markets,
                                               std::vector<std::string>* errors = nullptr);

}  // namespace keeper::protocols::morpho_blue

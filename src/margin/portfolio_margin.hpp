#pragma once
// Portfolio margin: an account's requirement is its worst loss over the
// scenario grid, per underlying, with stated credits and charges on top.
//
// For each underlying u the account touches:
//   pnl_u[s]     = sum over its positions on u of quantity x risk_array[s]
//   loss_u       = max(0, max_s -pnl_u[s])            (worst scenario loss)
//   direction_u  = sign of the spot move of that worst scenario (-1 down, +1 up)
// Correlation offsets (the offset table): a row {a, b, credit_fraction} says
// "a and b tend to move together". When the account's worst case is a fall in
// one and a rise in the other (e.g. long BTC, short ETH), a joint move makes
// one leg gain while the other loses, so part of the smaller loss is credited:
//   used   = min(remaining_a, remaining_b)
//   credit += credit_fraction x used;  remaining_a -= used; remaining_b -= used
// Rows are applied highest credit_fraction first and consume the losses they
// offset, so no loss is credited twice. With BTC/ETH at 0.70, losses of 30,000
// (BTC down) and 22,500 (ETH up) give a credit of 15,750: 52,500 - 15,750 = 36,750.
// Then:
//   short_option_minimum = sum_u fraction x price_u x max(0, net short option contracts on u)
//   gamma_charge = sum_u 0.5 x max(0, -gamma_u) x (price_u x gamma_extra_move)^2
//   vega_charge  = sum_u max(0, -vega_u) x vega_extra_vol_shift
//   requirement  = max(sum loss_u - credits, short_option_minimum) + gamma_charge + vega_charge
// Gamma and vega charges fall on short convexity only: a long option's loss
// is bounded by its premium, which the scan already covers. Every term scales
// with the quantities, so hedging away a fraction of a portfolio never raises
// its requirement, and the requirement is never negative.
#include <cstddef>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "margin/portfolio_risk_arrays.hpp"

namespace keeper::margin {

struct PortfolioPosition {
    InstrumentId instrument;
    double quantity = 0.0;  // signed contracts: long > 0, short < 0
};

struct CorrelationOffset {
    UnderlyingId a;
    UnderlyingId b;
    double credit_fraction = 0.0;  // in [0, 1]
};

struct PortfolioMarginParams {
    std::vector<CorrelationOffset> offsets;
    double short_option_minimum_fraction = 0.0;  // of the underlying price per net short option contract
    double gamma_extra_move_fraction = 0.0;      // move beyond the grid charged on short gamma
    double vega_extra_vol_shift = 0.0;           // vol shift (0.05 = 5 points) charged on short vega
};

// Net Greeks of the account on one underlying (USD; units as black_scholes.hpp).
struct UnderlyingExposure {
    UnderlyingId underlying;
    double underlying_price = 0.0;
    double value_usd = 0.0;  // mark-to-model value of the positions
    double delta = 0.0;      // in underlying units
    double gamma = 0.0;
    double vega = 0.0;
    double theta = 0.0;
    double net_option_contracts = 0.0;  // long minus short option contracts
    double worst_loss_usd = 0.0;
    int worst_direction = 0;            // -1 worst when it falls, +1 when it rises, 0 no loss
    std::size_t worst_scenario = 0;     // index into the grid's scenarios (0 when no loss)
};

struct PortfolioRequirement {
    double scan_loss_usd = 0.0;  // sum of per-underlying worst losses
    double offset_credit_usd = 0.0;
    double short_option_minimum_usd = 0.0;
    double gamma_charge_usd = 0.0;
    double vega_charge_usd = 0.0;
    double requirement_usd = 0.0;
    std::vector<UnderlyingExposure> underlyings;  // in order of first appearance
};

class PortfolioMarginCalculator {
public:
    // Fails on a credit fraction outside [0, 1], a negative charge parameter,
    // or an offset row pairing an underlying with itself.
    static Result<PortfolioMarginCalculator> make(PortfolioMarginParams params);

    // Fails when a position names an instrument the table lacks or one not yet priced.
    // Non-const because it reuses scratch rows: one calculator per thread.
    Result<PortfolioRequirement> requirement(std::span<const PortfolioPosition> positions,
                                             const RiskArrayTable& table);

    const PortfolioMarginParams& params() const { return params_; }

private:
    PortfolioMarginParams params_;  // offsets sorted by credit_fraction, highest first
    // Scratch reused between accounts so the hot path does not allocate rows.
    std::vector<double> pnl_;                 // one row per underlying in the account
    std::vector<int> slot_of_underlying_;     // underlying id -> row, -1 when absent
};

}  // namespace keeper::margin

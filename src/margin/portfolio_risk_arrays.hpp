#pragma once
// Risk arrays: for every instrument, the value change of one contract in each
// scenario of the grid, recomputed once per price update of that instrument.
// An account's scenario P&L is then a dot product of its quantities with
// these rows (portfolio_margin.hpp), with no option pricing per account.
#include <cstddef>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "margin/portfolio_instruments.hpp"
#include "margin/scenario_grid.hpp"

namespace keeper::margin {

// Value and Greeks of one contract at the current market (USD, see black_scholes.hpp for units).
struct InstrumentValuation {
    double underlying_price = 0.0;
    OptionValuation per_contract;
    bool priced = false;  // false until the first successful update
};

class RiskArrayTable {
public:
    explicit RiskArrayTable(ScenarioGrid grid) : grid_(std::move(grid)) {}

    InstrumentId add_instrument(const InstrumentSpec& spec);

    // Revalues one instrument on the grid. Fails on an unknown id, a
    // non-positive underlying price, or a negative vol/expiry; the previous
    // row is kept then.
    Result<void> update(InstrumentId id, const InstrumentMarket& market);

    // Row of scenario P&L per contract (USD), scenario_count() long.
    std::span<const double> risk_array(InstrumentId id) const {
        return {rows_.data() + static_cast<std::size_t>(id.value) * grid_.size(), grid_.size()};
    }
    const InstrumentSpec& spec(InstrumentId id) const { return specs_[id.value]; }
    const InstrumentValuation& valuation(InstrumentId id) const { return valuations_[id.value]; }
    std::size_t instrument_count() const { return specs_.size(); }
    std::size_t scenario_count() const { return grid_.size(); }
    const ScenarioGrid& grid() const { return grid_; }

private:
    ScenarioGrid grid_;
    std::vector<InstrumentSpec> specs_;
    std::vector<InstrumentValuation> valuations_;
    std::vector<double> rows_;  // instrument-major, scenario_count() per instrument
};

}  // namespace keeper::margin

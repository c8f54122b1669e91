#include "margin/portfolio_risk_arrays.hpp"

#include <algorithm>
#include <string>

namespace keeper::margin {

namespace {

OptionValuation value_per_unit(const InstrumentSpec& spec, double price, double vol, double years,
                               const InstrumentMarket& m, bool greeks) {
    switch (spec.kind) {
        case InstrumentKind::linear:
            return OptionValuation{.price = price, .delta = 1.0, .gamma = 0.0, .vega = 0.0, .theta = 0.0};
        case InstrumentKind::spot_option: {
            const BlackScholesInputs in{price, spec.strike, m.rate, vol, years, m.dividend_yield};
            return greeks ? black_scholes(spec.option_type, in)
                          : OptionValuation{.price = black_scholes_price(spec.option_type, in)};
        }
        case InstrumentKind::futures_option: {
            const Black76Inputs in{price, spec.strike, m.rate, vol, years};
            return greeks ? black76(spec.option_type, in) : OptionValuation{.price = black76_price(spec.option_type, in)};
        }
    }
    return {};
}

OptionValuation scaled(OptionValuation v, double k) {
    return OptionValuation{v.price * k, v.delta * k, v.gamma * k, v.vega * k, v.theta * k};
}

}  // namespace

InstrumentId RiskArrayTable::add_instrument(const InstrumentSpec& spec) {
    specs_.push_back(spec);
    valuations_.emplace_back();
    rows_.resize(rows_.size() + grid_.size(), 0.0);
    return InstrumentId{static_cast<std::uint32_t>(specs_.size() - 1)};
}

Result<void> RiskArrayTable::update(InstrumentId id, const InstrumentMarket& market) {
    if (id.value >= specs_.size()) {
        return fail("risk arrays: unknown instrument " + std::to_string(id.value));
    }
    if (!(market.underlying_price > 0.0)) {
        return fail("risk arrays: instrument " + std::to_string(id.value) + ": underlying price must be positive");
    }
    if (!(market.implied_vol >= 0.0) || !(market.years_to_expiry >= 0.0)) {
        return fail("risk arrays: instrument " + std::to_string(id.value) + ": negative vol or expiry");
    }
    if (!(market.spot_move_scale >= 0.0) || !(market.spot_move_scale * grid_.max_spot_move_fraction() < 1.0)) {
        return fail("risk arrays: instrument " + std::to_string(id.value) +
                    ": scaled scan range must stay in [0, 100 %)");
    }
    const InstrumentSpec& spec = specs_[id.value];
    const double base_vol = market.implied_vol;
    const OptionValuation now =
        value_per_unit(spec, market.underlying_price, base_vol, market.years_to_expiry, market, true);
    const double horizon_years = std::max(0.0, market.years_to_expiry - grid_.time_step_years());
    const std::span<const Scenario> scenarios = grid_.scenarios();
    double* row = rows_.data() + static_cast<std::size_t>(id.value) * grid_.size();
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        const double price = market.underlying_price * (1.0 + market.spot_move_scale * scenarios[s].spot_move_fraction);
        const double vol = std::max(grid_.min_vol(), base_vol + scenarios[s].vol_shift_abs);
        const double later = value_per_unit(spec, price, vol, horizon_years, market, false).price;
        row[s] = (later - now.price) * spec.contract_multiplier;
    }
    valuations_[id.value] =
        InstrumentValuation{market.underlying_price, scaled(now, spec.contract_multiplier), true};
    return {};
}

}  // namespace keeper::margin

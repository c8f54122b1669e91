#include "margin/portfolio_margin.hpp"

#include <algorithm>
#include <string>

namespace keeper::margin {

Result<PortfolioMarginCalculator> PortfolioMarginCalculator::make(PortfolioMarginParams params) {
    for (const CorrelationOffset& row : params.offsets) {
        if (!(row.credit_fraction >= 0.0 && row.credit_fraction <= 1.0)) {
            return fail("portfolio margin: credit fraction outside [0, 1]");
        }
        if (row.a == row.b) {
            return fail("portfolio margin: offset pairs underlying " + std::to_string(row.a.value) + " with itself");
        }
    }
    if (!(params.short_option_minimum_fraction >= 0.0) || !(params.gamma_extra_move_fraction >= 0.0) ||
        !(params.vega_extra_vol_shift >= 0.0)) {
        return fail("portfolio margin: negative charge parameter");
    }
    std::stable_sort(params.offsets.begin(), params.offsets.end(),
                     [](const CorrelationOffset& x, const CorrelationOffset& y) {
                         return x.credit_fraction > y.credit_fraction;
                     });
    PortfolioMarginCalculator calc;
    calc.params_ = std::move(params);
    return calc;
}

Result<PortfolioRequirement> PortfolioMarginCalculator::requirement(std::span<const PortfolioPosition> positions,
                                                                    const RiskArrayTable& table) {
    const std::size_t n_scen = table.scenario_count();
    PortfolioRequirement out;
    pnl_.clear();

    // Validate first so the scratch below is never left half-used.
    for (const PortfolioPosition& position : positions) {
        if (position.instrument.value >= table.instrument_count()) {
            return fail("portfolio margin: unknown instrument " + std::to_string(position.instrument.value));
        }
        if (!table.valuation(position.instrument).priced) {
            return fail("portfolio margin: instrument " + std::to_string(position.instrument.value) +
                        " has no price yet");
        }
    }
    for (const PortfolioPosition& position : positions) {
        const InstrumentValuation& val = table.valuation(position.instrument);
        const InstrumentSpec& spec = table.spec(position.instrument);
        const std::size_t u = spec.underlying.value;
        if (u >= slot_of_underlying_.size()) {
            slot_of_underlying_.resize(u + 1, -1);
        }
        if (slot_of_underlying_[u] < 0) {
            slot_of_underlying_[u] = static_cast<int>(out.underlyings.size());
            out.underlyings.push_back(UnderlyingExposure{.underlying = spec.underlying});
            pnl_.resize(pnl_.size() + n_scen, 0.0);
        }
        const std::size_t slot = static_cast<std::size_t>(slot_of_underlying_[u]);
        UnderlyingExposure& e = out.underlyings[slot];
        const double q = position.quantity;
        e.underlying_price = val.underlying_price;
        e.value_usd += q * val.per_contract.price;
        e.delta += q * val.per_contract.delta;
        e.gamma += q * val.per_contract.gamma;
        e.vega += q * val.per_contract.vega;
        e.theta += q * val.per_contract.theta;
        if (is_option(spec.kind)) {
            e.net_option_contracts += q;
        }
        // The hot loop: one multiply-add per scenario, vectorised by the compiler.
        const double* __restrict ra = table.risk_array(position.instrument).data();
        double* __restrict acc = pnl_.data() + slot * n_scen;
        for (std::size_t s = 0; s < n_scen; ++s) {
            acc[s] += q * ra[s];
        }
    }

    const std::span<const Scenario> scenarios = table.grid().scenarios();
    std::vector<double> remaining(out.underlyings.size());
    for (std::size_t slot = 0; slot < out.underlyings.size(); ++slot) {
        UnderlyingExposure& e = out.underlyings[slot];
        slot_of_underlying_[e.underlying.value] = -1;  // reset scratch for the next account
        const double* row = pnl_.data() + slot * n_scen;
        double worst = 0.0;
        std::size_t worst_at = 0;
        for (std::size_t s = 0; s < n_scen; ++s) {
            if (-row[s] > worst) {
                worst = -row[s];
                worst_at = s;
            }
        }
        e.worst_loss_usd = worst;
        e.worst_scenario = worst_at;
        const double move = scenarios[worst_at].spot_move_fraction;  // a scale keeps the sign
        e.worst_direction = worst <= 0.0 ? 0 : (move < 0.0 ? -1 : (move > 0.0 ? 1 : 0));
        remaining[slot] = worst;
        out.scan_loss_usd += worst;

        const double price = e.underlying_price;
        out.short_option_minimum_usd +=
            params_.short_option_minimum_fraction * price * std::max(0.0, -e.net_option_contracts);
        const double extra_move_usd = price * params_.gamma_extra_move_fraction;
        out.gamma_charge_usd += 0.5 * std::max(0.0, -e.gamma) * extra_move_usd * extra_move_usd;
        out.vega_charge_usd += std::max(0.0, -e.vega) * params_.vega_extra_vol_shift;
    }

    auto slot_of = [&](UnderlyingId id) -> int {
        for (std::size_t i = 0; i < out.underlyings.size(); ++i) {
            if (out.underlyings[i].underlying == id) {
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    for (const CorrelationOffset& row : params_.offsets) {
        const int a = slot_of(row.a);
        const int b = slot_of(row.b);
        if (a < 0 || b < 0) {
            continue;
        }
        const auto ua = static_cast<std::size_t>(a);
        const auto ub = static_cast<std::size_t>(b);
        if (out.underlyings[ua].worst_direction * out.underlyings[ub].worst_direction >= 0) {
            continue;  // same direction (or no loss): the legs lose together
        }
        const double used = std::min(remaining[ua], remaining[ub]);
        out.offset_credit_usd += row.credit_fraction * used;
        remaining[ua] -= used;
        remaining[ub] -= used;
    }

    out.requirement_usd = std::max(out.scan_loss_usd - out.offset_credit_usd, out.short_option_minimum_usd) +
                          out.gamma_charge_usd + out.vega_charge_usd;
    return out;
}

}  // namespace keeper::margin

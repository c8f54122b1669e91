#include "margin/derivatives_book.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <tuple>

#include "margin/portfolio_risk_arrays.hpp"

namespace keeper::margin::derivatives {

namespace {

// Positions with the same terms share one risk array: a book of 10,000
// accounts writing the same few hundred listed options prices each once.
using InstrumentKey = std::tuple<std::size_t, int, int, double, double, double>;

InstrumentKey key_of(const Position& p, const Underlying& u) {
    if (p.kind == PositionKind::perp) return {p.underlying, 0, 0, 0.0, 0.0, 0.0};
    return {p.underlying, 1, static_cast<int>(p.option_type), p.strike, p.years_to_expiry, p.vol.value_or(u.vol)};
}

double scale_of(const DerivativesBook& book, std::size_t u) {
    const auto& range = book.underlyings[u].scan_range_fraction;
    if (!range || !(book.grid.max_spot_move_fraction > 0.0)) return 1.0;
    return *range / book.grid.max_spot_move_fraction;
}

AccountGreeks greeks_in_usd(const std::vector<UnderlyingGreeks>& per_underlying) {
    AccountGreeks g;
    for (const auto& u : per_underlying) {
        g.delta_usd += u.delta * u.spot;
        g.gamma_usd_per_pct += u.gamma * u.spot * u.spot / 100.0;
        g.vega_usd_per_vol_point += u.vega / 100.0;
        g.theta_usd_per_day += u.theta / 365.0;
    }
    return g;
}

void add_deficit(DerivativesReport& out, const ByMethod& excess) {
    const double e[3] = {excess.isolated, excess.cross, excess.portfolio};
    double* d[3] = {&out.deficit_usd.isolated, &out.deficit_usd.cross, &out.deficit_usd.portfolio};
    for (std::size_t m = 0; m < 3; ++m) {
        if (e[m] < 0.0) {
            *d[m] -= e[m];
            ++out.accounts_in_deficit[m];
        }
    }
}

}  // namespace

double scenario_move(const DerivativesBook& book, const std::vector<Scenario>& scenarios, std::size_t underlying,
                     std::size_t s) {
    return scale_of(book, underlying) * scenarios[s].spot_move_fraction;
}

Result<DerivativesReport> evaluate_derivatives(const DerivativesBook& book) {
    auto grid = ScenarioGrid::make(book.grid);
    if (!grid) return std::unexpected(grid.error());
    PortfolioMarginParams params;
    for (const BookOffset& o : book.offsets) {
        if (o.a >= book.underlyings.size() || o.b >= book.underlyings.size())
            return fail("derivatives: offset names an unknown underlying");
        params.offsets.push_back(CorrelationOffset{UnderlyingId{static_cast<std::uint16_t>(o.a)},
                                                   UnderlyingId{static_cast<std::uint16_t>(o.b)}, o.credit_fraction});
    }
    params.short_option_minimum_fraction = book.short_option_minimum_fraction;
    params.gamma_extra_move_fraction = book.gamma_extra_move_fraction;
    params.vega_extra_vol_shift = book.vega_extra_vol_shift;
    auto made = PortfolioMarginCalculator::make(std::move(params));
    if (!made) return std::unexpected(made.error());
    PortfolioMarginCalculator calc = std::move(*made);
    if (book.underlyings.size() > 0xFFFF) return fail("derivatives: more than 65535 underlyings");

    DerivativesReport out;
    out.scenarios.assign(grid->scenarios().begin(), grid->scenarios().end());
    RiskArrayTable table(std::move(*grid));
    std::map<InstrumentKey, InstrumentId> instruments;
    // Every account's positions as the engine's (instrument, quantity), in order.
    std::vector<std::vector<PortfolioPosition>> held(book.accounts.size());
    for (std::size_t a = 0; a < book.accounts.size(); ++a) {
        const Account& account = book.accounts[a];
        for (const Position& p : account.positions) {
            if (p.underlying >= book.underlyings.size())
                return fail("derivatives: " + account.name + ": " + p.label + ": unknown underlying");
            const Underlying& u = book.underlyings[p.underlying];
            const InstrumentKey key = key_of(p, u);
            auto it = instruments.find(key);
            if (it == instruments.end()) {
                InstrumentSpec spec;
                spec.underlying = UnderlyingId{static_cast<std::uint16_t>(p.underlying)};
                InstrumentMarket market{.underlying_price = u.spot, .rate = u.rate};
                market.spot_move_scale = scale_of(book, p.underlying);
                if (p.kind == PositionKind::option) {
                    spec.kind = InstrumentKind::spot_option;
                    spec.option_type = p.option_type;
                    spec.strike = p.strike;
                    market.implied_vol = p.vol.value_or(u.vol);
                    market.years_to_expiry = p.years_to_expiry;
                }
                const InstrumentId id = table.add_instrument(spec);
                if (auto priced = table.update(id, market); !priced)
                    return fail("derivatives: " + account.name + ": " + p.label + ": " + priced.error().message);
                it = instruments.emplace(key, id).first;
            }
            held[a].push_back(PortfolioPosition{it->second, p.quantity});
        }
    }
    out.instruments = instruments.size();

    std::vector<double> net_quantity(table.instrument_count(), 0.0);
    std::vector<double> isolated_unit(2 * table.instrument_count(), -1.0);  // long, short; -1: not yet run
    std::vector<PortfolioPosition> subset;
    for (std::size_t a = 0; a < book.accounts.size(); ++a) {
        const Account& account = book.accounts[a];
        const auto& positions = held[a];
        AccountReport r;
        r.account = a;
        out.positions += positions.size();
        auto whole = calc.requirement(positions, table);
        if (!whole) return std::unexpected(whole.error());
        r.portfolio = std::move(*whole);
        r.requirement_usd.portfolio = r.portfolio.requirement_usd;
        // Cross: each underlying's positions as a portfolio of their own.
        if (r.portfolio.underlyings.size() <= 1) {
            r.requirement_usd.cross = r.portfolio.requirement_usd;
        } else {
            for (const UnderlyingExposure& e : r.portfolio.underlyings) {
                subset.clear();
                for (const PortfolioPosition& p : positions)
                    if (table.spec(p.instrument).underlying == e.underlying) subset.push_back(p);
                auto part = calc.requirement(subset, table);
                if (!part) return std::unexpected(part.error());
                r.requirement_usd.cross += part->requirement_usd;
            }
        }
        // Isolated: each position alone. Every term of the requirement of one
        // position scales with |quantity| for a given sign (the worst loss, the
        // short-option minimum, the gamma and vega charges), so the engine runs
        // once per instrument and side, for one contract, and is scaled.
        for (const PortfolioPosition& p : positions) {
            if (p.quantity == 0.0) continue;
            const std::size_t side = p.quantity > 0.0 ? 0 : 1;
            double& per_contract = isolated_unit[2 * static_cast<std::size_t>(p.instrument.value) + side];
            if (per_contract < 0.0) {
                const PortfolioPosition one{p.instrument, side == 0 ? 1.0 : -1.0};
                auto alone = calc.requirement(std::span<const PortfolioPosition>(&one, 1), table);
                if (!alone) return std::unexpected(alone.error());
                per_contract = alone->requirement_usd;
            }
            r.requirement_usd.isolated += std::fabs(p.quantity) * per_contract;
        }
        r.equity_usd = account.cash_usd;
        for (std::size_t i = 0; i < positions.size(); ++i) {
            const Position& p = account.positions[i];
            net_quantity[positions[i].instrument.value] += p.quantity;
            if (p.kind == PositionKind::perp) {
                r.equity_usd += p.quantity * (book.underlyings[p.underlying].spot - p.entry_price);
            } else {
                const double model = table.valuation(positions[i].instrument).per_contract.price;
                r.equity_usd += p.quantity * p.mark.value_or(model);
            }
        }
        for (const UnderlyingExposure& e : r.portfolio.underlyings) {
            r.underlyings.push_back(UnderlyingGreeks{.underlying = e.underlying.value,
                                                     .spot = e.underlying_price,
                                                     .delta = e.delta,
                                                     .gamma = e.gamma,
                                                     .vega = e.vega,
                                                     .theta = e.theta,
                                                     .net_option_contracts = e.net_option_contracts,
                                                     .worst_loss_usd = e.worst_loss_usd,
                                                     .worst_scenario = e.worst_scenario});
        }
        r.greeks = greeks_in_usd(r.underlyings);
        r.excess_usd = ByMethod{r.equity_usd - r.requirement_usd.isolated, r.equity_usd - r.requirement_usd.cross,
                                r.equity_usd - r.requirement_usd.portfolio};
        out.requirement_usd.isolated += r.requirement_usd.isolated;
        out.requirement_usd.cross += r.requirement_usd.cross;
        out.requirement_usd.portfolio += r.requirement_usd.portfolio;
        out.equity_usd += r.equity_usd;
        add_deficit(out, r.excess_usd);
        out.accounts.push_back(std::move(r));
    }

    // The book's net per underlying: Greeks and the P&L of every scenario.
    std::vector<int> slot(book.underlyings.size(), -1);
    for (std::size_t id = 0; id < table.instrument_count(); ++id) {
        const InstrumentId instrument{static_cast<std::uint32_t>(id)};
        const std::size_t u = table.spec(instrument).underlying.value;
        if (slot[u] < 0) {
            slot[u] = static_cast<int>(out.underlyings.size());
            BookUnderlying b;
            b.underlying = u;
            b.greeks.underlying = u;
            b.greeks.spot = book.underlyings[u].spot;
            b.pnl.reserve(out.scenarios.size());
            for (std::size_t s = 0; s < out.scenarios.size(); ++s)
                b.pnl.push_back(
                    PnlPoint{scenario_move(book, out.scenarios, u, s), out.scenarios[s].vol_shift_abs, 0.0});
            out.underlyings.push_back(std::move(b));
        }
        BookUnderlying& b = out.underlyings[static_cast<std::size_t>(slot[u])];
        const double q = net_quantity[id];
        const OptionValuation& v = table.valuation(instrument).per_contract;
        b.greeks.delta += q * v.delta;
        b.greeks.gamma += q * v.gamma;
        b.greeks.vega += q * v.vega;
        b.greeks.theta += q * v.theta;
        if (is_option(table.spec(instrument).kind)) b.greeks.net_option_contracts += q;
        const auto row = table.risk_array(instrument);
        for (std::size_t s = 0; s < row.size(); ++s) b.pnl[s].pnl_usd += q * row[s];
    }
    std::sort(out.underlyings.begin(), out.underlyings.end(),
              [](const BookUnderlying& x, const BookUnderlying& y) { return x.underlying < y.underlying; });
    std::vector<UnderlyingGreeks> book_greeks;
    for (const auto& b : out.underlyings) book_greeks.push_back(b.greeks);
    out.greeks = greeks_in_usd(book_greeks);
    return out;
}

}  // namespace keeper::margin::derivatives

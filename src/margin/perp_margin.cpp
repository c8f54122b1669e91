#include "margin/perp_margin.hpp"

#include <cmath>
#include <string>

namespace keeper::margin {

namespace {

Result<const PerpMarket*> find_market(const PerpBook& book, PerpMarketId id) {
    if (id.value >= book.markets.size()) {
        return fail("perp: unknown market " + std::to_string(id.value));
    }
    return &book.markets[id.value];
}

}  // namespace

Result<PerpMarginSummary> evaluate_perp_account(const PerpAccount& account, const PerpBook& book,
                                                HealthThresholds thresholds) {
    PerpMarginSummary s;
    for (const PerpCollateralBalance& balance : account.collateral) {
        if (balance.asset.value >= book.collateral_assets.size()) {
            return fail("perp: unknown collateral asset " + std::to_string(balance.asset.value));
        }
        const PerpCollateralAsset& asset = book.collateral_assets[balance.asset.value];
        const double value = balance.amount * asset.price_usd;
        // A haircut discounts what is owned; a negative balance is owed in full.
        s.collateral_value_usd += value >= 0.0 ? value * asset.haircut_weight : value;
    }
    for (std::size_t i = 0; i < account.positions.size(); ++i) {
        const PerpPosition& position = account.positions[i];
        for (std::size_t j = 0; j < i; ++j) {
            if (account.positions[j].market == position.market) {
                return fail("perp: two positions in market " + std::to_string(position.market.value));
            }
        }
        const auto market = find_market(book, position.market);
        if (!market.has_value()) {
            return std::unexpected(market.error());
        }
        const PerpMarket& m = **market;
        const double notional = std::fabs(position.size_base) * m.mark_price_usd;
        s.unrealized_pnl_usd += position.size_base * (m.mark_price_usd - position.entry_price_usd);
        s.funding_owed_usd += position.size_base * (m.funding_index_usd - position.funding_index_at_open_usd);
        s.maintenance_usd += notional * m.maintenance_fraction;
        s.initial_usd += notional * m.initial_fraction;
    }
    s.equity_usd = s.collateral_value_usd + s.unrealized_pnl_usd - s.funding_owed_usd;
    s.free_collateral_usd = s.equity_usd - s.initial_usd;
    s.health = margin_health(s.equity_usd, s.maintenance_usd);
    s.state = margin_health_state(s.equity_usd, s.maintenance_usd, thresholds);
    return s;
}

Result<PerpOrderCheck> check_perp_order(const PerpAccount& account, const PerpBook& book, const PerpOrder& order) {
    const auto summary = evaluate_perp_account(account, book);
    if (!summary.has_value()) {
        return std::unexpected(summary.error());
    }
    const auto market = find_market(book, order.market);
    if (!market.has_value()) {
        return std::unexpected(market.error());
    }
    const PerpMarket& m = **market;
    double size_before = 0.0;
    for (const PerpPosition& position : account.positions) {
        if (position.market == order.market) {
            size_before = position.size_base;
        }
    }
    const double size_after = size_before + order.size_delta_base;
    const double notional_change = (std::fabs(size_after) - std::fabs(size_before)) * m.mark_price_usd;

    PerpOrderCheck check;
    check.reduces_risk = std::fabs(size_after) <= std::fabs(size_before) && size_after * size_before >= 0.0;
    // The fill is marked to market at once: buying above mark costs equity.
    check.equity_after_usd = summary->equity_usd + order.size_delta_base * (m.mark_price_usd - order.fill_price_usd);
    check.initial_after_usd = summary->initial_usd + notional_change * m.initial_fraction;
    check.maintenance_after_usd = summary->maintenance_usd + notional_change * m.maintenance_fraction;
    check.allowed = check.reduces_risk ? check.equity_after_usd >= check.maintenance_after_usd
                                       : check.equity_after_usd >= check.initial_after_usd;
    return check;
}

Result<std::optional<double>> perp_move_to_liquidation(const PerpAccount& account, const PerpBook& book,
                                                       PerpMarketId market_id) {
    const auto summary = evaluate_perp_account(account, book);
    if (!summary.has_value()) {
        return std::unexpected(summary.error());
    }
    const auto market = find_market(book, market_id);
    if (!market.has_value()) {
        return std::unexpected(market.error());
    }
    if (summary->equity_usd < summary->maintenance_usd) {
        return std::optional<double>(0.0);
    }
    double size = 0.0;
    for (const PerpPosition& position : account.positions) {
        if (position.market == market_id) {
            size += position.size_base;
        }
    }
    const double price = (*market)->mark_price_usd;
    const double slope = size * price - std::fabs(size) * price * (*market)->maintenance_fraction;
    if (slope == 0.0) {
        return std::optional<double>();
    }
    const double m = (summary->maintenance_usd - summary->equity_usd) / slope;
    if (m <= -1.0) {
        return std::optional<double>();
    }
    return std::optional<double>(m);
}

}  // namespace keeper::margin

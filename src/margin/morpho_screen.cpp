#include "margin/morpho_screen.hpp"

namespace keeper::margin {

double morpho_collateral_screen_price(const U256& price_1e36) { return price_1e36.to_double() / 1e36; }

double morpho_borrow_share_screen_price(const morpho::MarketState& market) {
    const double assets = (market.total_borrow_assets + morpho::virtual_assets()).to_double();
    const double shares = (market.total_borrow_shares + morpho::virtual_shares()).to_double();
    return assets / shares;
}

double morpho_lltv_screen_threshold(const U256& lltv_wad) { return lltv_wad.to_double() / 1e18; }

std::array<ScreenPosition, 2> morpho_screen_positions(const MorphoScreenAssets& assets, const morpho::Position& position) {
    return {ScreenPosition{assets.collateral, PositionSide::collateral, position.collateral.to_double()},
            ScreenPosition{assets.borrow_share, PositionSide::debt, position.borrow_shares.to_double()}};
}

Result<ScreenTick> morpho_screen_market_update(AccountIndex& index, const MorphoScreenAssets& assets,
                                               const morpho::MarketParams& params, const morpho::MarketState& market,
                                               const U256& price_1e36) {
    auto debt = index.on_asset_update(assets.borrow_share, morpho_borrow_share_screen_price(market), 1.0);
    if (!debt) return std::unexpected(debt.error());
    auto collateral = index.on_asset_update(assets.collateral, morpho_collateral_screen_price(price_1e36),
                                            morpho_lltv_screen_threshold(params.lltv_wad));
    if (!collateral) return std::unexpected(collateral.error());
    // Report the union: an account flagged by the first update and cleared
    // by the second is simply in neither list's net effect for the caller.
    ScreenTick tick = std::move(*collateral);
    tick.evaluated += debt->evaluated;
    for (auto id : debt->newly_flagged)
        if (index.is_flagged(id)) tick.newly_flagged.push_back(id);
    for (auto id : debt->cleared)
        if (!index.is_flagged(id)) tick.cleared.push_back(id);
    return tick;
}

Result<bool> morpho_is_liquidatable(const morpho::MarketParams& params, const morpho::MarketState& accrued_market,
                                    const morpho::Position& position, const U256& price_1e36) {
    auto h = morpho::health(params, accrued_market, position, price_1e36);
    if (!h) return std::unexpected(h.error());
    return !h->healthy;
}

}  // namespace keeper::margin

#pragma once
// Morpho Blue positions in the float screen, and the exact rule that confirms
// them. Each market takes two screening assets:
//   collateral asset: price = oracle price / 1e36 (loan units per collateral
//                     unit), threshold = LLTV;
//   borrow-share asset: price = loan units per borrow share, from the
//                     market's totals with the virtual shares and assets.
// Interest accrual only moves the share price, so accruing a market is one
// asset update that re-screens exactly that market's borrowers.
#include <array>
#include <cstdint>

#include "margin/account_index.hpp"
#include "margin/morpho_blue.hpp"

namespace keeper::margin {

struct MorphoScreenAssets {
    std::uint16_t collateral = 0;
    std::uint16_t borrow_share = 0;
};

double morpho_collateral_screen_price(const U256& price_1e36);
double morpho_borrow_share_screen_price(const morpho::MarketState& market);
double morpho_lltv_screen_threshold(const U256& lltv_wad);

std::array<ScreenPosition, 2> morpho_screen_positions(const MorphoScreenAssets& assets, const morpho::Position& position);

// Sets both screening assets of a market (call after an oracle read or an accrual).
Result<ScreenTick> morpho_screen_market_update(AccountIndex& index, const MorphoScreenAssets& assets,
                                               const morpho::MarketParams& params, const morpho::MarketState& market,
                                               const U256& price_1e36);

// The contract's own rule: liquidatable exactly when !_isHealthy, on a market
// already accrued to the block's timestamp.
Result<bool> morpho_is_liquidatable(const morpho::MarketParams& params, const morpho::MarketState& accrued_market,
                                    const morpho::Position& position, const U256& price_1e36);

}  // namespace keeper::margin

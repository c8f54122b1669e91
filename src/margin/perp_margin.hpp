#pragma once
// Cross-margin perpetuals: one collateral pool backs every position.
//
// Units (doubles, screening and sizing only; DESIGN.md "Numbers"):
//   *_usd            quote currency (USD or a USD stablecoin) amounts
//   price_usd        USD per one unit of the base asset
//   size_base        signed base-asset units (long > 0, short < 0)
//   funding_index_usd cumulative funding paid by a long per unit of base, in
//                    USD; a position owes size x (index_now - index_at_open)
//   *_fraction       plain fractions (0.05 = 5 %)
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "margin/health_state.hpp"

namespace keeper::margin {

struct PerpMarketId {
    std::uint16_t value = 0;
    friend bool operator==(PerpMarketId, PerpMarketId) = default;
};

struct PerpCollateralId {
    std::uint16_t value = 0;
    friend bool operator==(PerpCollateralId, PerpCollateralId) = default;
};

struct PerpMarket {
    double mark_price_usd = 0.0;
    double maintenance_fraction = 0.0;  // MMF: maintenance = |notional| x MMF
    double initial_fraction = 0.0;      // IMF: needed to open new risk, >= MMF
    double funding_index_usd = 0.0;     // cumulative, see file comment
};

struct PerpCollateralAsset {
    double price_usd = 0.0;
    double haircut_weight = 1.0;  // value counted toward equity per USD of market value
};

// Market and collateral parameters indexed by their ids (id.value = index).
struct PerpBook {
    std::vector<PerpMarket> markets;
    std::vector<PerpCollateralAsset> collateral_assets;
};

struct PerpCollateralBalance {
    PerpCollateralId asset;
    double amount = 0.0;  // asset units; negative balances (borrowed collateral) count at full weight
};

struct PerpPosition {
    PerpMarketId market;
    double size_base = 0.0;
    double entry_price_usd = 0.0;
    double funding_index_at_open_usd = 0.0;
};

// At most one position per market (evaluate_perp_account rejects duplicates).
struct PerpAccount {
    std::vector<PerpCollateralBalance> collateral;
    std::vector<PerpPosition> positions;
};

struct PerpMarginSummary {
    double collateral_value_usd = 0.0;   // after haircuts
    double unrealized_pnl_usd = 0.0;
    double funding_owed_usd = 0.0;       // positive = the account pays
    double equity_usd = 0.0;             // collateral + pnl - funding owed
    double maintenance_usd = 0.0;        // sum |notional| x MMF
    double initial_usd = 0.0;            // sum |notional| x IMF
    double free_collateral_usd = 0.0;    // equity - initial (negative: cannot add risk)
    double health = 0.0;                 // equity / maintenance
    HealthState state = HealthState::healthy;
};

// Fails when the account names a market or collateral asset the book lacks.
Result<PerpMarginSummary> evaluate_perp_account(const PerpAccount& account, const PerpBook& book,
                                                HealthThresholds thresholds = {});

struct PerpOrder {
    PerpMarketId market;
    double size_delta_base = 0.0;  // signed: buy > 0, sell < 0
    double fill_price_usd = 0.0;
};

struct PerpOrderCheck {
    bool allowed = false;
    bool reduces_risk = false;          // |size| does not grow in that market
    double equity_after_usd = 0.0;      // includes the fill's immediate PnL against mark
    double initial_after_usd = 0.0;
    double maintenance_after_usd = 0.0;
};

// "Can this order be opened": new risk needs equity_after >= initial_after.
// An order that only shrinks a position is allowed while equity_after stays
// at or above maintenance_after (a reduction may not liquidate the account).
Result<PerpOrderCheck> check_perp_order(const PerpAccount& account, const PerpBook& book, const PerpOrder& order);

// The relative move m of a market's mark price (mark x (1 + m)) at which
// equity falls to maintenance, everything else fixed. Both are linear in m:
//   E + s*P*m = M + |s|*P*MMF*m   =>   m = (M - E) / (s*P - |s|*P*MMF)
// 0 when already liquidatable; nullopt when no price (m > -1) triggers it,
// e.g. the account holds no position in that market.
Result<std::optional<double>> perp_move_to_liquidation(const PerpAccount& account, const PerpBook& book,
                                                       PerpMarketId market);

}  // namespace keeper::margin

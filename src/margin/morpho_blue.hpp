#pragma once
// Morpho Blue, to the wei: share conversions (SharesMathLib), interest accrual
// (_accrueInterest), health (_isHealthy) and liquidation (liquidate), computed
// in the contract's integer arithmetic and rounding. Every function is pure:
// the caller passes the market as read from chain and the block timestamp.
// An Error means the contract call would revert; its message says why.
#include <cstdint>
#include <optional>

#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::morpho {

struct MarketParams {
    Address loan_token;
    Address collateral_token;
    Address oracle;
    Address irm;  // the zero address means "no interest"
    U256 lltv_wad;
};

// Market storage (uint128 fields on chain).
struct MarketState {
    U256 total_supply_assets;
    U256 total_supply_shares;
    U256 total_borrow_assets;
    U256 total_borrow_shares;
    std::uint64_t last_update = 0;  // seconds
    U256 fee_wad;
    friend bool operator==(const MarketState&, const MarketState&) = default;
};

struct Position {
    U256 supply_shares;
    U256 borrow_shares;
    U256 collateral;  // collateral token units
    friend bool operator==(const Position&, const Position&) = default;
};

// Constants from ConstantsLib / SharesMathLib.
U256 virtual_shares();             // 1e6
U256 virtual_assets();             // 1
U256 oracle_price_scale();         // 1e36
U256 liquidation_cursor_wad();     // 0.3e18
U256 max_liquidation_incentive_factor_wad();  // 1.15e18

// SharesMathLib: shares <-> assets with virtual shares/assets. nullopt on overflow.
std::optional<U256> to_shares_down(const U256& assets, const U256& total_assets, const U256& total_shares);
std::optional<U256> to_shares_up(const U256& assets, const U256& total_assets, const U256& total_shares);
std::optional<U256> to_assets_down(const U256& shares, const U256& total_assets, const U256& total_shares);
std::optional<U256> to_assets_up(const U256& shares, const U256& total_assets, const U256& total_shares);

struct Accrual {
    MarketState market;  // after accrual, last_update = now
    U256 interest;       // added to both total borrow and total supply assets
    U256 fee_shares;     // minted to the fee recipient's supply shares
};
// _accrueInterest at timestamp `now_seconds` with the IRM's answer
// `borrow_rate_per_second_wad` (the IRM reads the pre-accrual market; for an
// adaptive IRM the caller asks it). Fails where the contract reverts:
// now < last_update, overflow, or a total exceeding uint128.
Result<Accrual> accrue_interest(const MarketParams& params, const MarketState& market,
                                const U256& borrow_rate_per_second_wad, std::uint64_t now_seconds);

// What _isHealthy compares: borrowed = toAssetsUp(borrowShares), max_borrow =
// wMulDown(mulDivDown(collateral, price, 1e36), lltv).
struct Health {
    U256 borrowed;    // loan token units, rounded up
    U256 max_borrow;  // loan token units, rounded down
    bool healthy = true;  // max_borrow >= borrowed (equality is healthy)
};
Result<Health> health(const MarketParams& params, const MarketState& market, const Position& position,
                      const U256& price_1e36);
// max_borrow / borrowed in wad, rounded down: >= 1e18 exactly when healthy;
// U256::max() without debt. For display and ranking.
U256 health_ratio_wad(const Health& h);

// min(1.15e18, WAD.wDivDown(WAD - 0.3e18.wMulDown(WAD - lltv))). Requires lltv < WAD
// (the contract only enables such lltvs).
Result<U256> liquidation_incentive_factor_wad(const U256& lltv_wad);

// Exactly one of the two is non-zero, as Morpho.liquidate requires.
struct LiquidationRequest {
    U256 seized_assets;  // collateral units the liquidator asks for, or 0
    U256 repaid_shares;  // borrow shares the liquidator repays, or 0
};

struct Liquidation {
    U256 seized_assets;    // collateral to the liquidator
    U256 repaid_shares;
    U256 repaid_assets;    // loan tokens the liquidator pays (toAssetsUp)
    U256 bad_debt_assets;  // socialised when the position's collateral hits 0
    U256 bad_debt_shares;
    MarketState market_after;
    Position position_after;
};
// Morpho.liquidate on an already-accrued market (call accrue_interest first,
// as the contract does) at oracle price `price_1e36`. Fails with the
// contract's reason: healthy position, inconsistent input, more shares or
// collateral than the position holds, uint128 overflow.
Result<Liquidation> liquidate(const MarketParams& params, const MarketState& market, const Position& position,
                              const U256& price_1e36, const LiquidationRequest& request);

// The largest liquidation that does not revert: all the collateral when the
// debt covers it, otherwise all the borrow shares. Returns the request and its
// outcome; fails when the position is healthy or has no debt.
struct MaxLiquidation {
    LiquidationRequest request;
    Liquidation outcome;
};
Result<MaxLiquidation> max_liquidation(const MarketParams& params, const MarketState& market, const Position& position,
                                       const U256& price_1e36);

}  // namespace keeper::morpho

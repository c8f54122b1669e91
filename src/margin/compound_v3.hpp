#pragma once
// Compound III (Comet), to the wei: principal/present value with the base
// indices, isBorrowCollateralized / isLiquidatable, quoteCollateral with the
// store-front discount, and what absorb does to an account. Prices are the
// feeds' 8-decimal answers; factors are 1e18-scaled. Pure.
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::comet {

U256 base_index_scale();  // 1e15
U256 factor_scale();      // 1e18

// Comet's int104 principal: positive = supplied base, negative = borrowed.
struct Principal {
    U256 magnitude;
    bool borrowed = false;  // true: the account owes `magnitude` principal
    friend bool operator==(const Principal&, const Principal&) = default;
};

struct BaseState {
    U256 base_scale;        // 10^baseToken.decimals
    U256 price_1e8;         // getPrice(baseTokenPriceFeed); must be > 0
    U256 base_supply_index;  // 1e15-scaled
    U256 base_borrow_index;  // 1e15-scaled
    U256 store_front_price_factor;  // 1e18-scaled
};

struct AssetInfo {
    U256 scale;  // 10^asset.decimals
    U256 borrow_collateral_factor;     // 1e18-scaled
    U256 liquidate_collateral_factor;  // 1e18-scaled
    U256 liquidation_factor;           // 1e18-scaled: share of value credited on absorb
    U256 supply_cap;
};

// One collateral asset the account has in `assetsIn`.
struct CollateralHolding {
    AssetInfo info;
    U256 price_1e8;
    U256 balance;  // userCollateral[account][asset].balance
};

struct Account {
    Principal principal;
    std::vector<CollateralHolding> collateral;  // in asset index order
};

// principal * index / 1e15, rounded down for both sides (as Comet).
Result<U256> present_value_supply(const U256& base_supply_index, const U256& principal);
Result<U256> present_value_borrow(const U256& base_borrow_index, const U256& principal);
// present * 1e15 / index: down for supply, up for borrow; fails beyond uint104.
Result<U256> principal_value_supply(const U256& base_supply_index, const U256& present);
Result<U256> principal_value_borrow(const U256& base_borrow_index, const U256& present);

// accruedInterestIndices: index += index * (rate_per_second * elapsed) / 1e18.
struct Indices {
    U256 base_supply_index;
    U256 base_borrow_index;
};
Result<Indices> accrue_indices(const Indices& indices, const U256& supply_rate_per_second_1e18,
                               const U256& borrow_rate_per_second_1e18, std::uint64_t elapsed_seconds);

// The two sides of Comet's `liquidity`, in price units (1e8): the debt's value
// (signedMulPrice truncates toward zero, i.e. rounds the debt's value down)
// and the factor-weighted collateral value.
struct Liquidity {
    U256 debt_value_1e8;
    U256 collateral_value_1e8;  // sum of mulFactor(mulPrice(balance, price, scale), factor)
    bool negative() const { return collateral_value_1e8 < debt_value_1e8; }
};
Result<Liquidity> borrow_liquidity(const BaseState& base, const Account& account);     // borrowCollateralFactor
Result<Liquidity> liquidation_liquidity(const BaseState& base, const Account& account);  // liquidateCollateralFactor

// Comet.isBorrowCollateralized / isLiquidatable (a supplier is always fine).
Result<bool> is_borrow_collateralized(const BaseState& base, const Account& account);
Result<bool> is_liquidatable(const BaseState& base, const Account& account);
// collateral_value / debt_value in wad with liquidation factors; >= 1e18 is
// safe; U256::max() without debt. For display and ranking.
Result<U256> health_ratio_wad(const BaseState& base, const Account& account);

// Comet.quoteCollateral: collateral units bought with `base_amount` from the
// reserves at the store-front price, the asset's price discounted by
// storeFrontPriceFactor * (1 - liquidationFactor).
Result<U256> quote_collateral(const BaseState& base, const AssetInfo& asset, const U256& asset_price_1e8,
                              const U256& base_amount);

// absorbInternal: all collateral is seized and credited at liquidationFactor;
// the new balance is floored at zero (reserves eat the rest).
struct Absorb {
    U256 collateral_value_1e8;  // sum of mulFactor(value, liquidationFactor)
    U256 delta_balance;         // base units credited
    Principal new_principal;
    U256 base_paid_out;         // newBalance - oldBalance, base units
};
Result<Absorb> absorb(const BaseState& base, const Account& account);

}  // namespace keeper::comet

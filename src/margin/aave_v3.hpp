#pragma once
// Aave V3, to the wei: GenericLogic.calculateUserAccountData (what
// Pool.getUserAccountData returns) and the amounts of
// LiquidationLogic.executeLiquidationCall, for the generations of rules
// PoolRules names (v3.0.x, v3.3, v3.5, v3.6, v3.7).
// Pure: the caller passes the reserves as read at the block (indices already
// normalised to the block timestamp) and the oracle prices.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/u256.hpp"
#include "margin/aave_interest.hpp"
#include "margin/aave_v3_config.hpp"

namespace keeper::aave {

// Which pool implementation's arithmetic to reproduce. The daemon picks it
// from Pool.POOL_REVISION (rules_for_revision): 1 and 2 -> EarlyV3, 10 ->
// V3_6, 11 -> V3_7. V3_3 and V3_5 are kept for the unit tests' worked
// examples of those releases; no revision maps to them yet.
enum class PoolRules {
    // @aave/core-v3 1.19.x (v3.0.x): half-up WadRayMath everywhere, stable
    // debt, eMode membership by the reserve's category bits, eMode price
    // source, close factor 50% above HF 0.95 and 100% at or below.
    EarlyV3,
    // aave-v3-origin v3.3/v3.4: eMode collateral bitmaps, no stable debt,
    // 100% close factor unless HF > 0.95 and both the reserve's collateral and
    // debt are >= 2000 base units (then 50% of total debt, in base), and the
    // dust rule: a partial liquidation must leave >= 1000 base of both. A
    // liquidation that takes the last collateral (in base units) writes the
    // rest of every debt off as the reserves' deficit (bad debt).
    V3_3,
    // v3.5 (POOL_REVISION 9): as V3_3 but TokenMath rounds in the protocol's
    // favour (aToken balance floor, debt balance ceil, debt burn floor),
    // debt in base currency rounds up, the health factor divides
    // sum(collateral_i * lt_i) by debt before the 1e4 scaling, and
    // debtAmountNeeded uses percentDivCeil.
    V3_5,
    // v3.6 (POOL_REVISION 10, @aave-dao/aave-v3-origin 3.6.0): as V3_5, and
    // GenericLogic counts every collateral-flagged reserve whatever its
    // liquidation threshold, an eMode collateral takes the category's LTV even
    // where the reserve's own is 0 unless the category's ltvzero bitmap names
    // it, and a collateral with threshold 0 can be liquidated.
    V3_6,
    // v3.7 (POOL_REVISION 11): as V3_6, and the liquidator absorbs every
    // rounding of the seize (docs/3.7/liquidation-rounding.md):
    // maxCollateralToLiquidate with percentMulFloor, the bonus's base part with
    // percentDivFloor, the protocol fee with percentMulCeil; "no collateral
    // left" (deficit) is judged on the scaled aTokens consumed; an isolated
    // eMode category gives LTV 0 to every collateral outside it.
    V3_7,
};

// v3.5 and later round balances and debt in the protocol's favour.
constexpr bool rounds_for_protocol(PoolRules rules) {
    return rules == PoolRules::V3_5 || rules == PoolRules::V3_6 || rules == PoolRules::V3_7;
}
// v3.6 and later: liquid eMode LTV rules, no threshold filter on collateral.
constexpr bool liquid_emode_ltv(PoolRules rules) { return rules == PoolRules::V3_6 || rules == PoolRules::V3_7; }
// v3.3 and later account bad debt as reserve deficits.
constexpr bool tracks_deficit(PoolRules rules) { return rules != PoolRules::EarlyV3; }

// The borrow index's compounding: the v3.4 formula from v3.5 on.
constexpr Compounding compounding_for(PoolRules rules) {
    return rules == PoolRules::EarlyV3 || rules == PoolRules::V3_3 ? Compounding::Binomial3 : Compounding::TaylorX;
}

// Pool.POOL_REVISION() -> the rules its implementation runs, for the
// revisions whose sources this version was checked against: 1 and 2
// (@aave/core-v3 1.x, v3.0.0-v3.0.2), 10 (aave-v3-origin v3.6.0) and 11
// (v3.7.0, what Ethereum mainnet's Aave V3 Core pool runs since the v3.7
// upgrade). Any other revision is an error naming the supported ones: the
// keeper never guesses a pool's arithmetic.
Result<PoolRules> rules_for_pool_revision(std::uint64_t revision);

U256 health_factor_liquidation_threshold_wad();  // 1e18
U256 close_factor_hf_threshold_wad();            // 0.95e18
U256 min_base_max_close_factor_threshold();      // 2000e8 (v3.3+)
U256 min_leftover_base();                        // 1000e8 (v3.3+)

struct EModeCategory {
    std::uint16_t ltv_bps = 0;
    std::uint16_t liquidation_threshold_bps = 0;
    std::uint16_t liquidation_bonus_bps = 0;
    U256 price_source_price;  // EarlyV3: price of the category's price source, 0 = none
    U256 collateral_bitmap;   // V3_3+: bit i set = reserve i counts as eMode collateral
    U256 ltvzero_bitmap;      // V3_6+: bit i set = reserve i has LTV 0 inside the category
    bool isolated = false;    // V3_7: collateral outside the category has LTV 0
};

// One reserve the user touches, as read at the block.
struct ReserveSnapshot {
    // ReserveData.id: the reserve's bit pair in UserConfig. Not its position in
    // Pool.getReservesList(), which skips dropped reserves.
    unsigned id = 0;
    ReserveConfig config;
    U256 price;                  // oracle.getAssetPrice: base currency units (1e8 = $1 on mainnet)
    U256 normalized_income_ray;  // getReserveNormalizedIncome
    U256 normalized_debt_ray;    // getReserveNormalizedVariableDebt
    U256 scaled_atoken_balance;  // aToken.scaledBalanceOf(user)
    U256 scaled_variable_debt;   // variableDebtToken.scaledBalanceOf(user)
    U256 stable_debt;            // EarlyV3 only: stableDebtToken.balanceOf(user)
};

struct UserAccount {
    UserConfig config;
    std::uint8_t emode_category_id = 0;
    EModeCategory emode;  // the category emode_category_id names; ignored when 0
    std::vector<ReserveSnapshot> reserves;  // every reserve the config flags, any order
};

// Pool.getUserAccountData's numbers.
struct AccountData {
    U256 total_collateral_base;
    U256 total_debt_base;
    U256 avg_ltv_bps;
    U256 avg_liquidation_threshold_bps;
    U256 health_factor_wad;  // U256::max() without debt
    bool has_zero_ltv_collateral = false;
    bool liquidatable() const;  // health factor < 1e18, as validateLiquidationCall
};

Result<AccountData> calculate_user_account_data(PoolRules rules, const UserAccount& account);

// The user's current balances in token units as the rules round them.
Result<U256> atoken_balance(PoolRules rules, const ReserveSnapshot& reserve);
Result<U256> debt_balance(PoolRules rules, const ReserveSnapshot& reserve);  // variable (+ stable in EarlyV3)

// _calculateAvailableCollateralToLiquidate.
struct CollateralToLiquidate {
    U256 collateral_to_liquidator;  // actualCollateralToLiquidate (after the protocol fee)
    U256 debt_to_repay;             // debtAmountNeeded
    U256 protocol_fee;              // collateral units, to the treasury
    U256 collateral_base;           // V3_3+: collateral liquidated (incl. fee) in base units
};
Result<CollateralToLiquidate> calculate_available_collateral_to_liquidate(
    PoolRules rules, const U256& collateral_price, std::uint8_t collateral_decimals, const U256& debt_price,
    std::uint8_t debt_decimals, const U256& debt_to_cover, const U256& user_collateral_balance,
    std::uint16_t liquidation_bonus_bps, std::uint16_t liquidation_protocol_fee_bps);

struct LiquidationCall {
    unsigned collateral_reserve_id = 0;
    unsigned debt_reserve_id = 0;
    U256 debt_to_cover;  // U256::max() = as much as allowed
    bool receive_a_token = false;  // the collateral moves as aTokens instead of being burned
};

// A reserve's debt written off as bad debt: IPool.DeficitCreated(user, debtAsset, amount).
struct Deficit {
    unsigned reserve_id = 0;
    U256 amount;  // debt-asset units
    friend bool operator==(const Deficit&, const Deficit&) = default;
};

struct LiquidationQuote {
    AccountData account;
    U256 user_collateral_balance;
    U256 user_debt_balance;
    U256 max_liquidatable_debt;  // after the close factor
    std::uint16_t liquidation_bonus_bps = 0;
    U256 collateral_price;  // as used (EarlyV3 may use the eMode price source)
    U256 debt_price;
    CollateralToLiquidate amounts;
    // V3_3+: the liquidation takes the user's last collateral (in base
    // units), so the pool burns every debt of the user: what the liquidator
    // does not repay becomes the reserves' deficit, the liquidated debt
    // reserve first, then every other borrowed (active) reserve by id.
    bool has_no_collateral_left = false;
    std::vector<Deficit> deficits;
};
// The amounts Pool.liquidationCall would move, or the contract's reason for
// reverting (health factor not below 1, collateral not enabled, nothing
// borrowed, inactive/paused reserve, MUST_NOT_LEAVE_DUST, INVALID_BURN_AMOUNT
// for a debt or collateral amount that scales to zero at the block's index).
// MUST_NOT_LEAVE_DUST comes as ErrorKind::leaves_dust: a planner may retry
// with a smaller amount, which no other reason cures.
// Not modelled: the liquidation grace period (a reserve's
// liquidationGracePeriodUntil, v3.1+), the price oracle sentinel (L2s) and
// self-liquidation, none of which change the amounts.
Result<LiquidationQuote> quote_liquidation(PoolRules rules, const UserAccount& account, const LiquidationCall& call);

}  // namespace keeper::aave

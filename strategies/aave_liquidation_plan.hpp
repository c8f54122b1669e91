#pragma once
// Which Aave V3 liquidation to send for an unhealthy account, how large, and
// whether it pays. Pure: the caller passes the account as read at the block
// (indexes normalised to the block timestamp, margin/aave_interest), the
// liquidator's debt-asset balances or flash-loan terms, and the gas terms; the
// amounts come from margin/aave_v3's exact pool arithmetic
// (aave::quote_liquidation), so `quote` is what the pool will move.
//
// Every (collateral the user uses with a non-zero threshold, debt the user
// owes) pair is sized and priced; the most profitable one wins. Per pair the
// liquidator earns the bonus on every unit repaid, so profit grows with size
// and the best amount is the largest one allowed by: the close factor
// (quote.max_liquidatable_debt), the collateral the user holds, the
// liquidator's balance of the debt asset (not with a flash loan, whose premium
// is then a cost) and max_debt_spend_base.
//
// Why debt_to_cover stays 1 ppm inside both protocol caps. Between our quote
// and the block that includes the transaction, the user's debt and aToken
// balances grow with the indexes. The pool computes
//   actualDebt = min(debt_to_cover, closeFactor * userDebt)
//   maxCollateral = debt_to_cover * debtPrice / collateralPrice * bonus
//   seized = maxCollateral > userCollateral ? userCollateral : maxCollateral
// (debt then recomputed from userCollateral in the second case). If our
// amount sat exactly on a cap, the cap's growth would change what is repaid or
// seized. Sized with debt_to_cover < close-factor cap and maxCollateral <
// userCollateral, both comparisons keep their outcome as the balances grow
// (both caps only rise with interest), so the repaid debt is debt_to_cover
// itself and the seized collateral a function of debt_to_cover and the prices
// only: the prediction equals the LiquidationCall event to the wei whatever
// block it lands in. The 1 ppm margin (x - x / 1e6 - 1) is more than strictly
// needed for interest; it also absorbs a small repayment or withdrawal by the
// user before inclusion. It does not cover a price update, nor a close factor
// that halves: the health factor rising across 0.95 (collateral yield above
// the borrow rate) or, in v3.3+, a position growing past 2000 base.
//
// Only when nothing can be liquidated strictly inside the caps (a collateral
// balance of a few wei, or a v3.3+ position small enough that the dust rule
// forbids a partial liquidation) is the whole collateral balance planned:
// debt_to_cover is then the least amount that still exhausts the balance
// grown by 1 ppm, the pool seizes the balance at inclusion and repays the debt
// it is worth, both of which may exceed the prediction by accrued interest
// (`reason` says so). Liquidations that can only repay the whole debt (v3.3+
// with debt below the dust floor but more collateral) would need
// debt_to_cover = max and are not planned.
//
// Profit, conservatively, in the base currency at the prices the pool uses
// (the eMode price source for eMode assets in EarlyV3): collateral received
// (after the protocol fee) valued rounded down, minus the repaid debt, the
// flash premium and gas, each valued rounded up.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/u256.hpp"
#include "margin/aave_v3.hpp"
#include "strategies/gas_cost.hpp"

namespace keeper::strategies {

struct AaveFunding {
    std::map<unsigned, U256> debt_balances;  // reserve id -> debt-asset units the liquidator holds (and has approved)
    bool flash_loan = false;                 // fund through Pool.flashLoanSimple instead: no balance cap, premium paid
    std::uint16_t flash_premium_bps = 9;     // FLASHLOAN_PREMIUM_TOTAL (Pool.FLASHLOAN_PREMIUM_TOTAL())
};

struct AaveProfitRules {
    U256 min_profit_base;                    // base-currency units; 0 = anything that pays
    std::optional<U256> max_debt_spend_base;  // caps the repaid debt plus the flash premium, valued rounded up
    bool receive_a_token = false;            // passed through to the call; no effect on the amounts
};

struct AaveLiquidationPlan {
    aave::LiquidationCall call;     // collateral_reserve_id, debt_reserve_id, debt_to_cover (an exact amount, never max)
    bool receive_a_token = false;   // = AaveProfitRules::receive_a_token
    aave::LiquidationQuote quote;   // aave::quote_liquidation(rules, account, call): what the pool will move
    U256 collateral_value_base;     // quote.amounts.collateral_to_liquidator at the collateral price (floor)
    U256 repaid_value_base;         // quote.amounts.debt_to_repay at the debt price (ceil)
    // Debt units: percentMul(call.debt_to_cover, premium) when flash-funded, else 0.
    // The flash loan borrows call.debt_to_cover, which equals
    // quote.amounts.debt_to_repay except in the whole-collateral case.
    U256 flash_premium;
    U256 flash_premium_base;        // flash_premium at the debt price (ceil)
    U256 gas_cost_base;             // gas_cost_in_loan with native_price_1e36 in base units per wei x 1e36
    bool gas_priced = false;        // false: profit judged before gas
    U256 profit_base;               // collateral value - repaid - premium - gas when positive, else 0
    U256 loss_base;                 // the opposite, else 0
    bool flash_loan = false;
    bool exact = true;              // false only in the whole-collateral case (see above)
    bool worth_sending = false;     // profit_base > 0 && profit_base >= min_profit_base
    std::string reason;             // the pair, what limited the size, then why it is or is not worth sending
};

// amount * price / 10^decimals, rounded down or up (512-bit intermediate).
// Fails when decimals > 77 or the value does not fit 256 bits.
Result<U256> value_in_base(const U256& amount, const U256& price, std::uint8_t decimals, bool round_up);

// x - (x / 1e6 + 1): the largest amount kept 1 ppm (and at least 1 unit)
// strictly below x; 0 when x is too small to leave any.
U256 one_ppm_inside(const U256& x);

// The best liquidation over every pair, or the contract's reason when the
// account is healthy (HEALTH_FACTOR_NOT_BELOW_THRESHOLD), or why no pair can
// be planned (each pair's reason). A plan that loses is still returned, with
// worth_sending = false, so the caller can log why it skipped.
Result<AaveLiquidationPlan> plan_aave_liquidation(aave::PoolRules rules, const aave::UserAccount& account,
                                                  const AaveFunding& funding, const AaveProfitRules& rules_profit,
                                                  const std::optional<GasCost>& gas);

}  // namespace keeper::strategies

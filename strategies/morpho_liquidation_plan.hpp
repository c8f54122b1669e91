#pragma once
// How much of an unhealthy Morpho Blue position to liquidate, and whether it
// pays. Pure: the caller passes the market already accrued to the time the
// transaction will execute, the oracle price, the liquidator's loan-token
// balance and the gas terms; the plan is computed with margin/morpho_blue's
// exact contract arithmetic, so `expected` is what Morpho.liquidate returns.
//
// The request is always in seized-assets mode (repaid_shares = 0). In that
// mode the contract takes the seized amount as given and derives
//   repaidShares = toSharesUp(wDivUp(mulDivUp(seized, price, 1e36), LIF)),
// i.e. assets * (totalBorrowShares + 1e6) / (totalBorrowAssets + 1), rounded up.
// Interest accrued between our quote and inclusion raises totalBorrowAssets
// and leaves totalBorrowShares alone, so the share price only rises and the
// repaid shares can only fall: a request whose shares fit the position now
// still fits later (no "repaid shares exceed the borrow" revert), and the
// collateral it seizes is exact whatever the block timestamp. In repaid-shares
// mode the seized amount would instead grow with accrued interest and could
// overrun the collateral. What can move is repaidAssets = toAssetsUp(shares):
// its two upward roundings bound it by the quoted value plus one share's worth
// of assets (+1 wei while a share is worth less than an asset, as with the
// 1e6 virtual shares), so a plan sized to the exact balance can come up a wei
// short after interest: keep a wei of headroom in the balance if that matters.
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/u256.hpp"
#include "margin/morpho_blue.hpp"
#include "strategies/gas_cost.hpp"

namespace keeper::strategies {

struct MorphoLiquidationInputs {
    morpho::MarketParams params;
    morpho::MarketState market;      // already accrued to the time the transaction will execute
    morpho::Position position;
    U256 price_1e36;
    U256 liquidator_loan_balance;    // loan-token units the liquidator holds (and has approved)
};

struct ProfitRules {
    U256 min_profit_loan;                   // loan-token units; 0 = anything that pays
    std::optional<U256> max_loan_spend;     // loan-token units per liquidation
};

struct LiquidationPlan {
    morpho::LiquidationRequest request;     // ALWAYS seized-assets mode (repaid_shares = 0)
    morpho::Liquidation expected;           // morpho::liquidate(...) of that request on the inputs
    U256 seized_value_loan;                 // mulDivDown(seized, price, 1e36)
    U256 repaid_assets;                     // = expected.repaid_assets
    U256 gas_cost_loan;                     // mulDivUp(gas_limit * max_fee, native_price, 1e36); 0 when not priced
    bool gas_priced = false;                // false: profit judged before gas (the daemon warns once at start-up)
    U256 profit_loan;                       // seized_value - repaid - gas_cost when positive, else 0
    U256 loss_loan;                         // the opposite, else 0
    bool worth_sending = false;             // profit_loan > 0 && profit_loan >= min_profit (a 0 profit is not worth gas)
    std::string reason;                     // what limited the size, then why it is or is not worth sending
};

// The largest seized amount whose liquidation does not revert and whose
// repaid assets fit min(liquidator_loan_balance, max_loan_spend): profit grows
// with size since the incentive factor is above 1. Seizing all the collateral
// realises the remaining debt as bad debt; the liquidator still pays only
// repaid_assets. Fails when the position is healthy, has no debt or no
// collateral, or not even one unit of collateral fits the spend cap.
Result<LiquidationPlan> plan_morpho_liquidation(const MorphoLiquidationInputs& in, const ProfitRules& rules,
                                                const std::optional<GasCost>& gas);

}  // namespace keeper::strategies

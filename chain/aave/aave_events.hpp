#pragma once
// The Aave V3 (@aave/core-v3 1.19.3) events the keeper follows, as typed
// values: the Pool's (IPool.sol) and the aToken's BalanceTransfer
// (IAToken.sol). Field names follow the Solidity parameters. They are
// wire-level facts (what a log said); the tracker re-reads the accounts an
// event touches rather than replaying balances from amounts, because Aave's
// scaled balances round against the index in ways a log does not carry.
#include <cstdint>
#include <variant>
#include <vector>

#include "core/address.hpp"
#include "core/u256.hpp"

namespace keeper::chain::aave_v3 {

struct SupplyEvent {
    Address reserve, user, on_behalf_of;
    U256 amount;
    std::uint16_t referral = 0;
    friend bool operator==(const SupplyEvent&, const SupplyEvent&) = default;
};
// Pool.mintUnbacked (portals, bridges): aTokens minted to on_behalf_of
// before the underlying arrives, the Supply of a bridged deposit.
struct MintUnbackedEvent {
    Address reserve, user, on_behalf_of;
    U256 amount;
    std::uint16_t referral = 0;
    friend bool operator==(const MintUnbackedEvent&, const MintUnbackedEvent&) = default;
};
struct WithdrawEvent {
    Address reserve, user, to;
    U256 amount;
    friend bool operator==(const WithdrawEvent&, const WithdrawEvent&) = default;
};
struct BorrowEvent {
    Address reserve, user, on_behalf_of;
    U256 amount;
    std::uint8_t interest_rate_mode = 0;  // DataTypes.InterestRateMode: 1 stable, 2 variable
    U256 borrow_rate_ray;
    std::uint16_t referral = 0;
    friend bool operator==(const BorrowEvent&, const BorrowEvent&) = default;
};
struct RepayEvent {
    Address reserve, user, repayer;  // user: whose debt is repaid (onBehalfOf)
    U256 amount;
    bool use_a_tokens = false;  // the repayer's aTokens were burned
    friend bool operator==(const RepayEvent&, const RepayEvent&) = default;
};
struct LiquidationCallEvent {
    Address collateral_asset, debt_asset, user;
    U256 debt_to_cover, liquidated_collateral_amount;
    Address liquidator;
    bool receive_a_token = false;  // the liquidator received aTokens (and may now use them as collateral)
    friend bool operator==(const LiquidationCallEvent&, const LiquidationCallEvent&) = default;
};
struct ReserveDataUpdatedEvent {
    Address reserve;
    U256 liquidity_rate, stable_borrow_rate, variable_borrow_rate, liquidity_index, variable_borrow_index;  // ray
    friend bool operator==(const ReserveDataUpdatedEvent&, const ReserveDataUpdatedEvent&) = default;
};
struct CollateralEnabledEvent {  // ReserveUsedAsCollateralEnabled
    Address reserve, user;
    friend bool operator==(const CollateralEnabledEvent&, const CollateralEnabledEvent&) = default;
};
struct CollateralDisabledEvent {  // ReserveUsedAsCollateralDisabled
    Address reserve, user;
    friend bool operator==(const CollateralDisabledEvent&, const CollateralDisabledEvent&) = default;
};
struct UserEModeSetEvent {
    Address user;
    std::uint8_t category_id = 0;
    friend bool operator==(const UserEModeSetEvent&, const UserEModeSetEvent&) = default;
};
struct BalanceTransferEvent {
    Address token;  // the log's address: the aToken
    Address from, to;
    U256 value;  // scaled (divided by index), as AToken._transfer emits it
    U256 index;  // the reserve's liquidity index at the transfer
    friend bool operator==(const BalanceTransferEvent&, const BalanceTransferEvent&) = default;
};
struct SwapBorrowRateModeEvent {
    Address reserve, user;
    std::uint8_t mode = 0;  // the mode swapped to: 1 stable, 2 variable
    friend bool operator==(const SwapBorrowRateModeEvent&, const SwapBorrowRateModeEvent&) = default;
};
struct RebalanceStableBorrowRateEvent {
    Address reserve, user;
    friend bool operator==(const RebalanceStableBorrowRateEvent&, const RebalanceStableBorrowRateEvent&) = default;
};

using Event = std::variant<SupplyEvent, WithdrawEvent, BorrowEvent, RepayEvent, LiquidationCallEvent,
                           ReserveDataUpdatedEvent, CollateralEnabledEvent, CollateralDisabledEvent,
                           UserEModeSetEvent, BalanceTransferEvent, SwapBorrowRateModeEvent,
                           RebalanceStableBorrowRateEvent, MintUnbackedEvent>;

// The accounts whose configuration, eMode or balances the event changes, for
// the tracker to re-read; each once, in the order listed:
//   Supply, MintUnbacked -> on_behalf_of; Withdraw -> user; Borrow -> on_behalf_of;
//   Repay -> user, and the repayer when use_a_tokens (its aTokens burned);
//   LiquidationCall -> user, and the liquidator when receive_a_token;
//   BalanceTransfer -> from, to; collateral, eMode, swap and rebalance
//   events -> user; ReserveDataUpdated -> none (it moves every holder's
//   balance through the indexes, not one account's).
std::vector<Address> touched_accounts(const Event& event);

}  // namespace keeper::chain::aave_v3

#pragma once
// Aave V3 (@aave/core-v3 1.19.3) logs into aave_v3::Event values. Logs are
// untrusted bytes from a node: a followed event whose topics or data do not
// have the layout IPool.sol / IAToken.sol give it (topic count, data length,
// padding of narrow values, an InterestRateMode outside the enum) is an
// Error naming the event, never a guess.
#include <optional>
#include <vector>

#include "chain/aave/aave_events.hpp"
#include "chain/rpc_types.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"

namespace keeper::chain::aave_v3 {

// topic0 of every Pool event aave_v3::Event has: Supply, Withdraw, Borrow,
// Repay, LiquidationCall, ReserveDataUpdated, ReserveUsedAsCollateralEnabled,
// ReserveUsedAsCollateralDisabled, UserEModeSet, SwapBorrowRateMode,
// RebalanceStableBorrowRate, MintUnbacked, in that order: an eth_getLogs
// filter on the Pool.
const std::vector<Bytes32>& pool_topics();

// topic0 of the aToken's BalanceTransfer(from, to, value, index): a filter on
// the reserves' aToken addresses.
const Bytes32& balance_transfer_topic();

// nullopt: a log of an event we do not follow (FlashLoan, BackUnbacked,
// IsolationModeTotalDebtUpdated, the tokens' Mint/Burn/Transfer, ..., or no
// topics at all). The log's address is not checked (filter by the Pool and
// the aTokens before calling); BalanceTransferEvent::token is that address.
Result<std::optional<Event>> decode_event(const Log& log);

}  // namespace keeper::chain::aave_v3

#pragma once
// Morpho Blue 1.0.0 logs (EventsLib) into morpho::Event values. Logs are
// untrusted bytes from a node: a followed event whose topics or data do not
// have the layout EventsLib gives it is an Error naming the event, never a
// guess.
#include <optional>
#include <vector>

#include "chain/rpc_types.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "margin/morpho_events.hpp"

namespace keeper::chain::morpho_blue {

// topic0 of every event morpho::Event has (CreateMarket, Supply, Withdraw,
// Borrow, Repay, SupplyCollateral, WithdrawCollateral, Liquidate,
// AccrueInterest, SetFee), in that order: an eth_getLogs filter's topic0 set.
const std::vector<Bytes32>& followed_topics();

// nullopt: a log of an event we do not follow (SetOwner, EnableIrm,
// FlashLoan, SetAuthorization, ..., or no topics at all). The log's address
// is not checked: filter by the Morpho contract before calling.
Result<std::optional<morpho::Event>> decode_event(const Log& log);

}  // namespace keeper::chain::morpho_blue

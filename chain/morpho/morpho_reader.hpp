#pragma once
// What the keeper re-reads for each Morpho market every block: the market's
// totals, the oracle price and the IRM's borrow rate, in two JSON-RPC batch
// requests pinned to one block number (so every answer is from one state).
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/rpc_error.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "margin/morpho_blue.hpp"
#include "margin/morpho_events.hpp"

namespace keeper::chain::morpho_blue {

struct MarketReading {
    morpho::MarketState state;  // as stored, not accrued to the block's timestamp
    U256 price_1e36;
    U256 borrow_rate_wad;  // IIrm.borrowRateView(params, state) per second; 0 when irm is the zero address
};

struct ReadOptions {
    // A node caps the calls in one batch request; larger reads are split
    // into several batches (each still pinned to the same block).
    std::size_t max_calls_per_batch = 256;  // >= 1
};

// For every market: market(id) and the oracle's price() in one batch, then
// borrowRateView(params, state) for markets with a non-zero irm in a second.
// Entry i is markets[i]'s reading or the reason it failed (an oracle that
// reverts, a market never created, malformed return data), naming the market
// and the call; one market's failure never affects another's. The outer error
// is a batch that failed as a whole (transport, a node refusing the batch).
RpcResult<std::vector<Result<MarketReading>>> read_markets(
    JsonRpcClient& client, const Address& morpho,
    std::span<const std::pair<morpho::MarketId, morpho::MarketParams>> markets, std::uint64_t block,
    const ReadOptions& options = {});
// The same at any block id ("pending" for pending mode).
RpcResult<std::vector<Result<MarketReading>>> read_markets(
    JsonRpcClient& client, const Address& morpho,
    std::span<const std::pair<morpho::MarketId, morpho::MarketParams>> markets, const BlockId& at,
    const ReadOptions& options = {});

}  // namespace keeper::chain::morpho_blue

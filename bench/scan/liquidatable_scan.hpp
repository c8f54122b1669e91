#pragma once
// Two ways to find every liquidatable Morpho Blue position in one block, and
// the initial sync the first one needs.
//
// Local engine (what the daemon does each new head): the book of positions is
// kept from events; per head it fetches the head's Morpho logs, re-reads each
// market at the head (read_markets: market(id) + oracle price() in one batch,
// the IRM's rate in a second), accrues interest to the head's timestamp and
// judges every position with _isHealthy (keeper::protocols::morpho_blue::evaluate_positions).
//
// Chain polling (what many bots do): for every known borrower ask the chain
// for position(id, user), market(id) and the oracle's price() through
// Multicall3 aggregate3, then apply _isHealthy to the stored market as read,
// without accruing interest.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/rpc_types.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "protocols/morpho_blue/morpho_evaluation.hpp"
#include "margin/morpho_book.hpp"

namespace keeper::bench {

struct Scan {
    std::size_t positions = 0;                      // positions with debt that were judged
    std::vector<morpho::PositionKey> liquidatable;  // sorted
};

struct SyncReport {
    std::uint64_t logs = 0;
    std::uint64_t events = 0;  // logs of followed events, applied to the book
    std::uint64_t synced_through = 0;
};

// eth_getLogs over [from, to] in the adaptive ranges of the daemon's
// historical sync (chain::sync_logs), each Morpho log decoded and applied.
Result<SyncReport> sync_book(chain::JsonRpcClient& client, const Address& morpho, std::uint64_t from, std::uint64_t to,
                             morpho::MorphoBook& book);

// The local engine's I/O for one head: the head's Morpho logs (those of
// blocks the book already holds, <= synced_through, are fetched but not
// applied again) and every market read at the head, accrued to its timestamp.
Result<std::vector<protocols::morpho_blue::MarketAtBlock>> read_head(chain::JsonRpcClient& client, const Address& morpho,
                                                  morpho::MorphoBook& book, std::uint64_t& synced_through,
                                                  const chain::BlockHeader& head);
// Its computation: every position with debt judged, the liquidatable kept.
Result<Scan> find_liquidatable(const morpho::MorphoBook& book, std::span<const protocols::morpho_blue::MarketAtBlock> markets);
// Both: one head of the local engine.
Result<Scan> scan_local_engine(chain::JsonRpcClient& client, const Address& morpho, morpho::MorphoBook& book,
                               std::uint64_t& synced_through, const chain::BlockHeader& head);

struct PollTarget {
    Address morpho;
    Address aggregator;  // Multicall3
    morpho::MarketId market;
    morpho::MarketParams params;
};

// One pass of the poller at `block`: 3 sub-calls per borrower,
// `borrowers_per_eth_call` borrowers per aggregate3 eth_call, one eth_call
// per HTTP request, in turn.
Result<Scan> scan_by_polling(chain::JsonRpcClient& client, const PollTarget& target, std::span<const Address> borrowers,
                             std::uint64_t block, std::size_t borrowers_per_eth_call);

}  // namespace keeper::bench

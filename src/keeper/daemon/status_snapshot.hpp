#pragma once
// The status page's snapshot (metrics::KeeperStatus) of one round, built by a
// pure function from what the round already has: the protocols' snapshots
// (rows with debt, each judged as the contract would), the executor's action
// records, the journal's work in flight. publish_round_status() is the one
// call the daemon's loop makes after a good round.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/u256.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/metrics/keeper_status.hpp"
#include "protocols/action.hpp"

namespace keeper::app {

class DaemonOperations;

struct StatusInputs {
    std::uint64_t now_unix = 0;  // time comes in as a parameter
    std::uint64_t chain_id = 0;
    std::string mode;  // "live" | "dry-run"
    std::uint64_t head_block = 0;
    std::uint64_t head_timestamp = 0;
    std::uint64_t newest_head_seen = 0;                // by the head source; 0: not known (lag 0 blocks)
    std::span<const ProtocolPositions> positions;      // protocols read this round
    std::span<const std::string> failed_protocols;     // keys not followed or read this round
    std::span<const protocols::ActionRecord> records;  // oldest first
    std::span<const SentWork> in_flight;
    std::vector<metrics::OracleFeedStatus> oracles;  // the [[feeds]] with a price (oracle_statuses)
    metrics::PausedStatus paused;
    std::size_t max_accounts = 50;
    std::size_t max_recent_actions = 20;
};

// 1 - 1/health in wad, rounded down: the fall of every collateral price
// together (debt unchanged) that brings health to 1.0. Health 1.25 -> 0.2e18,
// 2.0 -> 0.5e18; at or below 1.0 -> 0.
U256 distance_to_liquidation_wad(const U256& health_wad);

// Accounts of every protocol merged, riskiest first (stable: equal health
// keeps each protocol's order, as `scan` does), at most max_accounts; actions
// newest first, at most max_recent_actions.
metrics::KeeperStatus build_status(const StatusInputs& in);

// The round's [[feeds]] with a price, for the status page: the feed named as
// the metric names it, its observation time and age at the head.
std::vector<metrics::OracleFeedStatus> oracle_statuses(std::span<const FeedStatus> feeds);
// The assets whose feeds are halted (their actions are held back), checksummed.
std::vector<std::string> halted_assets(std::span<const FeedStatus> feeds);

// After a good round: builds the round's status and hands it to the status
// board (nothing without [metrics]). `paused`: the action guard's state
// after the round (kill switch, budget, breaker).
void publish_round_status(DaemonOperations& operations, const Keeper& keeper, const TickReport& report,
                          std::string mode, metrics::PausedStatus paused);

}  // namespace keeper::app

#pragma once
// What the status page shows: one KeeperStatus per round, plain data the
// round loop builds (src/keeper/daemon/status_snapshot.hpp) and publishes
// into a StatusBoard, which the metrics listener reads to answer
// GET /status.json. Field names here are the JSON's (README, "Status page"):
// extend them, never rename.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace keeper::metrics {

struct ProtocolStatus {
    std::string protocol;       // "morpho-blue"
    std::string key;            // "morpho-blue@0x…"
    bool ok = true;             // followed and read this round
    std::uint64_t block = 0;    // of its snapshot (0 when not read)
    std::size_t positions = 0;  // with debt
    std::size_t liquidatable = 0;
    std::size_t read_errors = 0;  // markets or reserves left out this round
};

struct AccountStatus {
    std::string protocol;
    std::string key;
    std::string where;       // market id, pool address or vault id (hex)
    std::string account;     // EIP-55
    std::string health;      // scan --json's `health`: decimal, 1.0 is the threshold
    std::string health_wad;  // integer string
    bool liquidatable = false;
    // How far every collateral price together may fall (debt unchanged)
    // before health reaches 1.0: 1 - 1/health, rounded down, as a decimal
    // fraction ("0.2" is 20%); "0.0" at or below the threshold.
    std::string distance_to_liquidation;
};

struct InFlightStatus {
    std::int64_t journal_id = 0;
    std::string work_key;
    std::string protocol;  // empty for the executor's own approvals
    std::string kind;      // "liquidate", "bid", "approve", ...
    std::string account;   // EIP-55; empty when the work has no borrower
    std::uint64_t nonce = 0;
    std::string tx_hash;  // the newest attempt's (0x hex)
    std::size_t attempts = 0;
    std::uint64_t sent_at_block = 0;  // of the newest attempt
};

struct ActionStatus {
    std::string protocol;
    std::string kind;
    std::string work_key;
    std::string account;  // EIP-55
    std::string status;   // "simulated" | "sent" | "mined" | "reverted"
    std::optional<std::string> tx_hash;
    std::optional<std::uint64_t> block;
    std::string simulation;        // dry-run only: "ok", "reverted: …"
    std::string predicted_profit;  // integer string, in profit_unit
    std::string profit_unit;
};

struct OracleFeedStatus {
    std::string feed;
    std::uint64_t updated_at = 0;  // unix seconds
    std::uint64_t age_seconds = 0;
};

struct PausedStatus {
    bool actions = false;  // no new action is sent
    std::string reason;
    std::vector<std::string> assets;  // assets whose actions are held back
};

struct KeeperStatus {
    std::uint64_t generated_at = 0;  // unix seconds, when the round built it
    std::uint64_t chain_id = 0;
    std::string mode;              // "live" | "dry-run" | "scan"
    std::uint64_t head_block = 0;  // the round's head
    std::uint64_t head_timestamp = 0;
    std::uint64_t head_lag_seconds = 0;  // generated_at - head_timestamp (0 when the head is from the future)
    std::uint64_t head_lag_blocks = 0;   // newest head seen - head_block
    std::vector<ProtocolStatus> protocols;
    std::size_t accounts_total = 0;       // positions with debt, every protocol
    std::vector<AccountStatus> accounts;  // the riskiest, riskiest first
    std::vector<InFlightStatus> in_flight;
    std::vector<ActionStatus> recent_actions;  // newest first
    std::vector<OracleFeedStatus> oracles;
    PausedStatus paused;
};

nlohmann::json to_json(const KeeperStatus& status);

// The newest KeeperStatus, for the listener's thread: publish() swaps a
// pointer under a mutex, latest() copies it; rendering happens outside the
// lock, so a slow client never holds up the round.
class StatusBoard {
public:
    void publish(std::shared_ptr<const KeeperStatus> status);
    std::shared_ptr<const KeeperStatus> latest() const;  // null before the first round

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const KeeperStatus> latest_;
};

}  // namespace keeper::metrics

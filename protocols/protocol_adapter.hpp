#pragma once
// One protocol, as the keeper sees it: the seam every protocol plugs into
// (issue #17). The shape is artemis's collector -> strategy -> executor
// (crates/artemis-core/src/types.rs) with our rule that the strategy does no
// I/O:
//
//   collector  log_filter() + apply()/rollback() on the ONE log follower the
//              keeper runs for every adapter (one eth_getLogs per head with
//              every adapter's addresses and topics), then refresh(head)
//              reads the protocol's state at the head the round uses
//   model      snapshot(): every position with debt as the contract would
//              judge it in that block (exact integer model), immutable
//   strategy   decide(snapshot, input) -> Decisions: PURE (no client, no
//              clock), so every decision replays in a unit test
//   executor   one for every protocol (src/keeper/daemon/action_executor):
//              balances, allowances, simulation, gas, fees, journal, sign,
//              send, shepherd; settle() reads the outcome back out of a
//              receipt, also pure
//
// A protocol is one folder protocols/<name>/ with one class deriving from
// ProtocolAdapter, and one registration line in protocols/registry.cpp.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/block_tracker.hpp"
#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "core/result.hpp"
#include "margin/stress_book.hpp"
#include "protocols/action.hpp"
#include "protocols/protocol_config.hpp"

namespace keeper::state {
class StateStore;
}

namespace keeper::protocols {

// One position with debt, in the shape every consumer shares: scan (text and
// --json), alerts, the round's counts.
struct PositionRow {
    std::string protocol;   // "morpho-blue" (scan's `protocol`)
    Address account;
    U256 health_wad;        // 1e18 is the liquidation threshold; riskiest first sorts on it
    bool liquidatable = false;  // exactly the contract's own rule in the snapshot's block
    std::string where;      // market id or pool address, hex: alerts' and the text scan's second column
    std::string collateral_text;  // the text scan's columns ("123" or "456 base")
    std::string debt_text;
};

// One protocol as the contract would judge it in one block. Adapters derive
// their own snapshot type holding what decide() needs (markets accrued to the
// block, reserves, balances); the base is what the keeper reads.
struct Snapshot {
    virtual ~Snapshot() = default;
    std::uint64_t block = 0;
    std::vector<PositionRow> rows;              // with debt, riskiest first
    // Positions with debt left out of `rows`: `run`'s incremental rounds
    // list every row under the screen's watch line (so every liquidatable
    // and alerting one), the status page's first rows and what they judged
    // this round, and only count the rest (healthy, carried from an earlier
    // judgement): copying 1M rows every head cost 1.9 s. scan lists all (0).
    std::size_t rows_left_out = 0;
    std::size_t position_count() const { return rows.size() + rows_left_out; }
    // Parts left out: a market or reserve that could not be read ("market
    // 0x…" -> why) and positions whose evaluation failed. Keys are stable so
    // the keeper logs each once per change and backs off.
    std::vector<std::pair<std::string, std::string>> read_errors;
    std::vector<std::string> position_errors;

    // What building this snapshot cost: positions judged exactly (the
    // contract's integer arithmetic) and, in `run`, what the float screen
    // did (README "How a round works"). scan judges every
    // position: exact_evaluations == rows + position_errors.
    struct EngineWork {
        std::size_t exact_evaluations = 0;
        std::size_t screened = 0;  // float re-screens of accounts (run only)
        std::size_t flagged = 0;   // below the screen's watch line after this round
        std::size_t named = 0;     // positions this round's events (or a rollback) changed
        bool audit = false;        // every position judged exactly this round
        // Audit rounds: positions exactly liquidatable that the screen had
        // not flagged. Always 0 unless the screen is wrong (a bug).
        std::size_t missed_by_screen = 0;
    } work;

    // The `scan --json` object of rows[row]: every field DESIGN.md's
    // "Interfaces" names for its protocol (amounts as integer strings),
    // `block` included. Built on demand: a round judges every position but
    // only `scan --json` prints them, and building 10k JSON objects per head
    // cost more than judging the positions. The base gives the fields every
    // protocol shares; adapters override with theirs.
    virtual nlohmann::json scan_json(std::size_t row) const;

    // Adds its positions, with the exact parameters its model needs, to the
    // book `stress` revalues (issue #20; margin/stress_engine.hpp). Returns
    // false when the protocol has no stress model yet: `stress` names it.
    virtual bool add_to_stress_book(margin::stress::StressBook& /*book*/, const std::string& /*protocol_key*/) const {
        return false;
    }
};

// What an adapter gets to do its I/O with.
struct AdapterServices {
    chain::JsonRpcClient& client;
    state::StateStore* store = nullptr;  // null: nothing persisted (scan)
    std::function<void(const std::string&)> info;
    std::function<void(const std::string&)> warn;
    std::function<bool()> interrupted;   // SIGTERM during a long sync
    bool acts = false;                   // run (live or dry-run), not scan: read what decisions need
    KeeperSettings settings;             // operator-wide: mode, gas margin, [strategy]
};

class ProtocolAdapter {
public:
    virtual ~ProtocolAdapter() = default;

    virtual std::string_view kind() const = 0;    // the [[protocols]] kind and scan's `protocol`
    // Names this deployment in state, logs and journal ownership:
    // "morpho-blue@0x<address>", "aave-v3@0x<addresses provider>".
    virtual const std::string& key() const = 0;

    // ---- collector ----
    // Resolves the protocol's contracts, checks what it supports (refusing,
    // never guessing), binds and restores saved state while its cursor is
    // still canonical. Returns the last block whose events are already
    // applied; nullopt: none, the keeper syncs from first_block().
    virtual Result<std::optional<chain::BlockRef>> open(const chain::BlockHeader& head) = 0;
    virtual std::uint64_t first_block() const = 0;  // start_block
    // Addresses and topic0s it follows. May grow after refresh() (an Aave
    // reserve listed since: its aToken); the keeper compares and re-creates
    // its follower when any adapter's filter changed.
    virtual chain::LogFilter log_filter() const = 0;
    // Logs of its filter in chain order, through block `through` (one block
    // or the end of a sync range): applied, then committed to the state store
    // as "synced through `through`" in one transaction.
    virtual Result<void> apply(std::span<const chain::Log> logs, const chain::BlockRef& through) = 0;
    // A reorg removed every block after `tip`: forget their events, commit
    // `tip` as the cursor.
    virtual Result<void> rollback(const chain::BlockRef& tip) = 0;
    virtual std::uint64_t synced_through() const = 0;
    // Reads the protocol's state at `head` (the head the round uses) and
    // builds the snapshot. One part that fails (a market whose oracle
    // reverts) is left out and named in the snapshot's read_errors; an error
    // here means the whole protocol could not be read this round.
    virtual Result<void> refresh(const chain::BlockHeader& head) = 0;

    // Pending mode ([[feeds]] pending_transmissions): the snapshot as the
    // contract would judge the positions known at `head` in the node's
    // pending block (state read at BlockId::pending(), which holds an oracle
    // update not mined yet). Does not replace snapshot(). nullptr: this
    // protocol cannot be judged at pending state (the default).
    virtual Result<std::shared_ptr<const Snapshot>> pending_snapshot(const chain::BlockHeader& /*head*/) {
        return std::shared_ptr<const Snapshot>();
    }

    // ---- model ----
    virtual std::shared_ptr<const Snapshot> snapshot() const = 0;  // of the last refresh

    // ---- strategy: pure ----
    // Tokens whose keeper balance decide() wants for this snapshot (the
    // funding of the liquidatable positions that are not busy).
    virtual std::vector<FundingToken> funding_tokens(const Snapshot& snapshot, const DecisionInput& input) const = 0;
    virtual Decisions decide(const Snapshot& snapshot, const DecisionInput& input) const = 0;

    // ---- executor feedback ----
    // Journaled work of this deployment, by its work key and the address the
    // transaction went to (approvals are the executor's own).
    virtual bool owns(std::string_view work_key, const Address& to) const = 0;
    // What the protocol's event in a mined receipt of `action`'s work says
    // moved. Pure.
    virtual Settlement settle(const Prediction& predicted, const chain::Receipt& receipt) const = 0;
};

}  // namespace keeper::protocols

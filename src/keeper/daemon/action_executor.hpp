#pragma once
// The one executor every protocol's actions go through (issue #17): it reads
// what a decision needs (the keeper's token balances, with backoff per token),
// and for each action checks and makes allowances (one journaled approval of
// the maximum per token and spender), simulates (eth_estimateGas; eth_call in
// dry-run), sets the gas limit by the action's rule, prices gas with this
// round's fees, judges profit after gas, and logs (dry-run) or journals,
// signs and sends through the JournaledSender, whose TxShepherd carries it to
// a final outcome. Final receipts become ActionRecords, with what the
// protocol's event says moved (the adapter's settle()) and the keeper's
// balance differences across the block.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/tx_shepherd.hpp"
#include "keeper/daemon/action_guard.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/daemon/work_errors.hpp"
#include "protocols/action.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::app {

// What the executor remembers per piece of work, between rounds: pruned as
// work becomes final, so its size follows the work in progress, not the
// daemon's age. For tests and diagnostics.
struct LiquidatorMemory {
    std::size_t settled = 0;          // blocks of final receipts the state has not applied yet
    std::size_t reported = 0;         // last report per decided position (logged once per change)
    std::size_t journal_records = 0;  // in-flight journal entries -> the record their outcome fills
    std::size_t failures = 0;         // keys skipped with backoff after an error
};

// One protocol's share of a round.
struct ExecutionCounts {
    std::size_t declined = 0;       // liquidatable, not worth sending
    std::size_t awaiting_sync = 0;  // landed in a block the protocol's state has not applied yet
    std::size_t waiting = 0;        // actions timed for a later block
};

// What became of an action, for the daemon's counters and alerts (the
// executor itself counts nothing). `reason` is a short fixed label for
// declined actions: decision (the adapter's), unprofitable_after_gas,
// simulation_reverted, paused, budget, oracle_stale,
// oracle_deviating, oracle_no_price; the text says it in words.
struct ActionEvent {
    enum class Outcome { sent, confirmed, reverted, declined };
    Outcome outcome = Outcome::sent;
    std::string protocol;            // "morpho-blue"
    std::string reason;              // declined only
    std::string text;                // declined: why, in words
    std::string subject;             // how logs name the work
    protocols::ActionRecord record;  // sent: the prediction and tx; confirmed/reverted: with the receipt's figures
    PlannedSpend spend;              // sent: the most it may cost
    U256 gas_cost_wei;               // confirmed/reverted: gas used x effective gas price
};

class ActionExecutor {
public:
    using Log = std::function<void(const std::string&)>;
    using EventSink = std::function<void(const ActionEvent&)>;
    // Asked before each new action is sent (or simulated in a dry run): a
    // Hold keeps it back this round (paused, budget).
    using Gate = std::function<std::optional<Hold>(const PlannedSpend&)>;
    // Asked first, about the action itself: a Hold keeps it back while what
    // it trades cannot be trusted (a halted price feed of its collateral or debt).
    using ActionGate = std::function<std::optional<Hold>(const protocols::Action&)>;
    struct Settings {
        bool dry_run = false;
        chain::ShepherdPolicy shepherd;
    };
    // `sender` is null in dry-run; `keeper` is the address that sends.
    ActionExecutor(chain::JsonRpcClient& client, Address keeper, Settings settings, JournaledSender* sender, Log info,
                   Log warn);

    void start_round();
    void set_events(EventSink events) { events_ = std::move(events); }
    void set_gate(Gate gate) { gate_ = std::move(gate); }
    void set_action_gate(ActionGate gate) { action_gate_ = std::move(gate); }
    // A backrun of a pending oracle update (Keeper::tick_pending) while set:
    // actions are simulated at the node's pending block, which holds the
    // update, and their tip never exceeds `max_priority_fee_wei`, the
    // update's own, so a node ordering by tip, then arrival, puts them after it.
    struct PendingBackrun {
        U256 max_priority_fee_wei;
    };
    void set_backrun(std::optional<PendingBackrun> backrun) { backrun_ = std::move(backrun); }
    // The keeper's token balances as last read (raw units, never the dry
    // run's "unlimited"): the signer-balance metric.
    const std::map<Address, U256>& balances_read() const { return balances_read_; }
    // The adapter's in-flight work is checked; final outcomes fill records.
    void check_in_flight(const protocols::ProtocolAdapter& adapter, const chain::BlockHeader& head);
    // Work keys the adapter must not decide on: open in the journal, or
    // landed in a block its state has not applied.
    std::set<std::string> busy(const protocols::ProtocolAdapter& adapter, const chain::BlockHeader& head,
                               ExecutionCounts& counts);
    // The keeper's balances of `tokens`; a token that fails (or waits out a
    // backoff after failing) is left out, its error logged once per change.
    protocols::Holdings read_holdings(const protocols::ProtocolAdapter& adapter,
                                      std::span<const protocols::FundingToken> tokens, const chain::BlockHeader& head);
    void execute(const protocols::ProtocolAdapter& adapter, const protocols::Decisions& decisions,
                 const chain::BlockHeader& head, ExecutionCounts& counts);

    // Work an error left out this round.
    std::size_t skipped_errors() const { return errors_.skipped(); }
    const std::vector<protocols::ActionRecord>& records() const { return records_; }
    LiquidatorMemory memory() const;
    // Records a final receipt of work no adapter claimed (the Keeper's unowned work).
    void finish(const protocols::ProtocolAdapter* adapter, const SentWork& work, const chain::Receipt& receipt);

private:
    void execute_one(const protocols::ProtocolAdapter& adapter, const protocols::Action& action,
                     const chain::BlockHeader& head, ExecutionCounts& counts);
    // True when every spend may be pulled; else an approval is on its way (or failed).
    bool allowances_ready(const protocols::Action& action, std::uint64_t head_block);
    const std::optional<chain::Eip1559Fees>& round_fees(const std::string& protocol_key, std::uint64_t head_block);
    // True when `text` is new for this work (it was logged).
    bool report_once(const std::string& protocol_key, const std::string& work_key, const std::string& text,
                     const Log& log);
    // True when the gate holds `action` back (logged and counted once per change).
    bool held_back(const protocols::ProtocolAdapter& adapter, const protocols::Action& action,
                   const PlannedSpend& spend);
    void declined(const std::string& protocol, const std::string& subject, const char* reason, const std::string& text);

    chain::JsonRpcClient& client_;
    Address keeper_;
    Settings settings_;
    JournaledSender* sender_;
    Log info_, warn_;
    WorkErrors errors_;
    std::optional<std::optional<chain::Eip1559Fees>> fees_;  // read at most once per round
    // protocol key -> work key -> block of its final receipt, until the protocol has applied it
    std::map<std::string, std::map<std::string, std::uint64_t>> settled_at_;
    // protocol key -> work key -> last plan or reason reported (kept while the work is decided on)
    std::map<std::string, std::map<std::string, std::string>> reported_;
    std::set<std::string> warned_unpriced_;  // protocol key + unit: profit judged before gas, warned once
    std::vector<protocols::ActionRecord> records_;
    std::map<std::int64_t, std::size_t> record_of_journal_;  // in-flight journal id -> records_ index
    // (block, token) whose balance change is already in a record: two of our
    // receipts in one block each see the whole block's change, counted once.
    std::set<std::pair<std::uint64_t, Address>> realised_counted_;
    bool first_realised(std::uint64_t block, const Address& token);
    EventSink events_;
    Gate gate_;
    std::optional<PendingBackrun> backrun_;
    ActionGate action_gate_;
    std::map<Address, U256> balances_read_;
};

}  // namespace keeper::app

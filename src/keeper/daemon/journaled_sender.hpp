#pragma once
// Sends the keeper's transactions with a journal entry written BEFORE each
// attempt is broadcast, so whatever may reach the chain is on disk first:
// after a kill -9 the restarted keeper finds every open entry, keeps
// watching its attempts (same nonce, so never a second transaction for the
// same work) and refuses new work under a key that still has one open.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chain/nonce_book.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/tx_shepherd.hpp"
#include "keeper/state/state_store.hpp"

namespace keeper::app {

struct SentWork {
    std::int64_t journal_id = 0;
    std::string work_key;
    std::string detail;  // the prediction, as journaled for the operator
    std::optional<state::JournalAction> action;  // typed: what the work is (none for approvals and old entries)
    chain::InFlightTx tx;
    state::JournalStatus journaled = state::JournalStatus::broadcast;  // as the journal has it now
    std::uint64_t checked_at = 0;  // head of the last check (0: not yet)
};

struct WorkOutcome {
    chain::TxStatus status = chain::TxStatus::pending;
    std::optional<chain::Receipt> receipt;
    bool filled = false;  // final with the receipt of our nonce fill: the work itself did not happen
    std::string note;     // what the shepherd did and why, for the log (empty: nothing to say)
};

// One entry a deep reorg reopened, or a note about the nonce sequence.
struct ReconcileNote {
    std::int64_t journal_id = 0;
    std::string text;
};

class JournaledSender {
public:
    // Rebuilds the nonce from the chain's pending count and the journal, and
    // reloads every open entry as in-flight work.
    static Result<std::unique_ptr<JournaledSender>> open(chain::JsonRpcClient& client, const chain::PrivateKey& key,
                                                         chain::ChainId chain_id, state::StateStore& store,
                                                         chain::ShepherdPolicy policy);

    const Address& sender() const { return shepherd_->sender(); }
    bool has_open(const std::string& work_key) const;
    const std::map<std::int64_t, SentWork>& in_flight() const { return in_flight_; }

    Result<std::int64_t> send(const std::string& work_key, const chain::TxIntent& intent, std::uint64_t head_block,
                              std::string detail, std::uint64_t created_block,
                              std::optional<state::JournalAction> action = std::nullopt,
                              std::optional<U256> max_priority_fee_wei = std::nullopt);
    // Checks one in-flight entry and journals what changed; a final outcome
    // (confirmed, reverted, filled, abandoned, nonce used elsewhere) closes
    // the entry.
    Result<WorkOutcome> check(std::int64_t journal_id, std::uint64_t head_block);
    // Checks every in-flight entry nobody checked at this head: work no
    // configured protocol owns any more (a config change, a key rotation)
    // is still shepherded to a final state, and its nonce never left a gap.
    std::vector<std::pair<SentWork, Result<WorkOutcome>>> check_unvisited(std::uint64_t head_block);
    // Our final entries whose receipt a reorg deeper than the confirmation
    // depth took away (the chain's count fell below their nonce and the
    // receipt is gone): reopened, and shepherded again (simulated, then
    // re-sent or filled), so their nonces never become a gap. One nonce-count
    // read per call; entries are read only when the count is below a journaled
    // final nonce.
    Result<std::vector<ReconcileNote>> reconcile();

    JournaledSender(const JournaledSender&) = delete;
    JournaledSender& operator=(const JournaledSender&) = delete;

private:
    JournaledSender(chain::JsonRpcClient& client, state::StateStore& store, chain::NonceBook nonces);
    Result<void> journal_before_broadcast(const chain::InFlightTx& tx, const chain::TxAttempt& attempt);
    void journal_refused(const chain::TxAttempt& attempt);

    chain::JsonRpcClient& client_;
    state::StateStore& store_;
    chain::NonceBook nonces_;
    std::unique_ptr<chain::TxShepherd> shepherd_;
    std::map<std::int64_t, SentWork> in_flight_;
    // Set while send()/check() runs, so the broadcast hook knows which entry
    // an attempt belongs to (0: a new entry is created from `pending_`).
    std::int64_t current_id_ = 0;
    struct Pending {
        std::string work_key;
        std::string detail;
        std::uint64_t created_block = 0;
        std::optional<state::JournalAction> action;
    } pending_;
};

}  // namespace keeper::app

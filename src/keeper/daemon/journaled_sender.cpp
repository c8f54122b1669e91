#include "keeper/daemon/journaled_sender.hpp"

#include <utility>

#include "chain/canonical_receipt.hpp"
#include "chain/signer.hpp"

namespace keeper::app {
namespace {

state::JournalAttempt to_journal(const chain::TxAttempt& attempt) {
    return {attempt.hash, attempt.fees.max_fee_per_gas_wei, attempt.fees.max_priority_fee_per_gas_wei,
            attempt.sent_at_block,
            attempt.payload == chain::AttemptPayload::nonce_fill ? state::JournalPayload::nonce_fill
                                                                 : state::JournalPayload::intent};
}

chain::TxAttempt from_journal(const state::JournalAttempt& attempt) {
    return {attempt.hash, {attempt.max_fee_per_gas_wei, attempt.max_priority_fee_per_gas_wei}, attempt.sent_at_block,
            attempt.payload == state::JournalPayload::nonce_fill ? chain::AttemptPayload::nonce_fill
                                                                 : chain::AttemptPayload::intent};
}

SentWork work_of(const state::JournalEntry& entry) {
    chain::InFlightTx tx{chain::Nonce{entry.nonce},
                         chain::TxIntent{entry.to, entry.data, entry.value_wei, chain::GasLimit{entry.gas_limit}},
                         {}};
    for (const auto& attempt : entry.attempts) tx.attempts.push_back(from_journal(attempt));
    return SentWork{entry.id, entry.work_key, entry.detail, entry.action, std::move(tx), entry.status, 0};
}

state::JournalReceipt to_journal(const chain::Receipt& receipt) {
    return {receipt.transaction_hash, receipt.block_number, receipt.success,
            receipt.gas_used.low64(), receipt.effective_gas_price};
}

}  // namespace

JournaledSender::JournaledSender(chain::JsonRpcClient& client, state::StateStore& store, chain::NonceBook nonces)
    : client_(client), store_(store), nonces_(nonces) {}

Result<std::unique_ptr<JournaledSender>> JournaledSender::open(chain::JsonRpcClient& client,
                                                               const chain::PrivateKey& key, chain::ChainId chain_id,
                                                               state::StateStore& store, chain::ShepherdPolicy policy) {
    const Address from = chain::address_of(key);
    auto pending = client.get_transaction_count(from, chain::BlockId::pending());
    if (!pending) return fail("reading the signer's nonce: " + pending.error().message);
    auto journal_nonce = store.highest_journal_nonce(from);
    if (!journal_nonce) return std::unexpected(journal_nonce.error());
    std::unique_ptr<JournaledSender> sender(
        new JournaledSender(client, store, chain::NonceBook::rebuild(*pending, *journal_nonce)));
    JournaledSender* self = sender.get();
    sender->shepherd_ = std::make_unique<chain::TxShepherd>(
        client, key, chain_id, sender->nonces_, policy,
        [self](const chain::InFlightTx& tx, const chain::TxAttempt& attempt) {
            return self->journal_before_broadcast(tx, attempt);
        },
        [self](const chain::InFlightTx&, const chain::TxAttempt& attempt) { self->journal_refused(attempt); });

    auto open_entries = store.open_journal_entries();
    if (!open_entries) return std::unexpected(open_entries.error());
    for (const auto& entry : *open_entries) {
        if (entry.from != from) continue;  // another key's work: not ours to watch
        sender->in_flight_.emplace(entry.id, work_of(entry));
    }
    return sender;
}

bool JournaledSender::has_open(const std::string& work_key) const {
    for (const auto& [id, work] : in_flight_)
        if (work.work_key == work_key) return true;
    return false;
}

Result<void> JournaledSender::journal_before_broadcast(const chain::InFlightTx& tx, const chain::TxAttempt& attempt) {
    if (current_id_ == 0) {
        state::JournalEntry entry;
        entry.work_key = pending_.work_key;
        entry.from = sender();
        entry.to = tx.intent.to;
        entry.data = tx.intent.data;
        entry.value_wei = tx.intent.value_wei;
        entry.gas_limit = tx.intent.gas_limit.value;
        entry.nonce = tx.nonce.value;
        entry.created_block = pending_.created_block;
        entry.detail = pending_.detail;
        entry.action = pending_.action;
        auto id = store_.journal_intent(entry);
        if (!id) return std::unexpected(id.error());
        current_id_ = *id;
    }
    return store_.journal_attempt(current_id_, to_journal(attempt));
}

// The node certainly did not take it: no row may suggest it could be mined
// (and a refused re-send every round must not grow the journal).
void JournaledSender::journal_refused(const chain::TxAttempt& attempt) {
    if (current_id_ != 0) (void)store_.journal_forget_attempt(current_id_, attempt.hash);
}

Result<std::int64_t> JournaledSender::send(const std::string& work_key, const chain::TxIntent& intent,
                                           std::uint64_t head_block, std::string detail, std::uint64_t created_block,
                                           std::optional<state::JournalAction> action,
                                           std::optional<U256> max_priority_fee_wei) {
    if (has_open(work_key)) return fail("work " + work_key + " already has a transaction in flight");
    current_id_ = 0;
    pending_ = {work_key, detail, created_block, action};
    auto sent = shepherd_->send(intent, head_block, max_priority_fee_wei);
    const std::int64_t id = std::exchange(current_id_, 0);
    if (!sent) {
        // Refused outright (or the journal failed): nothing of it can be
        // mined, and the shepherd gave its nonce back.
        if (id != 0) (void)store_.journal_status(id, state::JournalStatus::abandoned);
        return std::unexpected(sent.error());
    }
    in_flight_.emplace(id, SentWork{id, work_key, std::move(detail), std::move(action), std::move(*sent),
                                    state::JournalStatus::broadcast, head_block});
    return id;
}

Result<WorkOutcome> JournaledSender::check(std::int64_t journal_id, std::uint64_t head_block) {
    auto found = in_flight_.find(journal_id);
    if (found == in_flight_.end()) return fail("no in-flight entry " + std::to_string(journal_id));
    SentWork& work = found->second;
    work.checked_at = head_block;
    current_id_ = journal_id;
    auto outcome = shepherd_->check(work.tx, head_block);
    current_id_ = 0;
    if (!outcome) return std::unexpected(outcome.error());
    WorkOutcome result{outcome->status, outcome->receipt, outcome->filled, outcome->note};
    auto journal = [&](state::JournalStatus status, const std::optional<chain::Receipt>& receipt) -> Result<void> {
        std::optional<state::JournalReceipt> stored;
        if (receipt) stored = to_journal(*receipt);
        if (auto s = store_.journal_status(journal_id, status, stored); !s) return std::unexpected(s.error());
        work.journaled = status;
        return {};
    };
    auto close = [&](state::JournalStatus status, const std::optional<chain::Receipt>& receipt) -> Result<WorkOutcome> {
        if (auto s = journal(status, receipt); !s) return std::unexpected(s.error());
        in_flight_.erase(found);
        return result;
    };
    switch (outcome->status) {
        case chain::TxStatus::pending:
            // Its block left the chain: the journal must not keep a receipt
            // that no longer exists (a restart would trust it).
            if (work.journaled == state::JournalStatus::mined)
                if (auto s = journal(state::JournalStatus::broadcast, std::nullopt); !s) return std::unexpected(s.error());
            break;
        case chain::TxStatus::mined:
            if (auto s = journal(state::JournalStatus::mined, outcome->receipt); !s) return std::unexpected(s.error());
            break;
        case chain::TxStatus::confirmed:
            if (outcome->filled) return close(state::JournalStatus::abandoned, outcome->receipt);
            return close(outcome->receipt->success ? state::JournalStatus::confirmed : state::JournalStatus::reverted,
                         outcome->receipt);
        case chain::TxStatus::abandoned:
            return close(state::JournalStatus::abandoned, std::nullopt);
        case chain::TxStatus::nonce_used_elsewhere:
            return close(state::JournalStatus::replaced_elsewhere, std::nullopt);
    }
    return result;
}

std::vector<std::pair<SentWork, Result<WorkOutcome>>> JournaledSender::check_unvisited(std::uint64_t head_block) {
    std::vector<std::int64_t> ids;
    for (const auto& [id, work] : in_flight_)
        if (work.checked_at != head_block) ids.push_back(id);
    std::vector<std::pair<SentWork, Result<WorkOutcome>>> out;
    for (const std::int64_t id : ids) {
        SentWork before = in_flight_.at(id);
        auto outcome = check(id, head_block);
        out.emplace_back(std::move(before), std::move(outcome));
    }
    return out;
}

Result<std::vector<ReconcileNote>> JournaledSender::reconcile() {
    std::vector<ReconcileNote> notes;
    auto mined = client_.get_transaction_count(sender(), chain::BlockId::latest());
    if (!mined) return fail("reconcile: " + mined.error().message);
    if (*mined >= nonces_.peek()) return notes;  // every nonce we handed out is spent
    auto finals = store_.final_entries_from_nonce(sender(), *mined);
    if (!finals) return std::unexpected(finals.error());
    for (const auto& entry : *finals) {
        // The count can lag on one node; the receipt is the evidence.
        auto receipt = chain::read_canonical_receipt(client_, entry.receipt->tx_hash);
        if (!receipt) return fail("reconcile: " + receipt.error().message);
        if (*receipt) continue;  // still there
        auto reopened = store_.journal_reopen(entry.id);
        if (!reopened) return std::unexpected(reopened.error());
        SentWork work = work_of(*reopened);
        // Seen mined before: the shepherd treats it as reorged out and
        // simulates and re-sends (or fills) at once.
        work.tx.seen_mined_in = entry.receipt->block_number;
        notes.push_back({entry.id, "entry #" + std::to_string(entry.id) + " (" + entry.work_key + ", nonce " +
                                       std::to_string(entry.nonce) + ") was final in block " +
                                       std::to_string(entry.receipt->block_number) +
                                       ", which a reorg deeper than the confirmation depth removed: reopened"});
        in_flight_.insert_or_assign(entry.id, std::move(work));
    }
    return notes;
}

}  // namespace keeper::app

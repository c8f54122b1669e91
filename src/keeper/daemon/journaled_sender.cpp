#include "keeper/daemon/journaled_sender.hpp"

#include <utility>

#include "chain/signer.hpp"

namespace keeper::app {
namespace {

state::JournalAttempt to_journal(const chain::TxAttempt& attempt) {
    return {attempt.hash, attempt.fees.max_fee_per_gas_wei, attempt.fees.max_priority_fee_per_gas_wei,
            attempt.sent_at_block};
}

chain::TxAttempt from_journal(const state::JournalAttempt& attempt) {
    return {attempt.hash, {attempt.max_fee_per_gas_wei, attempt.max_priority_fee_per_gas_wei}, attempt.sent_at_block};
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
        });

    auto open_entries = store.open_journal_entries();
    if (!open_entries) return std::unexpected(open_entries.error());
    for (const auto& entry : *open_entries) {
        if (entry.from != from) continue;  // another key's work: not ours to watch
        chain::InFlightTx tx{chain::Nonce{entry.nonce},
                             chain::TxIntent{entry.to, entry.data, entry.value_wei, chain::GasLimit{entry.gas_limit}},
                             {}};
        for (const auto& attempt : entry.attempts) tx.attempts.push_back(from_journal(attempt));
        sender->in_flight_.emplace(entry.id, SentWork{entry.id, entry.work_key, entry.detail, std::move(tx)});
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
        auto id = store_.journal_intent(entry);
        if (!id) return std::unexpected(id.error());
        current_id_ = *id;
    }
    return store_.journal_attempt(current_id_, to_journal(attempt));
}

Result<std::int64_t> JournaledSender::send(const std::string& work_key, const chain::TxIntent& intent,
                                           std::uint64_t head_block, std::string detail, std::uint64_t created_block) {
    if (has_open(work_key)) return fail("work " + work_key + " already has a transaction in flight");
    current_id_ = 0;
    pending_ = {work_key, detail, created_block};
    auto sent = shepherd_->send(intent, head_block);
    const std::int64_t id = std::exchange(current_id_, 0);
    if (!sent) {
        // Refused outright (or the journal failed): nothing of it can be
        // mined, and the shepherd gave its nonce back.
        if (id != 0) (void)store_.journal_status(id, state::JournalStatus::abandoned);
        return std::unexpected(sent.error());
    }
    in_flight_.emplace(id, SentWork{id, work_key, std::move(detail), std::move(*sent)});
    return id;
}

Result<WorkOutcome> JournaledSender::check(std::int64_t journal_id, std::uint64_t head_block) {
    auto found = in_flight_.find(journal_id);
    if (found == in_flight_.end()) return fail("no in-flight entry " + std::to_string(journal_id));
    current_id_ = journal_id;
    auto outcome = shepherd_->check(found->second.tx, head_block);
    current_id_ = 0;
    if (!outcome) return std::unexpected(outcome.error());
    WorkOutcome result{outcome->status, outcome->receipt};
    switch (outcome->status) {
        case chain::TxStatus::pending:
            break;
        case chain::TxStatus::mined:
            if (auto s = store_.journal_status(journal_id, state::JournalStatus::mined, to_journal(*outcome->receipt)); !s)
                return std::unexpected(s.error());
            break;
        case chain::TxStatus::confirmed: {
            const auto status = outcome->receipt->success ? state::JournalStatus::confirmed : state::JournalStatus::reverted;
            if (auto s = store_.journal_status(journal_id, status, to_journal(*outcome->receipt)); !s)
                return std::unexpected(s.error());
            in_flight_.erase(found);
            break;
        }
        case chain::TxStatus::nonce_used_elsewhere:
            if (auto s = store_.journal_status(journal_id, state::JournalStatus::replaced_elsewhere); !s)
                return std::unexpected(s.error());
            in_flight_.erase(found);
            break;
    }
    return result;
}

}  // namespace keeper::app

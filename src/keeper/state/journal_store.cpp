// StateStore: the transaction journal (intent -> attempts -> receipt).
#include <limits>

#include "keeper/state/state_store.hpp"

namespace keeper::state {
namespace {

constexpr std::string_view kEntryColumns =
    "SELECT id, work_key, from_address, to_address, data, value_wei, gas_limit, nonce, status, created_block, "
    "detail, receipt_tx_hash, receipt_block, receipt_success, receipt_gas_used, receipt_gas_price_wei "
    "FROM journal ";

Result<JournalReceipt> read_receipt(const sqlite::Statement& st) {
    JournalReceipt receipt;
    auto hash = st.fixed<Bytes32>(11);
    if (!hash) return std::unexpected(hash.error());
    receipt.tx_hash = *hash;
    auto block = st.uint64(12);
    if (!block) return std::unexpected(block.error());
    receipt.block_number = *block;
    receipt.success = st.boolean(13);
    auto gas_used = st.uint64(14);
    if (!gas_used) return std::unexpected(gas_used.error());
    receipt.gas_used = *gas_used;
    auto price = st.u256(15);
    if (!price) return std::unexpected(price.error());
    receipt.effective_gas_price_wei = *price;
    return receipt;
}

Result<JournalEntry> read_entry(const sqlite::Statement& st) {
    JournalEntry e;
    e.id = st.int64(0);
    e.work_key = st.text(1);
    auto from = st.fixed<Address>(2);
    if (!from) return std::unexpected(from.error());
    e.from = *from;
    auto to = st.fixed<Address>(3);
    if (!to) return std::unexpected(to.error());
    e.to = *to;
    e.data = st.blob(4);
    auto value = st.u256(5);
    if (!value) return std::unexpected(value.error());
    e.value_wei = *value;
    auto gas_limit = st.uint64(6);
    if (!gas_limit) return std::unexpected(gas_limit.error());
    e.gas_limit = *gas_limit;
    auto nonce = st.uint64(7);
    if (!nonce) return std::unexpected(nonce.error());
    e.nonce = *nonce;
    auto status = parse_journal_status(st.text(8));
    if (!status) return std::unexpected(status.error());
    e.status = *status;
    auto created = st.uint64(9);
    if (!created) return std::unexpected(created.error());
    e.created_block = *created;
    e.detail = st.text(10);
    if (!st.is_null(11)) {
        auto receipt = read_receipt(st);
        if (!receipt) return std::unexpected(receipt.error());
        e.receipt = *receipt;
    }
    return e;
}

Result<std::optional<JournalAction>> read_action(const sqlite::Database& db, std::int64_t id) {
    auto st = db.prepare(
        "SELECT protocol, kind, subject, account, position_id, collateral_token, debt_token, collateral_out, debt_in, "
        "realised_balances, profit, profit_unit FROM journal_actions WHERE journal_id = ?");
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(id); !bound) return std::unexpected(bound.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<JournalAction>{};
    JournalAction a;
    a.protocol = st->text(0);
    a.kind = st->text(1);
    a.subject = st->text(2);
    auto account = st->fixed<Address>(3);
    auto position = st->fixed<Bytes32>(4);
    auto collateral = st->fixed<Address>(5);
    auto debt = st->fixed<Address>(6);
    auto collateral_out = st->u256(7);
    auto debt_in = st->u256(8);
    auto profit = st->u256(10);
    if (!account || !position || !collateral || !debt || !collateral_out || !debt_in || !profit)
        return fail("journal_actions #" + std::to_string(id) + ": a column does not decode");
    a.account = *account;
    a.position_id = *position;
    a.collateral_token = *collateral;
    a.debt_token = *debt;
    a.collateral_out = *collateral_out;
    a.debt_in = *debt_in;
    a.realised_balances = st->int64(9) != 0;
    a.profit = *profit;
    a.profit_unit = st->text(11);
    return std::optional<JournalAction>{std::move(a)};
}

Result<std::vector<JournalAttempt>> read_attempts(const sqlite::Database& db, std::int64_t id) {
    auto st = db.prepare(
        "SELECT hash, max_fee_per_gas_wei, max_priority_fee_per_gas_wei, sent_at_block, payload FROM journal_attempts "
        "WHERE journal_id = ? ORDER BY seq");
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(id); !bound) return std::unexpected(bound.error());
    std::vector<JournalAttempt> attempts;
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return attempts;
        JournalAttempt a;
        auto hash = st->fixed<Bytes32>(0);
        if (!hash) return std::unexpected(hash.error());
        a.hash = *hash;
        auto max_fee = st->u256(1);
        if (!max_fee) return std::unexpected(max_fee.error());
        a.max_fee_per_gas_wei = *max_fee;
        auto priority = st->u256(2);
        if (!priority) return std::unexpected(priority.error());
        a.max_priority_fee_per_gas_wei = *priority;
        auto block = st->uint64(3);
        if (!block) return std::unexpected(block.error());
        a.sent_at_block = *block;
        auto payload = parse_journal_payload(st->text(4));
        if (!payload) return std::unexpected(payload.error());
        a.payload = *payload;
        attempts.push_back(a);
    }
}

// The stored status of entry `id`, or an error naming the id when it does not exist.
Result<JournalStatus> current_status(const sqlite::Database& db, std::int64_t id) {
    auto st = db.prepare("SELECT status FROM journal WHERE id = ?");
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(id); !bound) return std::unexpected(bound.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail("no journal entry #" + std::to_string(id));
    return parse_journal_status(st->text(0));
}

Result<void> write_status(const sqlite::Database& db, std::int64_t id, JournalStatus status,
                          const std::optional<JournalReceipt>& receipt, bool clear_receipt) {
    if (receipt.has_value()) {
        auto st = db.prepare(
            "UPDATE journal SET status = ?, receipt_tx_hash = ?, receipt_block = ?, receipt_success = ?, "
            "receipt_gas_used = ?, receipt_gas_price_wei = ? WHERE id = ?");
        if (!st) return std::unexpected(st.error());
        const auto& r = *receipt;
        auto bound = st->bind(to_string(status), r.tx_hash, r.block_number, r.success, r.gas_used,
                              r.effective_gas_price_wei, id);
        if (!bound) return bound;
        return st->run();
    }
    auto st = db.prepare(clear_receipt
                             ? "UPDATE journal SET status = ?, receipt_tx_hash = NULL, receipt_block = NULL, "
                               "receipt_success = NULL, receipt_gas_used = NULL, receipt_gas_price_wei = NULL "
                               "WHERE id = ?"
                             : "UPDATE journal SET status = ? WHERE id = ?");
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(to_string(status), id); !bound) return bound;
    return st->run();
}

}  // namespace

template <class... Args>
Result<std::vector<JournalEntry>> StateStore::read_entries(std::string_view where_and_order,
                                                           const Args&... args) const {
    auto st = db_.prepare(std::string(kEntryColumns) + std::string(where_and_order));
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(args...); !bound) return std::unexpected(bound.error());
    std::vector<JournalEntry> entries;
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto entry = read_entry(*st);
        if (!entry) return std::unexpected(entry.error());
        entries.push_back(std::move(*entry));
    }
    for (auto& entry : entries) {
        auto attempts = read_attempts(db_, entry.id);
        if (!attempts) return std::unexpected(attempts.error());
        entry.attempts = std::move(*attempts);
        auto action = read_action(db_, entry.id);
        if (!action) return std::unexpected(action.error());
        entry.action = std::move(*action);
    }
    return entries;
}

Result<std::int64_t> StateStore::journal_intent(const JournalEntry& entry) {
    auto where = [&](const Error& e) { return std::unexpected(context("journal_intent " + entry.work_key, e)); };
    if (!entry.attempts.empty() || entry.receipt.has_value())
        return where(Error{"a new entry has no attempts and no receipt yet"});
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());

    // Checked first for a message that names the blocking entry; the partial
    // unique index is what guarantees it.
    auto open = db_.prepare(
        "SELECT id, status FROM journal WHERE work_key = ? AND status IN ('intent', 'broadcast', 'mined')");
    if (!open) return where(open.error());
    if (auto bound = open->bind(entry.work_key); !bound) return where(bound.error());
    auto row = open->step();
    if (!row) return where(row.error());
    if (*row)
        return where(Error{"entry #" + std::to_string(open->int64(0)) + " for this work is still " + open->text(1)});
    open->reset();

    auto insert = db_.prepare(
        "INSERT INTO journal (work_key, from_address, to_address, data, value_wei, gas_limit, nonce, status, "
        "created_block, detail) VALUES (?, ?, ?, ?, ?, ?, ?, 'intent', ?, ?)");
    if (!insert) return where(insert.error());
    auto bound = insert->bind(entry.work_key, entry.from, entry.to, entry.data, entry.value_wei, entry.gas_limit,
                              entry.nonce, entry.created_block, entry.detail);
    if (!bound) return where(bound.error());
    if (auto ran = insert->run(); !ran) return where(ran.error());
    auto id = db_.last_insert_rowid();
    if (entry.action) {  // in the same transaction: the entry and what it is for land together
        const JournalAction& a = *entry.action;
        auto typed = db_.prepare(
            "INSERT INTO journal_actions (journal_id, protocol, kind, subject, account, position_id, collateral_token, "
            "debt_token, collateral_out, debt_in, realised_balances, profit, profit_unit) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!typed) return where(typed.error());
        auto typed_bound = typed->bind(id, a.protocol, a.kind, a.subject, a.account, a.position_id, a.collateral_token,
                                       a.debt_token, a.collateral_out, a.debt_in, a.realised_balances, a.profit,
                                       a.profit_unit);
        if (!typed_bound) return where(typed_bound.error());
        if (auto ran = typed->run(); !ran) return where(ran.error());
    }
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return id;
}

Result<void> StateStore::journal_attempt(std::int64_t id, const JournalAttempt& attempt) {
    auto where = [&](const Error& e) { return std::unexpected(context("journal_attempt #" + std::to_string(id), e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    auto status = current_status(db_, id);
    if (!status) return where(status.error());
    if (!is_open(*status))
        return where(Error{"entry is " + std::string(to_string(*status)) + " (final): no further attempts"});

    auto insert = db_.prepare(
        "INSERT INTO journal_attempts (journal_id, seq, hash, max_fee_per_gas_wei, max_priority_fee_per_gas_wei, "
        "sent_at_block, payload) VALUES (?1, (SELECT coalesce(max(seq) + 1, 0) FROM journal_attempts WHERE "
        "journal_id = ?1), ?2, ?3, ?4, ?5, ?6)");
    if (!insert) return where(insert.error());
    auto bound = insert->bind(id, attempt.hash, attempt.max_fee_per_gas_wei, attempt.max_priority_fee_per_gas_wei,
                              attempt.sent_at_block, to_string(attempt.payload));
    if (!bound) return where(bound.error());
    if (auto ran = insert->run(); !ran) return where(ran.error());
    // A new attempt supersedes any receipt (a reorg dropped the mined one).
    if (auto written = write_status(db_, id, JournalStatus::broadcast, std::nullopt, true); !written)
        return where(written.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

Result<void> StateStore::journal_status(std::int64_t id, JournalStatus status,
                                        const std::optional<JournalReceipt>& receipt) {
    auto where = [&](const Error& e) { return std::unexpected(context("journal_status #" + std::to_string(id), e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    auto current = current_status(db_, id);
    if (!current) return where(current.error());
    if (!is_open(*current) && *current != status)
        return where(Error{"entry is " + std::string(to_string(*current)) + " (final): cannot become " +
                           std::string(to_string(status))});
    bool clear_receipt = status == JournalStatus::intent || status == JournalStatus::broadcast;
    if (auto written = write_status(db_, id, status, receipt, clear_receipt); !written) return where(written.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

Result<void> StateStore::journal_forget_attempt(std::int64_t id, const Bytes32& hash) {
    auto where = [&](const Error& e) {
        return std::unexpected(context("journal_forget_attempt #" + std::to_string(id), e));
    };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    auto status = current_status(db_, id);
    if (!status) return where(status.error());
    if (!is_open(*status)) return where(Error{"entry is " + std::string(to_string(*status)) + " (final)"});
    auto st = db_.prepare("DELETE FROM journal_attempts WHERE journal_id = ? AND hash = ?");
    if (!st) return where(st.error());
    if (auto bound = st->bind(id, hash); !bound) return where(bound.error());
    if (auto ran = st->run(); !ran) return where(ran.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

Result<JournalEntry> StateStore::journal_reopen(std::int64_t id) {
    auto where = [&](const Error& e) { return std::unexpected(context("journal_reopen #" + std::to_string(id), e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    auto current = current_status(db_, id);
    if (!current) return where(current.error());
    if (is_open(*current)) return where(Error{"entry is still open"});
    if (*current == JournalStatus::replaced_elsewhere)
        return where(Error{"entry's nonce was used by another transaction: nothing of ours to reopen"});
    // The partial unique index allows one open entry per work key: when newer
    // work for the same key is open, the reopened one carries a suffix.
    auto st = db_.prepare(
        "UPDATE journal SET status = 'broadcast', receipt_tx_hash = NULL, receipt_block = NULL, "
        "receipt_success = NULL, receipt_gas_used = NULL, receipt_gas_price_wei = NULL, "
        "work_key = CASE WHEN EXISTS (SELECT 1 FROM journal AS o WHERE o.work_key = journal.work_key AND "
        "o.status IN ('intent', 'broadcast', 'mined')) THEN work_key || '#reorged-' || id ELSE work_key END "
        "WHERE id = ?");
    if (!st) return where(st.error());
    if (auto bound = st->bind(id); !bound) return where(bound.error());
    if (auto ran = st->run(); !ran) return where(ran.error());
    auto entries = read_entries("WHERE id = ?", id);
    if (!entries) return where(entries.error());
    if (entries->empty()) return where(Error{"vanished"});
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return std::move(entries->front());
}

Result<std::vector<JournalEntry>> StateStore::final_entries_from_nonce(const Address& from,
                                                                       std::uint64_t min_nonce) const {
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return std::unexpected(context("final_entries_from_nonce", tx.error()));
    auto entries = read_entries(
        "WHERE from_address = ? AND nonce >= ? AND status IN ('confirmed', 'reverted', 'abandoned') AND "
        "receipt_tx_hash IS NOT NULL ORDER BY nonce, id",
        from, min_nonce);
    if (!entries) return std::unexpected(context("final_entries_from_nonce", entries.error()));
    if (auto committed = tx->commit(); !committed)
        return std::unexpected(context("final_entries_from_nonce", committed.error()));
    return entries;
}

Result<std::vector<JournalEntry>> StateStore::open_journal_entries() const {
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return std::unexpected(context("open_journal_entries", tx.error()));
    auto entries = read_entries("WHERE status IN ('intent', 'broadcast', 'mined') ORDER BY id");
    if (!entries) return std::unexpected(context("open_journal_entries", entries.error()));
    if (auto committed = tx->commit(); !committed) return std::unexpected(context("open_journal_entries", committed.error()));
    return entries;
}

Result<std::optional<std::uint64_t>> StateStore::highest_journal_nonce(const Address& from) const {
    auto where = [&](const Error& e) { return std::unexpected(context("highest_journal_nonce", e)); };
    // Abandoned intents without a receipt were refused by the node (or never
    // sent): their nonce was handed back and never used, so counting it would
    // leave a gap that strands every later transaction. An abandoned entry
    // with a receipt had its nonce filled: that nonce is spent.
    auto st = db_.prepare(
        "SELECT max(nonce) FROM journal WHERE from_address = ? AND "
        "(status <> 'abandoned' OR receipt_tx_hash IS NOT NULL)");
    if (!st) return where(st.error());
    if (auto bound = st->bind(from); !bound) return where(bound.error());
    auto row = st->step();
    if (!row) return where(row.error());
    if (!*row || st->is_null(0)) return std::optional<std::uint64_t>{};
    auto nonce = st->uint64(0);
    if (!nonce) return where(nonce.error());
    return std::optional<std::uint64_t>{*nonce};
}

Result<std::vector<JournalEntry>> StateStore::recent_journal(std::size_t limit) const {
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return std::unexpected(context("recent_journal", tx.error()));
    auto capped = std::min<std::size_t>(limit, static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()));
    auto entries = read_entries("ORDER BY id DESC LIMIT ?", static_cast<std::int64_t>(capped));
    if (!entries) return std::unexpected(context("recent_journal", entries.error()));
    if (auto committed = tx->commit(); !committed) return std::unexpected(context("recent_journal", committed.error()));
    return entries;
}

Result<std::optional<JournalEntry>> StateStore::open_entry_for(std::string_view work_key) const {
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return std::unexpected(context("open_entry_for", tx.error()));
    auto entries = read_entries("WHERE work_key = ? AND status IN ('intent', 'broadcast', 'mined')", work_key);
    if (!entries) return std::unexpected(context("open_entry_for", entries.error()));
    if (auto committed = tx->commit(); !committed) return std::unexpected(context("open_entry_for", committed.error()));
    if (entries->empty()) return std::optional<JournalEntry>{};
    return std::optional<JournalEntry>{std::move(entries->front())};
}

Result<std::optional<JournalEntry>> StateStore::journal_entry(std::int64_t id) const {
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return std::unexpected(context("journal_entry", tx.error()));
    auto entries = read_entries("WHERE id = ?", id);
    if (!entries) return std::unexpected(context("journal_entry", entries.error()));
    if (auto committed = tx->commit(); !committed) return std::unexpected(context("journal_entry", committed.error()));
    if (entries->empty()) return std::optional<JournalEntry>{};
    return std::optional<JournalEntry>{std::move(entries->front())};
}

}  // namespace keeper::state

// StateStore: the accounts and sync cursor of one Aave V3 pool.
#include "keeper/state/state_store.hpp"

#include "keeper/state/protocol_cursor.hpp"

namespace keeper::state {

Result<AaveSnapshot> StateStore::load_aave(std::string_view protocol_key) const {
    auto where = [&](const Error& e) { return std::unexpected(context("load_aave " + std::string(protocol_key), e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return where(tx.error());
    AaveSnapshot snapshot;
    auto cursor = protocol_cursor::read(db_, protocol_key);
    if (!cursor) return where(cursor.error());
    snapshot.cursor = *cursor;

    auto accounts = protocol_cursor::read_all<Address>(
        db_, "SELECT account FROM aave_accounts WHERE protocol = ? ORDER BY account", protocol_key,
        [](const sqlite::Statement& st) { return st.fixed<Address>(0); });
    if (!accounts) return where(accounts.error());
    snapshot.accounts = std::move(*accounts);
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return snapshot;
}

Result<void> StateStore::commit_aave(std::string_view protocol_key, const BlockCursor& cursor,
                                     std::span<const Address> new_accounts) {
    auto where = [&](const Error& e) { return std::unexpected(context("commit_aave " + std::string(protocol_key), e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    if (auto bound = protocol_cursor::require_bound(db_, protocol_key); !bound) return where(bound.error());
    auto insert = db_.prepare("INSERT OR IGNORE INTO aave_accounts (protocol, account) VALUES (?, ?)");
    if (!insert) return where(insert.error());
    for (const Address& account : new_accounts) {
        if (auto bound = insert->bind(protocol_key, account); !bound) return where(bound.error());
        if (auto ran = insert->run(); !ran) return where(context("account " + account.hex(), ran.error()));
    }
    if (auto written = protocol_cursor::write(db_, protocol_key, cursor); !written) return where(written.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

}  // namespace keeper::state

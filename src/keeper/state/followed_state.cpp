// StateStore: the ids one protocol follows (Yield v2 vaults) and its sync cursor.
#include "keeper/state/state_store.hpp"

#include "keeper/state/protocol_cursor.hpp"

namespace keeper::state {

Result<FollowedSnapshot> StateStore::load_followed(std::string_view protocol_key) const {
    auto where = [&](const Error& e) {
        return std::unexpected(context("load_followed " + std::string(protocol_key), e));
    };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return where(tx.error());
    FollowedSnapshot snapshot;
    auto cursor = protocol_cursor::read(db_, protocol_key);
    if (!cursor) return where(cursor.error());
    snapshot.cursor = *cursor;

    auto ids = protocol_cursor::read_all<FollowedId>(
        db_, "SELECT id, first_block FROM followed_ids WHERE protocol = ? ORDER BY id", protocol_key,
        [](const sqlite::Statement& st) -> Result<FollowedId> {
            auto first_block = st.uint64(1);
            if (!first_block) return std::unexpected(first_block.error());
            return FollowedId{st.blob(0), *first_block};
        });
    if (!ids) return where(ids.error());
    snapshot.ids = std::move(*ids);
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return snapshot;
}

Result<void> StateStore::commit_followed(std::string_view protocol_key, const BlockCursor& cursor,
                                         std::span<const FollowedId> seen, std::span<const Bytes> gone) {
    auto where = [&](const Error& e) {
        return std::unexpected(context("commit_followed " + std::string(protocol_key), e));
    };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    if (auto bound = protocol_cursor::require_bound(db_, protocol_key); !bound) return where(bound.error());
    auto upsert = db_.prepare(
        "INSERT INTO followed_ids (protocol, id, first_block) VALUES (?, ?, ?) "
        "ON CONFLICT (protocol, id) DO UPDATE SET first_block = excluded.first_block");
    if (!upsert) return where(upsert.error());
    for (const FollowedId& item : seen) {
        if (auto bound = upsert->bind(protocol_key, item.id, item.first_block); !bound) return where(bound.error());
        if (auto ran = upsert->run(); !ran) return where(context("id " + hex::encode(item.id), ran.error()));
    }
    auto remove = db_.prepare("DELETE FROM followed_ids WHERE protocol = ? AND id = ?");
    if (!remove) return where(remove.error());
    for (const Bytes& id : gone) {
        if (auto bound = remove->bind(protocol_key, id); !bound) return where(bound.error());
        if (auto ran = remove->run(); !ran) return where(context("id " + hex::encode(id), ran.error()));
    }
    if (auto written = protocol_cursor::write(db_, protocol_key, cursor); !written) return where(written.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

}  // namespace keeper::state

#include "keeper/state/protocol_cursor.hpp"

namespace keeper::state::protocol_cursor {

Result<std::optional<BlockCursor>> read(const sqlite::Database& db, std::string_view protocol_key) {
    auto cursor = db.prepare("SELECT cursor_number, cursor_hash FROM protocols WHERE key = ?");
    if (!cursor) return std::unexpected(cursor.error());
    if (auto bound = cursor->bind(protocol_key); !bound) return std::unexpected(bound.error());
    auto row = cursor->step();
    if (!row) return std::unexpected(row.error());
    if (!*row || cursor->is_null(0)) return std::optional<BlockCursor>{};
    auto number = cursor->uint64(0);
    if (!number) return std::unexpected(number.error());
    auto hash = cursor->fixed<Bytes32>(1);
    if (!hash) return std::unexpected(hash.error());
    return std::optional<BlockCursor>{BlockCursor{*number, *hash}};
}

Result<void> require_bound(const sqlite::Database& db, std::string_view protocol_key) {
    auto known = db.prepare("SELECT 1 FROM protocols WHERE key = ?");
    if (!known) return std::unexpected(known.error());
    if (auto bound = known->bind(protocol_key); !bound) return bound;
    auto found = known->step();
    if (!found) return std::unexpected(found.error());
    if (!*found) return fail("protocol is not bound (call bind_protocol first)");
    return {};
}

Result<void> write(const sqlite::Database& db, std::string_view protocol_key, const BlockCursor& cursor) {
    auto set_cursor = db.prepare("UPDATE protocols SET cursor_number = ?, cursor_hash = ? WHERE key = ?");
    if (!set_cursor) return std::unexpected(context("cursor", set_cursor.error()));
    if (auto bound = set_cursor->bind(cursor.number, cursor.hash, protocol_key); !bound)
        return std::unexpected(context("cursor", bound.error()));
    if (auto ran = set_cursor->run(); !ran) return std::unexpected(context("cursor", ran.error()));
    return {};
}

}  // namespace keeper::state::protocol_cursor

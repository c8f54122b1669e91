#pragma once
// The rows every protocol's state shares: its binding must exist before rows
// are written, and its cursor is read with them and written last; and the
// loop that reads a protocol's own rows. Inside the caller's transaction.
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "keeper/state/sqlite_db.hpp"
#include "keeper/state/state_types.hpp"

namespace keeper::state::protocol_cursor {

Result<std::optional<BlockCursor>> read(const sqlite::Database& db, std::string_view protocol_key);
// An error "protocol is not bound (call bind_protocol first)" when it is not.
Result<void> require_bound(const sqlite::Database& db, std::string_view protocol_key);
Result<void> write(const sqlite::Database& db, std::string_view protocol_key, const BlockCursor& cursor);

// Reads every row of `sql` (one parameter: the protocol key) through `read_row`.
template <class Row, class Reader>
Result<std::vector<Row>> read_all(const sqlite::Database& db, std::string_view sql, std::string_view key,
                                  Reader read_row) {
    auto st = db.prepare(sql);
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(key); !bound) return std::unexpected(bound.error());
    std::vector<Row> rows;
    for (;;) {
        auto stepped = st->step();
        if (!stepped) return std::unexpected(stepped.error());
        if (!*stepped) return rows;
        auto row = read_row(*st);
        if (!row) return std::unexpected(row.error());
        rows.push_back(std::move(*row));
    }
}

}  // namespace keeper::state::protocol_cursor

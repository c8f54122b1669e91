#pragma once
// The rows every protocol's state shares: its binding must exist before rows
// are written, and its cursor is read with them and written last. Inside the
// caller's transaction.
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "keeper/state/sqlite_db.hpp"
#include "keeper/state/state_types.hpp"

namespace keeper::state::protocol_cursor {

Result<std::optional<BlockCursor>> read(const sqlite::Database& db, std::string_view protocol_key);
// An error "protocol is not bound (call bind_protocol first)" when it is not.
Result<void> require_bound(const sqlite::Database& db, std::string_view protocol_key);
Result<void> write(const sqlite::Database& db, std::string_view protocol_key, const BlockCursor& cursor);

}  // namespace keeper::state::protocol_cursor

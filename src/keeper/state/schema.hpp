#pragma once
// The tables of keeper.sqlite3 and their version. Every function runs inside
// the caller's transaction.
#include <cstdint>
#include <optional>

#include "core/result.hpp"
#include "keeper/state/sqlite_db.hpp"

namespace keeper::state::schema {

// Bumped with every change to the tables; meta.schema_version holds it.
inline constexpr std::int64_t kVersion = 5;

// Creates the tables in an empty database, accepts one at kVersion, migrates
// an older one forward (v1 -> v2 adds the Aave V3 account table, v2 -> v3
// what each journal attempt carried, v3 -> v4 the typed journal actions,
// v4 -> v5 the ids a protocol follows), and refuses
// a newer version or a database that is not ours.
Result<void> ensure(const sqlite::Database& db);

Result<std::optional<std::uint64_t>> stored_chain_id(const sqlite::Database& db);
Result<void> store_chain_id(const sqlite::Database& db, std::uint64_t chain_id);

}  // namespace keeper::state::schema

#pragma once
// Moving a state database aside, for an operator whose state directory was
// written for another chain (`run --archive-state`). Nothing is deleted and
// nothing is overwritten: the old journal stays readable, with sqlite3 or a
// margin-keeper pointed at a directory holding it as keeper.sqlite3.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace keeper::state {

// "keeper.chain-1.20250102T030405Z.sqlite3": the chain the database belongs
// to and when it was moved aside (UTC). SQLite finds a database's write-ahead
// log by appending "-wal", so the name keeps ".sqlite3" last.
std::string archive_file_name(std::uint64_t chain_id, std::chrono::system_clock::time_point when);

// Folds the write-ahead log into <dir>/keeper.sqlite3, then renames the
// database (and any -wal and -shm left) to archive_file_name(its chain id,
// now) in the same directory; if that name is taken, "-2", "-3"... go before
// ".sqlite3". Refused while another process is writing to the database.
// Returns the archive's path.
Result<std::filesystem::path> archive_state(const std::filesystem::path& dir, std::chrono::system_clock::time_point now);

}  // namespace keeper::state

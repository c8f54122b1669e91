#include "keeper/state/state_archive.hpp"

#include <stdio.h>  // renameat2 (glibc >= 2.28)
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

#include "keeper/state/schema.hpp"
#include "keeper/state/sqlite_db.hpp"

namespace keeper::state {
namespace {

constexpr const char* kDatabase = "keeper.sqlite3";
constexpr const char* kCompanions[] = {"-wal", "-shm"};

// Renames without ever replacing an existing file: EEXIST if `to` exists.
// renameat2(RENAME_NOREPLACE) where the file system supports it, else a hard
// link (which also refuses an existing name) and the old name's removal.
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return errno;
    if (::link(from.c_str(), to.c_str()) != 0) return errno;
    if (::unlink(from.c_str()) != 0) return errno;
    return 0;
}

// Writes every committed transaction of the write-ahead log into the main
// file, so the archive is whole in one file, and reads the chain id for its
// name. The connection closes on return (SQLite then removes the empty log).
Result<std::uint64_t> fold_log_and_read_chain(const std::filesystem::path& file) {
    auto db = sqlite::Database::open(file);
    if (!db) return std::unexpected(db.error());
    if (auto busy = db->set_busy_timeout_ms(5000); !busy) return std::unexpected(busy.error());
    auto checkpoint = db->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!checkpoint) return std::unexpected(checkpoint.error());
    auto row = checkpoint->step();
    if (!row) return std::unexpected(row.error());
    // Columns: busy, frames in the log, frames checkpointed. busy = 1 means
    // another connection kept the log from being folded in.
    if (*row && checkpoint->int64(0) != 0)
        return fail("another process is using " + file.string() + ": stop it before archiving");
    checkpoint->reset();
    auto chain = schema::stored_chain_id(*db);
    if (!chain) return std::unexpected(chain.error());
    if (!chain->has_value()) return fail(file.string() + " is bound to no chain: nothing to archive");
    return **chain;
}

bool any_exists(const std::filesystem::path& base) {
    std::error_code ec;
    if (std::filesystem::exists(base, ec) || ec) return true;
    for (const char* suffix : kCompanions)
        if (std::filesystem::exists(base.string() + suffix, ec) || ec) return true;
    return false;
}

}  // namespace

std::string archive_file_name(std::uint64_t chain_id, std::chrono::system_clock::time_point when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char stamp[32];
    const std::size_t length = std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    return "keeper.chain-" + std::to_string(chain_id) + "." + std::string(stamp, length) + ".sqlite3";
}

Result<std::filesystem::path> archive_state(const std::filesystem::path& dir, std::chrono::system_clock::time_point now) {
    auto where = [&](const Error& e) { return std::unexpected(context("archiving state in " + dir.string(), e)); };
    const auto file = dir / kDatabase;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return where(Error{"no " + file.string() + " to archive"});
    auto chain = fold_log_and_read_chain(file);
    if (!chain) return where(chain.error());

    const std::string name = archive_file_name(*chain, now);
    const std::string stem = name.substr(0, name.size() - std::string_view(".sqlite3").size());
    std::filesystem::path target = dir / name;
    for (int n = 2; any_exists(target); ++n) target = dir / (stem + "-" + std::to_string(n) + ".sqlite3");

    // The database first: once it is gone, a new keeper.sqlite3 starts empty.
    // A log left behind is empty (folded in above), so it can never replay
    // old rows into the new database.
    if (const int error = rename_no_replace(file, target); error != 0)
        return where(Error{"cannot move " + file.string() + " to " + target.string() + ": " + std::strerror(error)});
    for (const char* suffix : kCompanions) {
        const std::filesystem::path from = file.string() + suffix;
        if (!std::filesystem::exists(from, ec)) continue;
        const std::filesystem::path to = target.string() + suffix;
        if (const int error = rename_no_replace(from, to); error != 0)
            return where(Error{"cannot move " + from.string() + " to " + to.string() + ": " + std::strerror(error)});
    }
    return target;
}

}  // namespace keeper::state

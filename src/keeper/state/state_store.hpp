#pragma once
// The keeper's persistent state: one SQLite database, <state dir>/keeper.sqlite3,
// in WAL mode so a `scan` can read while `run` writes. Every write is one
// transaction, so a kill -9 at any moment leaves either the old or the new
// state, never a mix, and a restart resumes from the stored cursor instead of
// re-syncing from start_block.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/result.hpp"
#include "keeper/state/journal_types.hpp"
#include "keeper/state/sqlite_db.hpp"
#include "keeper/state/state_types.hpp"

namespace keeper::state {

// The database is bound to another chain than the node's.
struct OtherChain {
    std::uint64_t stored_chain_id = 0;
    std::uint64_t node_chain_id = 0;
};

// Why StateStore::open failed. `other_chain` is set when the one problem is a
// database bound to another chain, so a caller can offer to archive it
// (archive_state, state_archive.hpp) instead of giving up.
struct OpenError {
    std::string message;
    std::optional<OtherChain> other_chain;
};

class StateStore {
public:
    struct Opened;

    // Creates dir (mode 0700) and <dir>/keeper.sqlite3. The whole database is
    // bound to a chain id: if it holds another one, open() refuses and changes
    // nothing. The journal of another chain may hold transactions still in
    // flight there; it is never deleted, and only an operator's explicit
    // archive_state moves it aside. The message names the directory, both
    // chain ids and what to do. A database written by a newer schema than this
    // program knows is an error too.
    static std::expected<Opened, OpenError> open(const std::filesystem::path& dir, std::uint64_t chain_id);

    StateStore(StateStore&&) noexcept = default;
    StateStore& operator=(StateStore&&) noexcept = default;
    StateStore(const StateStore&) = delete;
    StateStore& operator=(const StateStore&) = delete;
    ~StateStore() = default;

    const std::filesystem::path& file() const { return file_; }
    std::uint64_t chain_id() const { return chain_id_; }

    // Binds key -> (start_block, start_block_hash). A different hash (a fresh
    // anvil at the same addresses) or start block wipes that protocol's
    // markets, positions and cursor; the journal is kept, it is history.
    Result<BindOutcome> bind_protocol(const ProtocolBinding& binding);

    // An unknown key loads as an empty snapshot without a cursor. Read in one
    // snapshot: the cursor always matches the rows.
    Result<MorphoSnapshot> load_morpho(std::string_view protocol_key) const;
    // One transaction: upserts the markets and positions (a position whose
    // three fields are zero is deleted) and sets the cursor. All of it lands
    // or none. The protocol must have been bound.
    Result<void> commit_morpho(std::string_view protocol_key, const BlockCursor& cursor,
                               std::span<const MorphoMarketRow> markets,
                               std::span<const MorphoPositionRow> positions);
    // Aave V3: the accounts seen and the cursor, read in one snapshot.
    Result<AaveSnapshot> load_aave(std::string_view protocol_key) const;
    // One transaction: adds `new_accounts` (already known ones are ignored)
    // and sets the cursor. The protocol must have been bound.
    Result<void> commit_aave(std::string_view protocol_key, const BlockCursor& cursor,
                             std::span<const Address> new_accounts);
    // A protocol that follows ids (Yield v2 vaults): the ids and the cursor,
    // read in one snapshot.
    Result<FollowedSnapshot> load_followed(std::string_view protocol_key) const;
    // One transaction: upserts `seen` (an id already stored takes the given
    // first_block), deletes `gone` and sets the cursor. The protocol must have
    // been bound.
    Result<void> commit_followed(std::string_view protocol_key, const BlockCursor& cursor,
                                 std::span<const FollowedId> seen, std::span<const Bytes> gone);
    // Forgets markets, positions and cursor, keeping the binding (the fallback
    // after a reorg deeper than we can unwind).
    Result<void> reset_protocol(std::string_view protocol_key);

    // Records a new entry as `intent` (entry.id and entry.status are ignored;
    // attempts and receipt must be empty). Refused while an open entry exists
    // for the same work_key; returns the new id.
    Result<std::int64_t> journal_intent(const JournalEntry& entry);
    // Appends an attempt (a signed transaction handed to a node); the status
    // becomes broadcast and any receipt is cleared. Only for open entries.
    Result<void> journal_attempt(std::int64_t id, const JournalAttempt& attempt);
    // Moves an open entry to `status`. A given receipt replaces the stored
    // one; without one the stored receipt is kept, except that moving back to
    // intent or broadcast (a reorg took the block away) clears it. A final
    // entry only accepts its own status again (an idempotent replay after a
    // restart); anything else is refused.
    Result<void> journal_status(std::int64_t id, JournalStatus status,
                                const std::optional<JournalReceipt>& receipt = {});
    // Forgets an attempt the node certainly refused (it can never be mined),
    // so a refused re-send leaves no row behind. Only for open entries.
    Result<void> journal_forget_attempt(std::int64_t id, const Bytes32& hash);
    // A final entry whose receipt a reorg deeper than the confirmation depth
    // took away goes back to broadcast (receipt cleared) to be shepherded
    // again; returns it as stored now. When another open entry holds its work
    // key, the reopened one's key gets the suffix "#reorged-<id>".
    Result<JournalEntry> journal_reopen(std::int64_t id);
    // Final entries of `from` with a receipt (ours mined) and a nonce >=
    // `min_nonce`: after a deep reorg, the ones whose receipt may be gone.
    Result<std::vector<JournalEntry>> final_entries_from_nonce(const Address& from, std::uint64_t min_nonce) const;
    Result<std::vector<JournalEntry>> open_journal_entries() const;  // oldest first
    // The highest nonce of any entry from `from` that may have reached the
    // chain (an intent may have been broadcast just before a crash); abandoned
    // entries (refused by the node, nonce handed back) do not count.
    Result<std::optional<std::uint64_t>> highest_journal_nonce(const Address& from) const;
    Result<std::vector<JournalEntry>> recent_journal(std::size_t limit) const;  // newest first
    Result<std::optional<JournalEntry>> open_entry_for(std::string_view work_key) const;
    Result<std::optional<JournalEntry>> journal_entry(std::int64_t id) const;

private:
    StateStore(sqlite::Database db, std::filesystem::path file, std::uint64_t chain_id)
        : db_(std::move(db)), file_(std::move(file)), chain_id_(chain_id) {}

    // Reads entries selected by `where_and_order` (SQL after FROM journal),
    // with their attempts, inside the caller's transaction.
    template <class... Args>
    Result<std::vector<JournalEntry>> read_entries(std::string_view where_and_order, const Args&... args) const;

    sqlite::Database db_;
    std::filesystem::path file_;
    std::uint64_t chain_id_ = 0;
};

struct StateStore::Opened {
    StateStore store;
    std::string message;  // one line for the log: created or resumed
};

}  // namespace keeper::state

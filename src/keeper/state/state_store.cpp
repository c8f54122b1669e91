#include "keeper/state/state_store.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "keeper/state/schema.hpp"

namespace keeper::state {
namespace {

// Long enough to outlast any one write of the other process (`run` commits a
// block's worth of rows, `scan` reads a snapshot), short enough that a stuck
// peer is reported well inside the daemon's 10 s shutdown budget.
constexpr int kBusyTimeoutMs = 5000;

// The directory holds the journal of an operator's transactions: private to
// its user. An existing directory is left as the operator made it.
Result<void> make_private_directory(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return {};
    if (dir.has_parent_path() && !dir.parent_path().empty()) {
        std::filesystem::create_directories(dir.parent_path(), ec);
        if (ec) return fail("cannot create " + dir.parent_path().string() + ": " + ec.message());
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return fail("cannot create " + dir.string() + ": " + std::strerror(errno));
    if (!std::filesystem::is_directory(dir, ec)) return fail(dir.string() + " exists and is not a directory");
    return {};
}

// WAL lets a reader keep its snapshot while a writer commits. synchronous=FULL
// syncs the WAL at every commit: with NORMAL a power cut (not a kill -9) may
// lose the last commits, and a lost journal `attempt` would let a restarted
// keeper send the same liquidation again. The cost, one fsync per commit, is
// nothing at one commit per block.
Result<void> configure(const sqlite::Database& db) {
    if (auto r = db.set_busy_timeout_ms(kBusyTimeoutMs); !r) return r;
    auto mode = db.prepare("PRAGMA journal_mode = WAL");
    if (!mode) return std::unexpected(mode.error());
    auto row = mode->step();
    if (!row) return std::unexpected(row.error());
    if (!*row || mode->text(0) != "wal")
        return fail("journal_mode WAL not available (got '" + (*row ? mode->text(0) : std::string()) + "')");
    return db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
}

// Markets, positions and cursor of one protocol; the binding and the journal
// stay. Inside the caller's transaction.
Result<void> forget_protocol_rows(const sqlite::Database& db, std::string_view protocol_key) {
    for (std::string_view sql : {
             "DELETE FROM morpho_positions WHERE protocol = ?",
             "DELETE FROM morpho_markets WHERE protocol = ?",
             "DELETE FROM aave_accounts WHERE protocol = ?",
             "DELETE FROM followed_ids WHERE protocol = ?",
             "UPDATE protocols SET cursor_number = NULL, cursor_hash = NULL WHERE key = ?",
         }) {
        auto st = db.prepare(sql);
        if (!st) return std::unexpected(st.error());
        if (auto bound = st->bind(protocol_key); !bound) return bound;
        if (auto ran = st->run(); !ran) return ran;
    }
    return {};
}

// What an operator reads when the database belongs to another chain: where,
// which chains, and the three ways on.
std::string other_chain_message(const std::filesystem::path& dir, const OtherChain& other) {
    const std::string stored = std::to_string(other.stored_chain_id);
    return "state in " + dir.string() + " belongs to chain " + stored + ", but this node is chain " +
           std::to_string(other.node_chain_id) + ". Nothing was changed: its journal may hold transactions still " +
           "in flight on chain " + stored + ". Either connect to a chain " + stored +
           " node, or use another state directory (--state-dir, or state_dir in keeper.toml), or pass " +
           "--archive-state to move the chain " + stored + " database aside within " + dir.string() +
           " (kept, never deleted) and start afresh";
}

}  // namespace

std::expected<StateStore::Opened, OpenError> StateStore::open(const std::filesystem::path& dir, std::uint64_t chain_id) {
    auto where = [&](const Error& e) {
        return std::unexpected(OpenError{context("state in " + dir.string(), e).message, std::nullopt});
    };
    if (auto made = make_private_directory(dir); !made) return where(made.error());
    auto file = dir / "keeper.sqlite3";
    auto db = sqlite::Database::open(file);
    if (!db) return where(db.error());
    if (auto configured = configure(*db); !configured) return where(configured.error());

    auto tx = sqlite::Transaction::begin(*db, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    if (auto ensured = schema::ensure(*db); !ensured) return where(ensured.error());
    auto stored = schema::stored_chain_id(*db);
    if (!stored) return where(stored.error());

    std::string message;
    if (!stored->has_value()) {
        message = "state in " + dir.string() + ": new, chain " + std::to_string(chain_id);
        if (auto set = schema::store_chain_id(*db, chain_id); !set) return where(set.error());
    } else if (**stored == chain_id) {
        message = "state in " + dir.string() + ": resumed, chain " + std::to_string(chain_id);
    } else {
        // The transaction rolls back as `tx` goes out of scope: not a byte changes.
        const OtherChain other{**stored, chain_id};
        return std::unexpected(OpenError{other_chain_message(dir, other), other});
    }
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return Opened{StateStore(std::move(*db), std::move(file), chain_id), std::move(message)};
}

Result<BindOutcome> StateStore::bind_protocol(const ProtocolBinding& binding) {
    auto where = [&](const Error& e) { return std::unexpected(context("bind_protocol " + binding.key, e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());

    auto select = db_.prepare("SELECT start_block, start_block_hash FROM protocols WHERE key = ?");
    if (!select) return where(select.error());
    if (auto bound = select->bind(binding.key); !bound) return where(bound.error());
    auto row = select->step();
    if (!row) return where(row.error());

    BindOutcome outcome = BindOutcome::created;
    if (*row) {
        auto start = select->uint64(0);
        if (!start) return where(start.error());
        auto hash = select->fixed<Bytes32>(1);
        if (!hash) return where(hash.error());
        if (*start == binding.start_block && *hash == binding.start_block_hash) return BindOutcome::resumed;
        outcome = BindOutcome::discarded;
    }
    select->reset();
    if (outcome == BindOutcome::discarded) {
        if (auto wiped = forget_protocol_rows(db_, binding.key); !wiped) return where(wiped.error());
    }
    auto upsert = db_.prepare(
        "INSERT INTO protocols (key, start_block, start_block_hash, cursor_number, cursor_hash) "
        "VALUES (?, ?, ?, NULL, NULL) ON CONFLICT (key) DO UPDATE SET start_block = excluded.start_block, "
        "start_block_hash = excluded.start_block_hash, cursor_number = NULL, cursor_hash = NULL");
    if (!upsert) return where(upsert.error());
    if (auto bound = upsert->bind(binding.key, binding.start_block, binding.start_block_hash); !bound)
        return where(bound.error());
    if (auto ran = upsert->run(); !ran) return where(ran.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return outcome;
}

Result<void> StateStore::reset_protocol(std::string_view protocol_key) {
    auto where = [&](const Error& e) { return std::unexpected(context("reset_protocol " + std::string(protocol_key), e)); };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());
    if (auto wiped = forget_protocol_rows(db_, protocol_key); !wiped) return where(wiped.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

}  // namespace keeper::state

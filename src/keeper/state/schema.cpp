#include "keeper/state/schema.hpp"

#include <limits>
#include <string>

namespace keeper::state::schema {
namespace {

// Conventions: U256 values are 32-byte big-endian BLOBs (exact, and they sort
// numerically); addresses and hashes are 20- and 32-byte BLOBs; block numbers,
// nonces and gas are INTEGERs (the store refuses values above 2^63 - 1).
constexpr std::string_view kCreateV1 = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE protocols (
    key              TEXT PRIMARY KEY,
    start_block      INTEGER NOT NULL,
    start_block_hash BLOB NOT NULL,
    cursor_number    INTEGER,          -- NULL: nothing synced yet
    cursor_hash      BLOB
) WITHOUT ROWID;

CREATE TABLE morpho_markets (
    protocol         TEXT NOT NULL REFERENCES protocols(key),
    id               BLOB NOT NULL,
    loan_token       BLOB NOT NULL,
    collateral_token BLOB NOT NULL,
    oracle           BLOB NOT NULL,
    irm              BLOB NOT NULL,
    lltv_wad         BLOB NOT NULL,
    PRIMARY KEY (protocol, id)
) WITHOUT ROWID;

CREATE TABLE morpho_positions (
    protocol      TEXT NOT NULL REFERENCES protocols(key),
    market        BLOB NOT NULL,
    account       BLOB NOT NULL,
    supply_shares BLOB NOT NULL,
    borrow_shares BLOB NOT NULL,
    collateral    BLOB NOT NULL,
    PRIMARY KEY (protocol, market, account)
) WITHOUT ROWID;

CREATE TABLE journal (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    work_key         TEXT NOT NULL,
    from_address     BLOB NOT NULL,
    to_address       BLOB NOT NULL,
    data             BLOB NOT NULL,
    value_wei        BLOB NOT NULL,
    gas_limit        INTEGER NOT NULL,
    nonce            INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('intent', 'broadcast', 'mined', 'confirmed',
                                                     'reverted', 'replaced_elsewhere', 'abandoned')),
    created_block    INTEGER NOT NULL,
    detail           TEXT NOT NULL,
    receipt_tx_hash        BLOB,       -- receipt_*: all NULL until a receipt is recorded
    receipt_block          INTEGER,
    receipt_success        INTEGER,
    receipt_gas_used       INTEGER,
    receipt_gas_price_wei  BLOB
);
-- At most one open entry per piece of work: the rule that stops a restarted
-- keeper from liquidating the same borrower twice, enforced by the database.
CREATE UNIQUE INDEX journal_one_open_per_work ON journal (work_key)
    WHERE status IN ('intent', 'broadcast', 'mined');
CREATE INDEX journal_by_sender_nonce ON journal (from_address, nonce);

CREATE TABLE journal_attempts (
    journal_id                   INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
    seq                          INTEGER NOT NULL,
    hash                         BLOB NOT NULL,
    max_fee_per_gas_wei          BLOB NOT NULL,
    max_priority_fee_per_gas_wei BLOB NOT NULL,
    sent_at_block                INTEGER NOT NULL,
    PRIMARY KEY (journal_id, seq)
) WITHOUT ROWID;
)sql";

// v2: the accounts an Aave V3 pool's events named. Balances are not stored:
// a restarted keeper re-reads every known account at the head (exact by
// construction), so only who to read survives a restart.
constexpr std::string_view kCreateV2 = R"sql(
CREATE TABLE aave_accounts (
    protocol TEXT NOT NULL REFERENCES protocols(key),
    account  BLOB NOT NULL,
    PRIMARY KEY (protocol, account)
) WITHOUT ROWID;
)sql";

// v3: each attempt says what it carried, so a restarted keeper knows that a
// nonce it began to fill must stay filled (never the stale payload again).
constexpr std::string_view kCreateV3 = R"sql(
ALTER TABLE journal_attempts ADD COLUMN payload TEXT NOT NULL DEFAULT 'intent'
    CHECK (payload IN ('intent', 'nonce_fill'));
)sql";

// v4: what an action was, typed (issue #17): the protocol, the kind, the
// subject and the prediction a final receipt is compared with, one row per
// journal entry an action made (approvals and entries of older versions have
// none; their `detail` text is read instead).
constexpr std::string_view kCreateV4 = R"sql(
CREATE TABLE journal_actions (
    journal_id        INTEGER PRIMARY KEY REFERENCES journal(id) ON DELETE CASCADE,
    protocol          TEXT NOT NULL,
    kind              TEXT NOT NULL,
    subject           TEXT NOT NULL,
    account           BLOB NOT NULL,
    position_id       BLOB NOT NULL,
    collateral_token  BLOB NOT NULL,
    debt_token        BLOB NOT NULL,
    collateral_out    BLOB NOT NULL,    -- collateral-token units
    debt_in           BLOB NOT NULL,    -- debt-token units
    realised_balances INTEGER NOT NULL,
    profit            BLOB NOT NULL,    -- in profit_unit
    profit_unit       TEXT NOT NULL
);
)sql";

// v5: the ids a protocol's events named, for protocols that re-read all else
// at the head (Yield v2 vaults, issue #17), so a restart need not re-sync.
constexpr std::string_view kCreateV5 = R"sql(
CREATE TABLE followed_ids (
    protocol    TEXT NOT NULL REFERENCES protocols(key),
    id          BLOB NOT NULL,
    first_block INTEGER NOT NULL,
    PRIMARY KEY (protocol, id)
) WITHOUT ROWID;
)sql";

Result<std::int64_t> count_tables(const sqlite::Database& db, std::string_view extra_where) {
    auto st = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'" +
                         std::string(extra_where));
    if (!st) return std::unexpected(st.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    return st->int64(0);
}

Result<std::optional<std::int64_t>> meta_value(const sqlite::Database& db, std::string_view key) {
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(key); !bound) return std::unexpected(bound.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{st->int64(0)};
}

Result<void> set_meta_value(const sqlite::Database& db, std::string_view key, std::int64_t value) {
    auto st = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!st) return std::unexpected(st.error());
    if (auto bound = st->bind(key, value); !bound) return std::unexpected(bound.error());
    return st->run();
}

}  // namespace

Result<void> ensure(const sqlite::Database& db) {
    auto all_tables = count_tables(db, "");
    if (!all_tables) return std::unexpected(all_tables.error());
    if (*all_tables == 0) {
        if (auto created = db.exec(kCreateV1); !created) return std::unexpected(context("create tables", created.error()));
        if (auto created = db.exec(kCreateV2); !created) return std::unexpected(context("create tables", created.error()));
        if (auto created = db.exec(kCreateV3); !created) return std::unexpected(context("create tables", created.error()));
        if (auto created = db.exec(kCreateV4); !created) return std::unexpected(context("create tables", created.error()));
        if (auto created = db.exec(kCreateV5); !created)
            return std::unexpected(context("create tables", created.error()));
        return set_meta_value(db, "schema_version", kVersion);
    }
    auto meta_tables = count_tables(db, " AND name = 'meta'");
    if (!meta_tables) return std::unexpected(meta_tables.error());
    if (*meta_tables == 0) return fail("the database has tables but no meta table: not a margin-keeper state file");
    auto version = meta_value(db, "schema_version");
    if (!version) return std::unexpected(version.error());
    if (!version->has_value()) return fail("the meta table has no schema_version: not a margin-keeper state file");
    if (**version > kVersion)
        return fail("schema version " + std::to_string(**version) + " is newer than this program's (" +
                    std::to_string(kVersion) + "): upgrade margin-keeper or use another state directory");
    if (**version < 1)
        return fail("schema version " + std::to_string(**version) + " is older than any this program can read (" +
                    std::to_string(kVersion) + ")");
    if (**version == kVersion) return {};
    if (**version <= 1)
        if (auto created = db.exec(kCreateV2); !created) return std::unexpected(context("migrate to v2", created.error()));
    if (**version <= 2)
        if (auto created = db.exec(kCreateV3); !created) return std::unexpected(context("migrate to v3", created.error()));
    if (**version <= 3)
        if (auto created = db.exec(kCreateV4); !created) return std::unexpected(context("migrate to v4", created.error()));
    if (**version <= 4)
        if (auto created = db.exec(kCreateV5); !created)
            return std::unexpected(context("migrate to v5", created.error()));
    return set_meta_value(db, "schema_version", kVersion);
}

Result<std::optional<std::uint64_t>> stored_chain_id(const sqlite::Database& db) {
    auto value = meta_value(db, "chain_id");
    if (!value) return std::unexpected(value.error());
    if (!value->has_value()) return std::optional<std::uint64_t>{};
    if (**value < 0) return fail("meta.chain_id is negative: " + std::to_string(**value));
    return std::optional<std::uint64_t>{static_cast<std::uint64_t>(**value)};
}

Result<void> store_chain_id(const sqlite::Database& db, std::uint64_t chain_id) {
    if (chain_id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return fail("chain id " + std::to_string(chain_id) + " does not fit a signed 64-bit integer");
    return set_meta_value(db, "chain_id", static_cast<std::int64_t>(chain_id));
}

}  // namespace keeper::state::schema

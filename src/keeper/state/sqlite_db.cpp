#include "keeper/state/sqlite_db.hpp"

#include <sqlite3.h>

#include <limits>

namespace keeper::state::sqlite {
namespace {

Error sqlite_error(sqlite3* db, int code) {
    std::string message = "sqlite: ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    message += " (code " + std::to_string(db != nullptr ? sqlite3_extended_errcode(db) : code) + ")";
    return Error{std::move(message)};
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& file) {
    sqlite3* raw = nullptr;
    int code = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    // sqlite3_open_v2 hands back a handle even on failure; it must be closed.
    Database db(raw);
    if (code != SQLITE_OK) return std::unexpected(context(file.string(), sqlite_error(raw, code)));
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

Result<void> Database::exec(std::string_view sql) const {
    std::string text(sql);
    char* message = nullptr;
    int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (code == SQLITE_OK) return {};
    std::string reason = message != nullptr ? message : sqlite3_errstr(code);
    sqlite3_free(message);
    return fail("sqlite: " + reason + " (code " + std::to_string(sqlite3_extended_errcode(db_)) + ")");
}

Result<Statement> Database::prepare(std::string_view sql) const {
    sqlite3_stmt* stmt = nullptr;
    int code = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (code != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return std::unexpected(sqlite_error(db_, code));
    }
    return Statement(db_, stmt);
}

Result<void> Database::set_busy_timeout_ms(int milliseconds) const {
    int code = sqlite3_busy_timeout(db_, milliseconds);
    if (code != SQLITE_OK) return std::unexpected(sqlite_error(db_, code));
    return {};
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Result<void> Statement::check(int code) const {
    if (code == SQLITE_OK) return {};
    return std::unexpected(sqlite_error(db_, code));
}

void Statement::reset() {
    // The error of a failed step is reported by step() itself; reset repeats it.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Result<void> Statement::bind_null(int index) { return check(sqlite3_bind_null(stmt_, index)); }

Result<void> Statement::bind_int64(int index, std::int64_t value) {
    return check(sqlite3_bind_int64(stmt_, index, value));
}

Result<void> Statement::bind_uint64(int index, std::uint64_t value) {
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return fail("sqlite: parameter " + std::to_string(index) + ": " + std::to_string(value) +
                    " does not fit a signed 64-bit integer");
    return bind_int64(index, static_cast<std::int64_t>(value));
}

Result<void> Statement::bind_blob(int index, ByteView value) {
    // A zero-length blob is bound as an empty BLOB, not NULL (which a null data
    // pointer would give), so NOT NULL columns accept empty calldata.
    if (value.empty()) return check(sqlite3_bind_zeroblob(stmt_, index, 0));
    return check(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT));
}

Result<void> Statement::bind_text(int index, std::string_view value) {
    return check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Result<bool> Statement::step() {
    int code = sqlite3_step(stmt_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return std::unexpected(sqlite_error(db_, code));
}

Result<void> Statement::run() {
    auto stepped = step();
    if (!stepped) return std::unexpected(stepped.error());
    if (*stepped) return fail("sqlite: statement returned rows where none were expected");
    return {};
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

Result<std::uint64_t> Statement::uint64(int column) const {
    auto value = int64(column);
    if (value < 0) return std::unexpected(column_error(column, Error{"negative value " + std::to_string(value)}));
    return static_cast<std::uint64_t>(value);
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

Bytes Statement::blob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr || size <= 0) return {};
    return Bytes(data, data + size);
}

Result<U256> Statement::u256(int column) const {
    auto raw = blob(column);
    if (raw.size() != 32)
        return std::unexpected(
            column_error(column, Error{"expected a 32-byte word, found " + std::to_string(raw.size()) + " bytes"}));
    return U256::from_be(raw);
}

Error Statement::column_error(int column, const Error& inner) const {
    const char* name = sqlite3_column_name(stmt_, column);
    return context(std::string("sqlite: column ") + (name != nullptr ? name : std::to_string(column)), inner);
}

Result<Transaction> Transaction::begin(const Database& db, Kind kind) {
    auto begun = db.exec(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    if (!begun) return std::unexpected(context("begin", begun.error()));
    return Transaction(db);
}

Transaction::~Transaction() {
    // Nothing useful can be done with a failed rollback here: SQLite rolls an
    // open transaction back itself when the connection closes.
    if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
    const Database* db = std::exchange(db_, nullptr);
    if (db == nullptr) return fail("commit: transaction already finished");
    auto committed = db->exec("COMMIT");
    if (!committed) {
        (void)db->exec("ROLLBACK");
        return std::unexpected(context("commit", committed.error()));
    }
    return {};
}

}  // namespace keeper::state::sqlite

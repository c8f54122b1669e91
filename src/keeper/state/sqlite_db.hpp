#pragma once
// A thin RAII layer over SQLite's C API: one owner per connection and per
// prepared statement, every call that can fail returns Result. sqlite3.h stays
// out of this header (the opaque handles are forward-declared) so users of the
// state store do not need SQLite's include path.
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace keeper::state::sqlite {

class Statement;

// One connection. Move-only; closing happens in the destructor.
class Database {
public:
    // Opens (creating if missing) a database file read-write.
    static Result<Database> open(const std::filesystem::path& file);

    Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Runs one or more statements that return no rows we need.
    Result<void> exec(std::string_view sql) const;
    Result<Statement> prepare(std::string_view sql) const;
    // Waits up to this long for another connection's lock before SQLITE_BUSY.
    Result<void> set_busy_timeout_ms(int milliseconds) const;

    std::int64_t last_insert_rowid() const;
    sqlite3* handle() const { return db_; }

private:
    explicit Database(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

// Things a column or parameter can hold, as our types: fixed-size byte strings
// (Address, Bytes32) and U256 are BLOBs of exactly 20/32 bytes, big-endian.
template <class T>
concept FixedByteString = requires(const T& v) {
    { T::size } -> std::convertible_to<std::size_t>;
    { v.view() } -> std::convertible_to<ByteView>;
    { v.bytes };
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// One prepared statement. Parameters are numbered from 1, columns from 0, as
// in SQLite itself. Move-only; finalised in the destructor.
class Statement {
public:
    Statement(Statement&& other) noexcept
        : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binds the arguments to parameters 1..N in order, after clearing any
    // previous bindings and resetting the statement, so a statement can be
    // reused row after row.
    template <class... Args>
    Result<void> bind(const Args&... args) {
        reset();
        [[maybe_unused]] int index = 0;
        Result<void> result;
        ((result.has_value() ? (void)(result = bind_value(++index, args)) : (void)0), ...);
        return result;
    }

    // Advances: true when a row is available, false when done.
    Result<bool> step();
    // Steps a statement that must not return rows (INSERT, UPDATE, DELETE).
    Result<void> run();
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    Result<std::uint64_t> uint64(int column) const;  // negative values are corruption
    bool boolean(int column) const { return int64(column) != 0; }
    std::string text(int column) const;
    Bytes blob(int column) const;
    Result<U256> u256(int column) const;  // exactly 32 bytes, big-endian

    template <FixedByteString T>
    Result<T> fixed(int column) const {
        auto raw = blob(column);
        auto parsed = FixedBytesOf<T>::type::from_bytes(raw);
        if (!parsed) return std::unexpected(column_error(column, parsed.error()));
        return T(*parsed);
    }

private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

    // Recovers FixedBytes<N, Tag> from a type derived from it (Address).
    template <class T>
    struct FixedBytesOf {
        template <std::size_t N, class Tag>
        static FixedBytes<N, Tag> base(const FixedBytes<N, Tag>&);
        using type = decltype(base(std::declval<const T&>()));
    };

    template <class T>
    Result<void> bind_value(int index, const T& value) {
        if constexpr (is_optional<T>::value) {
            if (!value.has_value()) return bind_null(index);
            return bind_value(index, *value);
        } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
            return bind_null(index);
        } else if constexpr (std::is_same_v<T, bool>) {
            return bind_int64(index, value ? 1 : 0);
        } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
            return bind_int64(index, value);
        } else if constexpr (std::is_integral_v<T>) {
            return bind_uint64(index, value);
        } else if constexpr (std::is_same_v<T, U256>) {
            auto be = value.to_be();
            return bind_blob(index, ByteView(be));
        } else if constexpr (FixedByteString<T>) {
            return bind_blob(index, value.view());
        } else if constexpr (std::is_same_v<T, Bytes>) {
            return bind_blob(index, ByteView(value));
        } else if constexpr (std::is_same_v<T, ByteView>) {
            return bind_blob(index, value);
        } else {
            static_assert(std::is_convertible_v<const T&, std::string_view>, "no SQLite binding for this type");
            return bind_text(index, std::string_view(value));
        }
    }

    Result<void> bind_null(int index);
    Result<void> bind_int64(int index, std::int64_t value);
    // SQLite integers are signed 64-bit: a larger value is refused, never wrapped.
    Result<void> bind_uint64(int index, std::uint64_t value);
    Result<void> bind_blob(int index, ByteView value);
    Result<void> bind_text(int index, std::string_view value);
    Result<void> check(int code) const;
    Error column_error(int column, const Error& inner) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN ... COMMIT with ROLLBACK on every path that does not reach commit(),
// including an early `return fail(...)`.
class Transaction {
public:
    // deferred: a read snapshot, taken at the first read. immediate: takes the
    // write lock at once, waiting up to the busy timeout, so a writer never
    // fails later trying to upgrade a read lock another writer overtook.
    enum class Kind { deferred, immediate };

    static Result<Transaction> begin(const Database& db, Kind kind);

    Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Result<void> commit();

private:
    explicit Transaction(const Database& db) : db_(&db) {}
    const Database* db_ = nullptr;
};

}  // namespace keeper::state::sqlite

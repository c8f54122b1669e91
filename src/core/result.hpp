#pragma once
// What can fail in normal use (untrusted bytes, a node's answer, a config)
// returns Result<T>; exceptions are reserved for bugs (DESIGN.md rule 3).
// GCC 12's std::expected has no monadic operations: use has_value()/value()/error().
#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace keeper {

// What a caller may branch on. Control flow never compares message text: the
// message is for people, the kind for code (issue #17).
enum class ErrorKind : std::uint8_t {
    other,
    unreachable,   // no answer came back (connect, timeout, HTTP status): try again, or elsewhere
    refused,       // a well-formed refusal (a JSON-RPC error object: a revert, a limit); `code` holds its code
    malformed,     // an answer that could not be understood
    bad_checksum,  // an address whose mixed case is not its EIP-55 checksum
    leaves_dust,   // a partial liquidation the pool refuses for what it would leave behind (Aave MUST_NOT_LEAVE_DUST)
};

struct Error {
    std::string message;
    ErrorKind kind = ErrorKind::other;
    std::int64_t code = 0;  // kind == refused: the JSON-RPC error code
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message) {
    return std::unexpected(Error{std::move(message)});
}

// Prefixes a stage name so an error read in a log says where it happened:
// "abi: tuple[1]: offset 96 past end (64 bytes)".
// The kind and code survive: only the words change.
inline Error context(std::string_view stage, const Error& inner) {
    return Error{std::string(stage) + ": " + inner.message, inner.kind, inner.code};
}

}  // namespace keeper

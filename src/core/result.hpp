#pragma once
// What can fail in normal use (untrusted bytes, a node's answer, a config)
// returns Result<T>; exceptions are reserved for bugs (DESIGN.md rule 3).
// GCC 12's std::expected has no monadic operations: use has_value()/value()/error().
#include <expected>
#include <string>
#include <utility>

namespace keeper {

struct Error {
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message) {
    return std::unexpected(Error{std::move(message)});
}

// Prefixes a stage name so an error read in a log says where it happened:
// "abi: tuple[1]: offset 96 past end (64 bytes)".
inline Error context(std::string_view stage, const Error& inner) {
    return Error{std::string(stage) + ": " + inner.message};
}

}  // namespace keeper

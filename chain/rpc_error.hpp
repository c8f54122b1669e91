#pragma once
// What can go wrong with one JSON-RPC call, by kind, so a caller can tell
// "the node is unreachable" (retry elsewhere) from "the node said no"
// (a revert: do not retry) from "the node answered garbage".
// Converts implicitly to keeper::Error, so Result<T> callers need not care.
#include <cstdint>
#include <expected>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace keeper::chain {

struct RpcError {
    enum class Kind {
        transport,  // no response document (connect, timeout, HTTP status)
        rpc,        // a well-formed JSON-RPC error object: code, message, data
        malformed,  // not JSON, wrong id or version, missing or ill-typed field
    };

    Kind kind = Kind::malformed;
    std::string message;      // names the method and the stage or field
    std::int64_t code = 0;    // the JSON-RPC error code when kind == rpc
    nlohmann::json data;      // the error's "data" (e.g. revert bytes) when present, else null

    static RpcError transport(std::string message) { return {Kind::transport, std::move(message), 0, nullptr}; }
    static RpcError malformed(std::string message) { return {Kind::malformed, std::move(message), 0, nullptr}; }

    // The kind (and a refusal's code) survive the conversion: a caller of a
    // Result<T> can still tell an unreachable node from a revert.
    operator Error() const {  // NOLINT(google-explicit-constructor)
        switch (kind) {
            case Kind::transport: return Error{message, ErrorKind::unreachable, 0};
            case Kind::rpc: return Error{message, ErrorKind::refused, code};
            case Kind::malformed: break;
        }
        return Error{message, ErrorKind::malformed, 0};
    }
};

template <class T>
using RpcResult = std::expected<T, RpcError>;

inline std::unexpected<RpcError> rpc_fail(RpcError error) { return std::unexpected(std::move(error)); }

// Prefixes the method or stage, keeping kind, code and data.
inline RpcError rpc_context(std::string_view stage, RpcError inner) {
    inner.message = std::string(stage) + ": " + inner.message;
    return inner;
}

}  // namespace keeper::chain

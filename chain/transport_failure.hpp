#pragma once
// Sorts what came back from a node into "try again (here or elsewhere)" and
// "that is the answer". Retry and failover layers decide on this alone.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keeper::chain {

enum class FailureKind {
    none,          // a usable answer (which may still be a JSON-RPC error such as a revert)
    rate_limited,  // HTTP 429 or a JSON-RPC rate-limit error: back off, then retry
    unavailable,   // connect failure, timeout, HTTP 5xx, a cut or garbled document: retry or fail over
};

// A transport error (no document arrived).
FailureKind classify_transport_error(const Error& error);
// A document that did arrive: rate-limit errors come back as JSON-RPC errors
// (-32005 "limit exceeded", 429), and a truncated body as unparsable JSON.
FailureKind classify_response(std::string_view body);

}  // namespace keeper::chain

#pragma once
// The one thing a JSON-RPC client needs from the network: send a request
// document, get the response document back. Retry, failover and rate limiting
// are Transports wrapping a Transport (DESIGN.md rule 11), and tests replay
// canned answers through a fake one (rule 8).
#include <string>

#include "core/result.hpp"

namespace keeper::chain {

class Transport {
public:
    virtual ~Transport() = default;
    // `request` is a JSON-RPC request object or batch array. An error means no
    // response document arrived (connect, timeout, HTTP status, ...).
    virtual Result<std::string> send(const std::string& request) = 0;
};

}  // namespace keeper::chain

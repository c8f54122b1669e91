#pragma once
// Tells an observer about every request that passes through it: which
// endpoint, which JSON-RPC method, and whether a response document came back.
// Placed around each endpoint's HttpTransport (under failover and retry), it
// sees every attempt on every node: the source of per-endpoint request and
// error counts and of "RPC down". The observer must be quick and must not throw.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "chain/transport.hpp"

namespace keeper::chain {

struct RpcOutcome {
    std::string_view endpoint;  // as given (the caller passes a redacted URL)
    std::string_view method;    // "eth_call", "batch" for a batch array, "unknown" if unreadable
    bool ok = false;            // a response document arrived (its JSON-RPC error, if any, still counts as ok)
    std::string_view error;     // the transport's error when !ok
};

using RpcObserver = std::function<void(const RpcOutcome&)>;

// The method of a request document, read without a JSON parser (the request
// is ours, built by JsonRpcClient): "eth_getLogs", "batch" for an array.
std::string request_method(std::string_view request);

class CountingTransport final : public Transport {
public:
    CountingTransport(std::unique_ptr<Transport> inner, std::string endpoint, RpcObserver observer);
    Result<std::string> send(const std::string& request) override;

private:
    std::unique_ptr<Transport> inner_;
    std::string endpoint_;
    RpcObserver observer_;
};

}  // namespace keeper::chain

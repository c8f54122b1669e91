#pragma once
// A Transport that counts what passes through it, so a benchmark can report
// round trips (HTTP requests: one JSON-RPC batch is one) and bytes moved.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "chain/transport.hpp"

namespace keeper::bench {

struct TransportCounts {
    std::uint64_t requests = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
};

class CountingTransport final : public chain::Transport {
public:
    CountingTransport(std::unique_ptr<chain::Transport> inner, std::shared_ptr<TransportCounts> counts)
        : inner_(std::move(inner)), counts_(std::move(counts)) {}

    Result<std::string> send(const std::string& request) override {
        ++counts_->requests;
        counts_->bytes_sent += request.size();
        auto response = inner_->send(request);
        if (response) counts_->bytes_received += response->size();
        return response;
    }

private:
    std::unique_ptr<chain::Transport> inner_;
    std::shared_ptr<TransportCounts> counts_;
};

}  // namespace keeper::bench

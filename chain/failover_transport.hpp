#pragma once
// Several nodes behind one Transport: requests go to the first endpoint in the
// operator's order that is not cooling down after failures; a failed request
// moves on to the next one at once. An endpoint that failed k times in a row
// is skipped for base_cooldown x 2^(k-1) (capped), then tried again.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "chain/transport.hpp"

namespace keeper::chain {

struct FailoverPolicy {
    std::chrono::milliseconds base_cooldown{1'000};
    std::chrono::milliseconds max_cooldown{60'000};
};

struct EndpointHealth {
    std::string name;
    unsigned consecutive_failures = 0;
    std::uint64_t successes = 0;
    std::uint64_t failures = 0;
    std::chrono::steady_clock::time_point down_until{};
};

class FailoverTransport final : public Transport {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    struct Endpoint {
        std::string name;  // for logs and metrics: the URL without credentials
        std::unique_ptr<Transport> transport;
    };

    FailoverTransport(std::vector<Endpoint> endpoints, FailoverPolicy policy = {}, Clock now = {});
    Result<std::string> send(const std::string& request) override;

    const std::vector<EndpointHealth>& health() const { return health_; }

private:
    std::vector<std::size_t> attempt_order() const;
    void record(std::size_t index, bool ok);

    std::vector<std::unique_ptr<Transport>> transports_;
    std::vector<EndpointHealth> health_;
    FailoverPolicy policy_;
    Clock now_;
};

}  // namespace keeper::chain

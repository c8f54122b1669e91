#pragma once
// Retries a failed or rate-limited request with exponential backoff and full
// jitter, around any Transport. Resending is safe for every call the keeper
// makes: reads are idempotent and a signed transaction resent is the same
// transaction (same hash, same nonce), never a second one.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "chain/transport.hpp"

namespace keeper::chain {

struct RetryPolicy {
    unsigned max_attempts = 4;  // including the first
    std::chrono::milliseconds base_delay{100};
    std::chrono::milliseconds max_delay{5'000};
    std::chrono::milliseconds rate_limit_delay{1'000};  // floor of the wait after a 429
};

// Time, randomness and the wish to stop come in from outside (DESIGN.md
// rule 6; chain/ knows no signal handler).
struct RetryEnvironment {
    std::function<void(std::chrono::milliseconds)> sleep;
    std::function<double()> uniform01;  // jitter source in [0, 1)
    // True when the caller is shutting down: no further attempt and no
    // backoff wait; the last failure is returned as it is. Empty: never.
    std::function<bool()> stopping = nullptr;
};
// Real sleeps, cut short as soon as `stopping` turns true.
RetryEnvironment real_retry_environment(std::function<bool()> stopping = {});

class RetryingTransport final : public Transport {
public:
    RetryingTransport(std::unique_ptr<Transport> inner, RetryPolicy policy, RetryEnvironment environment);
    Result<std::string> send(const std::string& request) override;

    // The delay before attempt `attempt` (1 = the first retry).
    std::chrono::milliseconds backoff(unsigned attempt, bool rate_limited) const;

private:
    bool stopping() const;

    std::unique_ptr<Transport> inner_;
    RetryPolicy policy_;
    RetryEnvironment env_;
};

}  // namespace keeper::chain

#include "chain/retrying_transport.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "chain/transport_failure.hpp"

namespace keeper::chain {

RetryEnvironment real_retry_environment(std::function<bool()> stopping) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto sleep = [stopping](std::chrono::milliseconds d) {
        if (!stopping) {
            std::this_thread::sleep_for(d);
            return;
        }
        // In slices, so a shutdown never waits out a long backoff.
        constexpr std::chrono::milliseconds slice{20};
        const auto until = std::chrono::steady_clock::now() + d;
        while (!stopping()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0) return;
            std::this_thread::sleep_for(std::min(left, slice));
        }
    };
    return RetryEnvironment{
        std::move(sleep),
        [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); },
        std::move(stopping),
    };
}

RetryingTransport::RetryingTransport(std::unique_ptr<Transport> inner, RetryPolicy policy, RetryEnvironment environment)
    : inner_(std::move(inner)), policy_(policy), env_(std::move(environment)) {
    policy_.max_attempts = std::max(policy_.max_attempts, 1u);
}

bool RetryingTransport::stopping() const { return env_.stopping && env_.stopping(); }

std::chrono::milliseconds RetryingTransport::backoff(unsigned attempt, bool rate_limited) const {
    const unsigned shift = std::min(attempt - 1, 20u);
    const auto ceiling = std::min(policy_.max_delay.count(), policy_.base_delay.count() << shift);
    // Full jitter: many keepers retrying against one node must not stampede in step.
    auto delay = static_cast<std::int64_t>(env_.uniform01() * static_cast<double>(ceiling));
    if (rate_limited) delay = std::max<std::int64_t>(delay, policy_.rate_limit_delay.count());
    return std::chrono::milliseconds(delay);
}

Result<std::string> RetryingTransport::send(const std::string& request) {
    Result<std::string> last = fail("retry: no attempt made");
    unsigned attempts = 0;
    for (unsigned attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
        last = inner_->send(request);
        attempts = attempt;
        const FailureKind kind = last.has_value() ? classify_response(*last) : classify_transport_error(last.error());
        if (kind == FailureKind::none) return last;
        if (attempt == policy_.max_attempts || stopping()) break;
        env_.sleep(backoff(attempt, kind == FailureKind::rate_limited));
        if (stopping()) break;
    }
    const std::string count = std::to_string(attempts);
    if (!last.has_value())
        return fail("after " + count + (attempts == 1 ? " attempt" : " attempts") +
                    (stopping() ? " (stopping: no retry)" : "") + ": " + last.error().message);
    return last;  // still rate-limited: hand the node's own error to the caller
}

}  // namespace keeper::chain

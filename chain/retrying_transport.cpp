#include "chain/retrying_transport.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "chain/transport_failure.hpp"

namespace keeper::chain {

RetryEnvironment real_retry_environment() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return RetryEnvironment{
        [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); },
        [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); },
    };
}

RetryingTransport::RetryingTransport(std::unique_ptr<Transport> inner, RetryPolicy policy, RetryEnvironment environment)
    : inner_(std::move(inner)), policy_(policy), env_(std::move(environment)) {
    policy_.max_attempts = std::max(policy_.max_attempts, 1u);
}

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
    for (unsigned attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
        last = inner_->send(request);
        const FailureKind kind = last.has_value() ? classify_response(*last) : classify_transport_error(last.error());
        if (kind == FailureKind::none) return last;
        if (attempt == policy_.max_attempts) break;
        env_.sleep(backoff(attempt, kind == FailureKind::rate_limited));
    }
    const std::string count = std::to_string(policy_.max_attempts);
    if (!last.has_value()) return fail("after " + count + " attempts: " + last.error().message);
    return last;  // still rate-limited: hand the node's own error to the caller
}

}  // namespace keeper::chain

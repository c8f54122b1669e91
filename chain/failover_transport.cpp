#include "chain/failover_transport.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "chain/transport_failure.hpp"

namespace keeper::chain {

FailoverTransport::FailoverTransport(std::vector<Endpoint> endpoints, FailoverPolicy policy, Clock now)
    : policy_(policy), now_(now ? std::move(now) : Clock([] { return std::chrono::steady_clock::now(); })) {
    if (endpoints.empty()) throw std::logic_error("FailoverTransport: no endpoints");
    for (auto& e : endpoints) {
        health_.push_back(EndpointHealth{e.name});
        transports_.push_back(std::move(e.transport));
    }
}

std::vector<std::size_t> FailoverTransport::attempt_order() const {
    // Healthy endpoints in the operator's order, then the cooling ones by who
    // recovers first: when every node is failing we still try them all.
    const auto t = now_();
    std::vector<std::size_t> order(health_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const bool a_up = health_[a].down_until <= t;
        const bool b_up = health_[b].down_until <= t;
        if (a_up != b_up) return a_up;
        if (a_up) return false;  // both healthy: keep configured order
        return health_[a].down_until < health_[b].down_until;
    });
    return order;
}

void FailoverTransport::record(std::size_t index, bool ok) {
    EndpointHealth& h = health_[index];
    if (ok) {
        ++h.successes;
        h.consecutive_failures = 0;
        h.down_until = {};
        return;
    }
    ++h.failures;
    ++h.consecutive_failures;
    const unsigned shift = std::min(h.consecutive_failures - 1, 16u);
    const auto cooldown = std::min<std::chrono::milliseconds>(policy_.max_cooldown, policy_.base_cooldown * (std::int64_t{1} << shift));
    h.down_until = now_() + cooldown;
}

Result<std::string> FailoverTransport::send(const std::string& request) {
    std::string errors;
    for (std::size_t index : attempt_order()) {
        auto answer = transports_[index]->send(request);
        const FailureKind kind =
            answer.has_value() ? classify_response(*answer) : classify_transport_error(answer.error());
        record(index, kind == FailureKind::none);
        if (kind == FailureKind::none) return answer;
        if (!errors.empty()) errors += "; ";
        errors += health_[index].name + ": " + (answer.has_value() ? std::string("rate limited") : answer.error().message);
    }
    return fail("all RPC endpoints failed: " + errors);
}

}  // namespace keeper::chain

#include "keeper/metrics/health.hpp"

namespace keeper::metrics {
namespace {

long long seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

// Whole ether with 4 decimals, rounded down: 50000000000000000 -> "0.0500".
std::string ether(const U256& wei) {
    const U256 one = U256::pow10(18);
    std::string fraction = ((wei % one) / U256::pow10(14)).to_dec();
    return (wei / one).to_dec() + "." + std::string(4 - fraction.size(), '0') + fraction;
}

}  // namespace

nlohmann::json Verdict::to_json(std::string_view key) const {
    return {{std::string(key), ok}, {"reasons", reasons}};
}

Verdict judge_liveness(const HealthInputs& in, const HealthLimits& limits, Clock::time_point now) {
    Verdict v;
    if (in.last_round) {
        const auto gap = seconds_between(*in.last_round, now);
        if (gap > limits.max_round_gap.count())
            v.reasons.push_back("no round finished for " + std::to_string(gap) + " s (limit " +
                                std::to_string(limits.max_round_gap.count()) + " s)");
    } else {
        const auto since = seconds_between(in.started, now);
        if (since > limits.start_grace.count())
            v.reasons.push_back("no round finished " + std::to_string(since) + " s after start (limit " +
                                std::to_string(limits.start_grace.count()) + " s)");
    }
    v.ok = v.reasons.empty();
    return v;
}

Verdict judge_readiness(const HealthInputs& in, const HealthLimits& limits, Clock::time_point now) {
    Verdict v = judge_liveness(in, limits, now);
    if (!in.last_good_round) v.reasons.push_back("not synced: no round has succeeded yet");
    if (!in.head_time) {
        v.reasons.push_back("no head seen yet");
    } else {
        const auto age = seconds_between(*in.head_time, now);
        if (age > limits.max_head_age.count())
            v.reasons.push_back("head is " + std::to_string(age) + " s old (limit " +
                                std::to_string(limits.max_head_age.count()) + " s)");
    }
    if (limits.min_signer_balance_wei) {
        if (!in.signer_balance_wei)
            v.reasons.push_back("signer balance not read yet");
        else if (*in.signer_balance_wei < *limits.min_signer_balance_wei)
            v.reasons.push_back("signer balance " + ether(*in.signer_balance_wei) + " below the minimum " +
                                ether(*limits.min_signer_balance_wei));
    }
    if (in.paused) v.reasons.push_back("actions paused: " + *in.paused);
    v.ok = v.reasons.empty();
    return v;
}

HealthState::HealthState(HealthLimits limits, Clock::time_point started) : limits_(std::move(limits)) {
    inputs_.started = started;
}

void HealthState::round_finished(bool ok, Clock::time_point at) {
    std::lock_guard lock(mutex_);
    inputs_.last_round = at;
    if (ok) inputs_.last_good_round = at;
}

void HealthState::head_seen(Clock::time_point block_time) {
    std::lock_guard lock(mutex_);
    if (!inputs_.head_time || block_time > *inputs_.head_time) inputs_.head_time = block_time;
}

void HealthState::signer_balance(const U256& wei) {
    std::lock_guard lock(mutex_);
    inputs_.signer_balance_wei = wei;
}

void HealthState::actions_paused(std::optional<std::string> reason) {
    std::lock_guard lock(mutex_);
    inputs_.paused = std::move(reason);
}

Verdict HealthState::liveness(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return judge_liveness(inputs_, limits_, now);
}

Verdict HealthState::readiness(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return judge_readiness(inputs_, limits_, now);
}

}  // namespace keeper::metrics

#pragma once
// /healthz and /readyz: what the keeper's main loop reports (HealthState,
// thread-safe) and the pure judgement of it (judge_liveness, judge_readiness),
// with reasons an operator reads.
//
//   live:  the main loop finished a round (good or failed) within
//          max_round_gap; before the first round, within start_grace of start.
//   ready: synced (a round succeeded), the newest head is at most
//          max_head_age old, and, when a minimum is configured, the signer's
//          balance was read and is at least that minimum, and new actions
//          are not paused (margin-keeper pause, the circuit breaker).
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/u256.hpp"

namespace keeper::metrics {

using Clock = std::chrono::system_clock;

struct HealthLimits {
    std::chrono::seconds max_round_gap{120};
    std::chrono::seconds start_grace{1800};  // the initial sync from start_block may take long
    std::chrono::seconds max_head_age{60};
    std::optional<U256> min_signer_balance_wei;
};

struct HealthInputs {
    Clock::time_point started;
    std::optional<Clock::time_point> last_round;     // any result
    std::optional<Clock::time_point> last_good_round;
    std::optional<Clock::time_point> head_time;      // the newest head's block timestamp
    std::optional<U256> signer_balance_wei;
    std::optional<std::string> paused = {};  // why new actions are held back
};

struct Verdict {
    bool ok = false;
    std::vector<std::string> reasons;  // empty when ok
    nlohmann::json to_json(std::string_view key) const;  // {"<key>":bool,"reasons":[...]}
};

Verdict judge_liveness(const HealthInputs& in, const HealthLimits& limits, Clock::time_point now);
Verdict judge_readiness(const HealthInputs& in, const HealthLimits& limits, Clock::time_point now);

class HealthState {
public:
    HealthState(HealthLimits limits, Clock::time_point started);

    void round_finished(bool ok, Clock::time_point at);
    void head_seen(Clock::time_point block_time);
    void signer_balance(const U256& wei);
    void actions_paused(std::optional<std::string> reason);

    Verdict liveness(Clock::time_point now) const;
    Verdict readiness(Clock::time_point now) const;

private:
    HealthLimits limits_;
    mutable std::mutex mutex_;
    HealthInputs inputs_;
};

}  // namespace keeper::metrics

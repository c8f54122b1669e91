#pragma once
// What may stop the keeper from sending a new action, decided without I/O:
// the operator's kill switch (`margin-keeper pause`, a file the round reads),
// a daily spend budget (gas in wei plus capital per token, per UTC day) and a
// circuit breaker (N reverted transactions within M seconds). Time comes in
// as a parameter (DESIGN.md rule 6), so every decision replays in a unit test.
//
// Worked example (tests/unit/daemon/action_guard_test.cpp): a gas budget of
// 0.01 ETH a day; a liquidation with gas limit 400,000 at a max fee of 20 gwei
// may cost 0.008 ETH: the first fits, the second (0.016 in total) is refused
// with reason "budget" until 00:00 UTC. A breaker of 3 reverts in 600 s trips
// at the third revert within 10 minutes, and the round loop pauses actions.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <deque>

#include "core/address.hpp"
#include "core/u256.hpp"

namespace keeper::app {

using SystemClock = std::chrono::system_clock;

// What one action may spend, at most: gas_limit x max_fee_per_gas, and the
// tokens it lets a contract pull from the keeper (protocols::TokenSpend).
struct PlannedSpend {
    U256 gas_wei;
    std::map<Address, U256> capital;  // token -> token units
};

struct SpendLimits {
    std::optional<U256> gas_wei_per_day;      // [safety] daily_gas_budget (native token, decimal)
    std::map<Address, U256> capital_per_day;  // [safety.daily_capital_budget] token -> units
    bool any() const { return gas_wei_per_day.has_value() || !capital_per_day.empty(); }
};

// Days since 1970-01-01 in UTC: the budget's day.
std::int64_t utc_day(SystemClock::time_point at);

// What one UTC day's sends may cost at most, summed.
struct DaySpending {
    std::int64_t day = 0;
    U256 gas_wei;
    std::map<Address, U256> capital;
};

// Spending of one UTC day against the limits; a new day starts from zero.
class DailyBudget {
public:
    using Spent = DaySpending;

    explicit DailyBudget(SpendLimits limits, Spent spent = {});

    // Why `spend` would overrun `day`'s budget ("gas 0.0160 of 0.0100 ETH
    // today"), or nullopt when it fits.
    std::optional<std::string> refuses(const PlannedSpend& spend, std::int64_t day) const;
    void record(const PlannedSpend& spend, std::int64_t day);
    // Today's spending (zero once `day` is past the recorded one).
    Spent spent(std::int64_t day) const;
    const SpendLimits& limits() const { return limits_; }

private:
    SpendLimits limits_;
    Spent spent_;
};

struct BreakerLimits {
    unsigned max_reverts = 0;  // 0: no breaker
    std::chrono::seconds window{600};
};

// N reverted transactions within the window trip it. Tripping forgets the
// reverts (the keeper pauses; after `resume` it starts counting afresh).
class CircuitBreaker {
public:
    explicit CircuitBreaker(BreakerLimits limits) : limits_(limits) {}
    // True when this revert trips the breaker.
    bool reverted(SystemClock::time_point at);
    std::size_t recent(SystemClock::time_point now) const;  // reverts within the window
    const BreakerLimits& limits() const { return limits_; }

private:
    BreakerLimits limits_;
    std::deque<SystemClock::time_point> reverts_;
};

// Why new actions are held back this round, in the words logs, /readyz and
// alerts use. `label` is the metrics' `reason` (paused | budget).
struct Hold {
    std::string label;
    std::string text;
};

// The kill switch first (it stops everything), then the budget.
std::optional<Hold> hold_action(const std::optional<std::string>& pause_reason, const DailyBudget& budget,
                                const PlannedSpend& spend, std::int64_t day);

}  // namespace keeper::app

#include "keeper/daemon/action_guard.hpp"

#include <utility>

#include "keeper/alerts/alert_kinds.hpp"

namespace keeper::app {

std::int64_t utc_day(SystemClock::time_point at) {
    return std::chrono::floor<std::chrono::days>(at).time_since_epoch().count();
}

DailyBudget::DailyBudget(SpendLimits limits, Spent spent) : limits_(std::move(limits)), spent_(std::move(spent)) {}

DailyBudget::Spent DailyBudget::spent(std::int64_t day) const {
    if (spent_.day == day) return spent_;
    Spent fresh;
    fresh.day = day;
    return fresh;
}

std::optional<std::string> DailyBudget::refuses(const PlannedSpend& spend, std::int64_t day) const {
    const Spent today = spent(day);
    if (limits_.gas_wei_per_day) {
        const U256 total = today.gas_wei + spend.gas_wei;
        if (total > *limits_.gas_wei_per_day)
            return "daily gas budget: " + alerts::format_units(total, 18, 4) + " of " +
                   alerts::format_units(*limits_.gas_wei_per_day, 18, 4) + " ETH today with this action";
    }
    for (const auto& [token, amount] : spend.capital) {
        const auto limit = limits_.capital_per_day.find(token);
        if (limit == limits_.capital_per_day.end()) continue;
        const auto used = today.capital.find(token);
        const U256 total = (used == today.capital.end() ? U256() : used->second) + amount;
        if (total > limit->second)
            return "daily capital budget of " + token.checksummed() + ": " + total.to_dec() + " of " +
                   limit->second.to_dec() + " units today with this action";
    }
    return std::nullopt;
}

void DailyBudget::record(const PlannedSpend& spend, std::int64_t day) {
    spent_ = spent(day);
    spent_.gas_wei = spent_.gas_wei + spend.gas_wei;
    for (const auto& [token, amount] : spend.capital) spent_.capital[token] = spent_.capital[token] + amount;
}

bool CircuitBreaker::reverted(SystemClock::time_point at) {
    if (limits_.max_reverts == 0) return false;
    reverts_.push_back(at);
    while (!reverts_.empty() && at - reverts_.front() > limits_.window) reverts_.pop_front();
    if (reverts_.size() < limits_.max_reverts) return false;
    reverts_.clear();
    return true;
}

std::size_t CircuitBreaker::recent(SystemClock::time_point now) const {
    std::size_t n = 0;
    for (const auto& at : reverts_) n += now - at <= limits_.window ? 1 : 0;
    return n;
}

std::optional<Hold> hold_action(const std::optional<std::string>& pause_reason, const DailyBudget& budget,
                                const PlannedSpend& spend, std::int64_t day) {
    if (pause_reason) return Hold{"paused", "actions paused: " + *pause_reason};
    if (auto over = budget.refuses(spend, day)) return Hold{"budget", *over};
    return std::nullopt;
}

}  // namespace keeper::app

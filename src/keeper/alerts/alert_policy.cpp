#include "keeper/alerts/alert_policy.hpp"

#include <algorithm>
#include <utility>

namespace keeper::alerts {
namespace {

constexpr std::chrono::seconds rate_window{60};

// Riskier first: liquidatable before warning, then lower health.
bool riskier(const Alert& a, const Alert& b) {
    if (a.severity != b.severity) return a.severity == Severity::liquidatable;
    return a.account.health_wad < b.account.health_wad;
}

}  // namespace

AlertPolicy::AlertPolicy(U256 warning_health_wad, std::chrono::seconds min_interval, unsigned max_per_minute)
    : warning_health_wad_(warning_health_wad),
      min_interval_(min_interval),
      max_per_minute_(std::max(max_per_minute, 1u)) {}

std::optional<Severity> AlertPolicy::classify(const AccountHealth& account) const {
    if (account.liquidatable) return Severity::liquidatable;
    if (account.health_wad < warning_health_wad_) return Severity::warning;
    return std::nullopt;
}

std::vector<Alert> AlertPolicy::due_alerts(std::span<const AccountHealth> accounts, Clock::time_point now) {
    std::vector<Alert> due;
    for (const AccountHealth& account : accounts) {
        Key key{account.protocol, account.market, account.account};
        const std::optional<Severity> severity = classify(account);
        if (!severity) {
            alerted_.erase(key);  // healthy again: the next risk alerts at once
            continue;
        }
        auto it = alerted_.find(key);
        const bool first = it == alerted_.end();
        const bool worse = !first && *severity == Severity::liquidatable &&
                           it->second.last_severity == Severity::warning;
        const bool reminder = !first && now - it->second.last_at >= min_interval_;
        if (!first && !worse && !reminder) continue;
        // Decided, not delivered: an alert folded into a summary counts as sent,
        // or the same account would be folded again at every call.
        alerted_.insert_or_assign(std::move(key), Alerted{*severity, now});
        due.push_back(Alert{*severity, account, alert_text(*severity, account, warning_health_wad_)});
    }
    std::stable_sort(due.begin(), due.end(), riskier);
    return due;
}

void AlertPolicy::fold(Alert alert) {
    ++pending_.count;
    ++suppressed_total_;
    if (alert.severity == Severity::liquidatable) ++pending_.liquidatable;
    if (!pending_.worst || riskier(alert, *pending_.worst)) pending_.worst = std::move(alert);
}

Alert AlertPolicy::summary() const {
    const Alert& worst = *pending_.worst;
    std::string text = "and " + std::to_string(pending_.count) + (pending_.count == 1 ? " more account (" : " more accounts (") +
                       std::to_string(pending_.liquidatable) + " liquidatable, " +
                       std::to_string(pending_.count - pending_.liquidatable) +
                       " warning) held back by the alert rate limit of " + std::to_string(max_per_minute_) +
                       "/min; worst: " + worst.text;
    return Alert{worst.severity, worst.account, std::move(text), pending_.count};
}

std::vector<Alert> AlertPolicy::observe(std::span<const AccountHealth> accounts, Clock::time_point now) {
    std::vector<Alert> due = due_alerts(accounts, now);

    while (!sent_.empty() && sent_.front() <= now - rate_window) sent_.pop_front();
    const std::size_t free = max_per_minute_ - std::min<std::size_t>(sent_.size(), max_per_minute_);

    std::vector<Alert> out;
    const bool overflow = pending_.count > 0 || due.size() > free;
    // With more due than slots, the last free slot carries the summary.
    const std::size_t singles = overflow ? (free == 0 ? 0 : free - 1) : due.size();
    for (std::size_t i = 0; i < due.size(); ++i) {
        if (i < singles) {
            out.push_back(std::move(due[i]));
        } else {
            fold(std::move(due[i]));
        }
    }
    if (pending_.count > 0 && free > 0) {
        out.push_back(summary());
        pending_ = Folded{};
    }
    for (std::size_t i = 0; i < out.size(); ++i) sent_.push_back(now);
    return out;
}

}  // namespace keeper::alerts

#include "keeper/alerts/alert_policy.hpp"

#include <algorithm>
#include <set>
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

void AlertPolicy::resolve(const Alerted& alerted, const AccountHealth& now_health) {
    if (!alerted.open_incident) return;
    const Severity severity = *alerted.open_incident;
    std::string text = "RESOLVED " + alert_text(severity, now_health, warning_health_wad_);
    if (now_health.health_wad == U256::max()) {
        // No row: the account has no debt left. Say so rather than "health inf".
        text = text.substr(0, text.find(": health ")) + ": no debt left";
    }
    resolves_.push_back(Alert{severity, now_health, std::move(text), 0, std::nullopt, AlertEvent::resolve});
}

// A delivered alert opens its account's incident and closes the one of the
// other kind, if any.
void AlertPolicy::opened(const Alert& delivered) {
    const AccountHealth& account = delivered.account;
    const auto it = alerted_.find(Key{account.protocol, account.market, account.account});
    if (it == alerted_.end()) return;
    if (it->second.open_incident && *it->second.open_incident != delivered.severity) resolve(it->second, account);
    it->second.open_incident = delivered.severity;
}

std::vector<Alert> AlertPolicy::due_alerts(std::span<const AccountHealth> accounts, Clock::time_point now,
                                           std::span<const std::string> covered_protocols) {
    std::vector<Alert> due;
    std::set<Key> seen;
    for (const AccountHealth& account : accounts) {
        Key key{account.protocol, account.market, account.account};
        seen.insert(key);
        const std::optional<Severity> severity = classify(account);
        if (!severity) {
            // Healthy again: its incident resolves, the next risk alerts at once.
            if (const auto it = alerted_.find(key); it != alerted_.end()) {
                resolve(it->second, account);
                alerted_.erase(it);
            }
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
        const std::optional<Severity> open = first ? std::nullopt : it->second.open_incident;
        alerted_.insert_or_assign(std::move(key), Alerted{*severity, now, open});
        due.push_back(Alert{*severity, account, alert_text(*severity, account, warning_health_wad_)});
    }
    // Absent from a protocol read in full: no debt left.
    for (auto it = alerted_.begin(); it != alerted_.end();) {
        const auto& [protocol, market, address] = it->first;
        const bool covered = std::find(covered_protocols.begin(), covered_protocols.end(), protocol) !=
                             covered_protocols.end();
        if (!covered || seen.contains(it->first)) {
            ++it;
            continue;
        }
        resolve(it->second, AccountHealth{protocol, market, address, U256::max(), false});
        it = alerted_.erase(it);
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
    std::string text = "and " + std::to_string(pending_.count) +
                       (pending_.count == 1 ? " more account (" : " more accounts (") +
                       std::to_string(pending_.liquidatable) + " liquidatable, " +
                       std::to_string(pending_.count - pending_.liquidatable) +
                       " warning) held back by the alert rate limit of " + std::to_string(max_per_minute_) +
                       "/min; worst: " + worst.text;
    return Alert{worst.severity, worst.account, std::move(text), pending_.count};
}

std::vector<Alert> AlertPolicy::observe(std::span<const AccountHealth> accounts, Clock::time_point now,
                                        std::span<const std::string> covered_protocols) {
    resolves_.clear();
    std::vector<Alert> due = due_alerts(accounts, now, covered_protocols);

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
    // A summary's incident is its worst account's (dedup_key_of).
    for (const Alert& alert : out) opened(alert);
    return out;
}

}  // namespace keeper::alerts

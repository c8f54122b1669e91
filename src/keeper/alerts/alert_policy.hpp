#pragma once
// Which accounts deserve an operator alert now, and how many alerts a channel
// may take. Pure: the clock is a parameter (DESIGN.md rule 6), so every
// decision replays in a unit test.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/address.hpp"
#include "core/u256.hpp"
#include "keeper/alerts/alert.hpp"

namespace keeper::alerts {

// An account alerts when it ENTERS a worse state (healthy -> warning,
// healthy/warning -> liquidatable) and again only after `min_interval` if it
// stays at risk; recovering to healthy re-arms it. An account is liquidatable
// when its `liquidatable` flag says so, at warning when its health is below
// `warning_health_wad` (1.05e18, say), else healthy. Accounts absent from a
// call keep their state.
//
// At most `max_per_minute` alerts leave per rolling minute overall (0 counts
// as 1). When more are due, the riskiest go out one by one (liquidatable
// first, then lowest health) and the rest are folded into one summary alert
// ("and 37 more accounts ...") in the last free slot of this call or, when
// none is free, of the next call that has one. Nothing is dropped silently:
// suppressed_total() counts every folded alert.
class AlertPolicy {
public:
    using Clock = std::chrono::system_clock;

    AlertPolicy(U256 warning_health_wad, std::chrono::seconds min_interval, unsigned max_per_minute);

    std::vector<Alert> observe(std::span<const AccountHealth> accounts, Clock::time_point now,
                               std::span<const std::string> covered_protocols = {});
    // The resolves the last observe() decided (event resolve, the incident's
    // severity, "RESOLVED ..." text), taken once.
    std::vector<Alert> take_resolves() { return std::exchange(resolves_, {}); }

    // Alerts folded into summaries since construction, including those whose
    // summary still waits for a free slot.
    std::uint64_t suppressed_total() const { return suppressed_total_; }
    // Folded alerts whose summary has not been sent yet.
    std::uint64_t suppressed_pending() const { return pending_.count; }

private:
    using Key = std::tuple<std::string, std::string, Address>;  // protocol, market, account

    struct Alerted {
        Severity last_severity;
        Clock::time_point last_at;
        std::optional<Severity> open_incident;  // delivered and not resolved
    };

    struct Folded {
        std::uint64_t count = 0;
        std::uint64_t liquidatable = 0;
        std::optional<Alert> worst;
    };

    std::optional<Severity> classify(const AccountHealth& account) const;
    std::vector<Alert> due_alerts(std::span<const AccountHealth> accounts, Clock::time_point now,
                                  std::span<const std::string> covered_protocols);
    void resolve(const Alerted& alerted, const AccountHealth& now_health);
    void opened(const Alert& delivered);
    void fold(Alert alert);
    Alert summary() const;

    U256 warning_health_wad_;
    std::chrono::seconds min_interval_;
    unsigned max_per_minute_;
    std::map<Key, Alerted> alerted_;      // accounts at risk that were alerted since they were last healthy
    std::deque<Clock::time_point> sent_;  // when each alert of the last minute left
    Folded pending_;
    std::uint64_t suppressed_total_ = 0;
    std::vector<Alert> resolves_;
};

}  // namespace keeper::alerts

#pragma once
// Every Prometheus metric the keeper exports, owned by one object with a
// typed method per observation, so names and labels live in one file. The
// exposition is prometheus-cpp's (TextSerializer over the registry).
//
//   name                                   type       labels                        meaning
//   keeper_head_block                      gauge      -                             newest head seen
//   keeper_head_lag_seconds                gauge      -                             now - timestamp of the newest head seen (set at scrape)
//   keeper_head_lag_blocks                 gauge      -                             newest head seen - block last processed
//   keeper_round_duration_seconds          histogram  -                             one round of the main loop
//   keeper_rounds_total                    counter    result=ok|failed              rounds run
//   keeper_positions_tracked               gauge      protocol                      positions with debt
//   keeper_positions_liquidatable          gauge      protocol                      by the contract's own rule
//   keeper_actions_total                   counter    protocol, outcome, reason     outcome=sent|confirmed|reverted|declined
//   keeper_in_flight_transactions          gauge      -                             sent, not final
//   keeper_signer_balance                  gauge      token                         in whole tokens (ETH, not wei)
//   keeper_rpc_requests_total              counter    endpoint, method              endpoint = scheme://host[:port] only
//   keeper_rpc_errors_total                counter    endpoint, method              no response document (connect, timeout, status)
//   keeper_oracle_age_seconds              gauge      feed                          since the feed's last update
//   keeper_alerts_total                    counter    kind                          alerts raised, by alerts::AlertKind name
//   keeper_realised_profit                 gauge      token                         whole tokens: the keeper's net balance change
//                                                                                    from its liquidations since start (collateral
//                                                                                    received +, debt paid -, gas in ETH -)
//   keeper_actions_paused                  gauge      -                             1 while new actions are held back (pause file)
//
// Thread-safe (prometheus-cpp's metrics are atomic; the label lookups lock).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace keeper::metrics {

enum class ActionOutcome { sent, confirmed, reverted, declined };
std::string_view outcome_name(ActionOutcome outcome);

class KeeperMetrics {
public:
    using Clock = std::chrono::system_clock;

    KeeperMetrics();

    // Main loop.
    void head_seen(std::uint64_t block, Clock::time_point block_time);
    void round_finished(std::chrono::duration<double> duration, bool ok, std::uint64_t processed_block);
    void in_flight(std::size_t transactions);
    // Round loop / executor (the lead wires these).
    void positions(std::string_view protocol, std::size_t tracked, std::size_t liquidatable);
    // One round's work of a protocol (issue #18), two counters by protocol:
    // keeper_exact_evaluations_total (positions judged in the contract's
    // integer arithmetic) and keeper_screen_misses_total (positions an audit
    // found liquidatable that the float screen had not flagged: a bug, stays 0).
    void exact_evaluations(std::string_view protocol, std::size_t judged, std::size_t missed_by_screen);
    void action(std::string_view protocol, ActionOutcome outcome, std::string_view reason = "");
    void signer_balance(std::string_view token, double whole_tokens);
    void oracle_age(std::string_view feed, std::chrono::seconds age);
    // Adds a (signed) balance change of `token` to its running total.
    void realised_profit(std::string_view token, double whole_tokens);
    void actions_paused(bool paused);
    // Transport layer and alerts.
    void rpc_request(std::string_view endpoint, std::string_view method, bool ok);
    void alert_raised(std::string_view kind);

    // Sets the time-dependent gauges (head lag) as of `now`, then the text
    // exposition of every family (Prometheus text format 0.0.4).
    std::string scrape(Clock::time_point now);

    std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
    // Seconds since the newest head's timestamp, when a head was seen.
    std::optional<double> head_age_seconds(Clock::time_point now) const;

private:
    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Gauge& head_block_;
    prometheus::Gauge& head_lag_seconds_;
    prometheus::Gauge& head_lag_blocks_;
    prometheus::Histogram& round_duration_;
    prometheus::Family<prometheus::Counter>& rounds_;
    prometheus::Family<prometheus::Gauge>& positions_tracked_;
    prometheus::Family<prometheus::Gauge>& positions_liquidatable_;
    prometheus::Family<prometheus::Counter>& actions_;
    prometheus::Gauge& in_flight_;
    prometheus::Family<prometheus::Gauge>& signer_balance_;
    prometheus::Family<prometheus::Counter>& rpc_requests_;
    prometheus::Family<prometheus::Counter>& rpc_errors_;
    prometheus::Family<prometheus::Gauge>& oracle_age_;
    prometheus::Family<prometheus::Counter>& alerts_;
    prometheus::Family<prometheus::Gauge>& realised_profit_;
    prometheus::Gauge& actions_paused_;
    prometheus::Family<prometheus::Counter>& exact_evaluations_;
    prometheus::Family<prometheus::Counter>& screen_misses_;
    std::atomic<std::int64_t> head_time_ms_{-1};
    std::atomic<std::uint64_t> head_block_seen_{0};
};

// Every metric family name above, in that order (for docs and the dashboard check).
const std::vector<std::string>& metric_names();

}  // namespace keeper::metrics

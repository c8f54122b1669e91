#include "keeper/metrics/keeper_metrics.hpp"

#include <prometheus/text_serializer.h>

namespace keeper::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

// 10 ms .. ~80 s: a round is a few RPC calls on a healthy node, a minute when
// a node hangs and the transport fails over.
prometheus::Histogram::BucketBoundaries round_buckets() {
    return {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80};
}

std::string text(std::string_view s) { return std::string(s); }

}  // namespace

std::string_view outcome_name(ActionOutcome outcome) {
    switch (outcome) {
        case ActionOutcome::sent: return "sent";
        case ActionOutcome::confirmed: return "confirmed";
        case ActionOutcome::reverted: return "reverted";
        case ActionOutcome::declined: return "declined";
    }
    return "sent";
}

const std::vector<std::string>& metric_names() {
    static const std::vector<std::string> names = {
        "keeper_head_block",
        "keeper_head_lag_seconds",
        "keeper_head_lag_blocks",
        "keeper_round_duration_seconds",
        "keeper_rounds_total",
        "keeper_positions_tracked",
        "keeper_positions_liquidatable",
        "keeper_actions_total",
        "keeper_in_flight_transactions",
        "keeper_signer_balance",
        "keeper_rpc_requests_total",
        "keeper_rpc_errors_total",
        "keeper_oracle_age_seconds",
        "keeper_alerts_total",
        "keeper_realised_profit",
        "keeper_actions_paused",
        "keeper_exact_evaluations_total",
        "keeper_screen_misses_total",
    };
    return names;
}

KeeperMetrics::KeeperMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      head_block_(BuildGauge().Name("keeper_head_block").Help("Newest head block seen").Register(*registry_).Add({})),
      head_lag_seconds_(BuildGauge()
                            .Name("keeper_head_lag_seconds")
                            .Help("Seconds between now and the timestamp of the newest head seen")
                            .Register(*registry_)
                            .Add({})),
      head_lag_blocks_(BuildGauge()
                           .Name("keeper_head_lag_blocks")
                           .Help("Newest head seen minus the block the last round processed")
                           .Register(*registry_)
                           .Add({})),
      round_duration_(BuildHistogram()
                          .Name("keeper_round_duration_seconds")
                          .Help("Duration of one round of the main loop")
                          .Register(*registry_)
                          .Add({}, round_buckets())),
      rounds_(BuildCounter().Name("keeper_rounds_total").Help("Rounds run, by result").Register(*registry_)),
      positions_tracked_(
          BuildGauge().Name("keeper_positions_tracked").Help("Positions with debt, per protocol").Register(*registry_)),
      positions_liquidatable_(BuildGauge()
                                  .Name("keeper_positions_liquidatable")
                                  .Help("Positions the contract would liquidate now, per protocol")
                                  .Register(*registry_)),
      actions_(BuildCounter()
                   .Name("keeper_actions_total")
                   .Help("Liquidation actions by protocol, outcome (sent, confirmed, reverted, declined) and reason")
                   .Register(*registry_)),
      in_flight_(BuildGauge()
                     .Name("keeper_in_flight_transactions")
                     .Help("Transactions sent and not yet final")
                     .Register(*registry_)
                     .Add({})),
      signer_balance_(BuildGauge()
                          .Name("keeper_signer_balance")
                          .Help("Signer balance per token, in whole tokens")
                          .Register(*registry_)),
      rpc_requests_(BuildCounter()
                        .Name("keeper_rpc_requests_total")
                        .Help("JSON-RPC requests by endpoint (scheme://host[:port]) and method")
                        .Register(*registry_)),
      rpc_errors_(BuildCounter()
                      .Name("keeper_rpc_errors_total")
                      .Help("JSON-RPC requests that got no response document, by endpoint and method")
                      .Register(*registry_)),
      oracle_age_(BuildGauge()
                      .Name("keeper_oracle_age_seconds")
                      .Help("Seconds since each price feed's last update")
                      .Register(*registry_)),
      alerts_(BuildCounter().Name("keeper_alerts_total").Help("Operator alerts raised, by kind").Register(*registry_)),
      realised_profit_(BuildGauge()
                           .Name("keeper_realised_profit")
                           .Help("Net balance change of the keeper from its liquidations since start, per token, in "
                                 "whole tokens (collateral received, debt paid, gas in ETH)")
                           .Register(*registry_)),
      actions_paused_(BuildGauge()
                          .Name("keeper_actions_paused")
                          .Help("1 while new actions are held back by the pause file (margin-keeper pause or the "
                                "circuit breaker)")
                          .Register(*registry_)
                          .Add({})),
      exact_evaluations_(BuildCounter()
                             .Name("keeper_exact_evaluations_total")
                             .Help("Positions judged in the contract's integer arithmetic, per protocol (all of them "
                                   "on audit rounds, the screen's flagged and the events' named in between)")
                             .Register(*registry_)),
      screen_misses_(BuildCounter()
                         .Name("keeper_screen_misses_total")
                         .Help("Positions an audit found liquidatable that the float screen had not flagged, per "
                               "protocol (a screening bug: should stay 0)")
                         .Register(*registry_)) {}

void KeeperMetrics::head_seen(std::uint64_t block, Clock::time_point block_time) {
    head_block_seen_.store(block);
    head_block_.Set(static_cast<double>(block));
    head_time_ms_.store(std::chrono::duration_cast<std::chrono::milliseconds>(block_time.time_since_epoch()).count());
}

void KeeperMetrics::round_finished(std::chrono::duration<double> duration, bool ok, std::uint64_t processed_block) {
    round_duration_.Observe(duration.count());
    rounds_.Add({{"result", ok ? "ok" : "failed"}}).Increment();
    if (!ok) return;
    const std::uint64_t seen = head_block_seen_.load();
    head_lag_blocks_.Set(seen > processed_block ? static_cast<double>(seen - processed_block) : 0.0);
}

void KeeperMetrics::in_flight(std::size_t transactions) { in_flight_.Set(static_cast<double>(transactions)); }

void KeeperMetrics::positions(std::string_view protocol, std::size_t tracked, std::size_t liquidatable) {
    positions_tracked_.Add({{"protocol", text(protocol)}}).Set(static_cast<double>(tracked));
    positions_liquidatable_.Add({{"protocol", text(protocol)}}).Set(static_cast<double>(liquidatable));
}

void KeeperMetrics::exact_evaluations(std::string_view protocol, std::size_t judged, std::size_t missed_by_screen) {
    exact_evaluations_.Add({{"protocol", text(protocol)}}).Increment(static_cast<double>(judged));
    // Created at 0 with the first round, so the series exists before any miss.
    screen_misses_.Add({{"protocol", text(protocol)}}).Increment(static_cast<double>(missed_by_screen));
}

void KeeperMetrics::action(std::string_view protocol, ActionOutcome outcome, std::string_view reason) {
    actions_.Add({{"protocol", text(protocol)}, {"outcome", text(outcome_name(outcome))}, {"reason", text(reason)}})
        .Increment();
}

void KeeperMetrics::signer_balance(std::string_view token, double whole_tokens) {
    signer_balance_.Add({{"token", text(token)}}).Set(whole_tokens);
}

void KeeperMetrics::oracle_age(std::string_view feed, std::chrono::seconds age) {
    oracle_age_.Add({{"feed", text(feed)}}).Set(static_cast<double>(age.count()));
}

void KeeperMetrics::realised_profit(std::string_view token, double whole_tokens) {
    realised_profit_.Add({{"token", text(token)}}).Increment(whole_tokens);
}

void KeeperMetrics::actions_paused(bool paused) { actions_paused_.Set(paused ? 1.0 : 0.0); }

void KeeperMetrics::rpc_request(std::string_view endpoint, std::string_view method, bool ok) {
    const prometheus::Labels labels{{"endpoint", text(endpoint)}, {"method", text(method)}};
    rpc_requests_.Add(labels).Increment();
    if (!ok) rpc_errors_.Add(labels).Increment();
}

void KeeperMetrics::alert_raised(std::string_view kind) { alerts_.Add({{"kind", text(kind)}}).Increment(); }

std::optional<double> KeeperMetrics::head_age_seconds(Clock::time_point now) const {
    const std::int64_t ms = head_time_ms_.load();
    if (ms < 0) return std::nullopt;
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    return static_cast<double>(now_ms - ms) / 1000.0;
}

std::string KeeperMetrics::scrape(Clock::time_point now) {
    if (auto age = head_age_seconds(now)) head_lag_seconds_.Set(*age);
    return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace keeper::metrics

#include "keeper/alerts/operator_alerts.hpp"

#include <algorithm>
#include <utility>

#include "net/url_redaction.hpp"

namespace keeper::alerts {

OperatorAlerts::OperatorAlerts(AlertThresholds thresholds, Sink sink)
    : thresholds_(thresholds),
      sink_(std::move(sink)),
      policy_(thresholds.warning_health_wad, thresholds.min_interval, thresholds.max_per_minute) {}

void OperatorAlerts::emit(Alert alert) {
    ++raised_;
    if (sink_) sink_(std::move(alert));
}

void OperatorAlerts::accounts(std::span<const AccountHealth> accounts, AlertPolicy::Clock::time_point now,
                              std::span<const std::string> covered_protocols) {
    std::lock_guard lock(mutex_);
    for (Alert& alert : policy_.observe(accounts, now, covered_protocols)) emit(std::move(alert));
    for (Alert& alert : policy_.take_resolves()) emit(std::move(alert));
}

void OperatorAlerts::liquidation_sent(const LiquidationSent& sent) {
    std::lock_guard lock(mutex_);
    emit(liquidation_sent_alert(sent));
}

void OperatorAlerts::liquidation_failed(const LiquidationFailed& failed) {
    std::lock_guard lock(mutex_);
    emit(liquidation_failed_alert(failed));
}

void OperatorAlerts::signer_balance(const SignerBalance& balance) {
    std::lock_guard lock(mutex_);
    const std::string key = "signer/" + balance.signer.checksummed() + "/" + balance.token;
    if (auto event = latch_.observe(key, balance.balance < balance.minimum))
        emit(signer_balance_alert(balance, *event));
}

void OperatorAlerts::oracle_age(const OracleAge& age) {
    std::lock_guard lock(mutex_);
    if (auto event = latch_.observe("oracle/" + age.feed, age.age_s > age.max_age_s))
        emit(oracle_stale_alert(age, *event));
}

void OperatorAlerts::exchange_price(const ExchangeDeviation& deviation) {
    std::lock_guard lock(mutex_);
    if (auto event = latch_.observe("exchange/" + deviation.asset, deviation.bps > deviation.max_bps))
        emit(exchange_deviation_alert(deviation, *event));
}

void OperatorAlerts::rpc_status(const RpcStatus& status) {
    std::lock_guard lock(mutex_);
    const std::string endpoint = net::redact_url(status.url);
    unsigned& failures = rpc_failures_[endpoint];
    failures = status.up ? 0 : failures + 1;
    const bool down = failures >= std::max(thresholds_.rpc_failures_before_down, 1u);
    if (!status.up && !down) return;  // not yet: the transport retries and fails over
    if (auto event = latch_.observe("rpc/" + endpoint, down)) emit(rpc_down_alert(status, *event));
}

void OperatorAlerts::reorg(const Reorg& reorg) {
    std::lock_guard lock(mutex_);
    if (auto alert = reorg_alert(reorg, thresholds_.reorg_depth)) emit(std::move(*alert));
}

void OperatorAlerts::actions_paused(const ActionsPaused& paused, bool active) {
    std::lock_guard lock(mutex_);
    if (auto event = latch_.observe("paused/" + paused.cause, active)) emit(actions_paused_alert(paused, *event));
}

std::uint64_t OperatorAlerts::raised() const {
    std::lock_guard lock(mutex_);
    return raised_;
}

}  // namespace keeper::alerts

#include "keeper/daemon/operations.hpp"

#include <bit>

#include <spdlog/spdlog.h>

#include "keeper/alerts/channels_from_config.hpp"

#include "keeper/daemon/rpc_stack.hpp"

namespace keeper::app {

namespace {

// Every alert is logged; with channels it is queued for each (never posted
// here: the round does not wait for a webhook).
void deliver(const alerts::Alert& alert, alerts::AlertChannels* channels, metrics::KeeperMetrics* metrics) {
    const auto kind = alerts::kind_name(alerts::kind_of(alert));
    if (metrics) metrics->alert_raised(kind);
    spdlog::info("alert {} {}: {}", kind, alerts::event_name(alert.event), alert.text);
    if (!channels) return;
    if (channels->enqueue(alert) && std::has_single_bit(channels->counts().dropped))  // 1, 2, 4, ...: not every time
        spdlog::warn("alert queue full (a channel is slow or down): dropped the oldest; {} dropped so far",
                     channels->counts().dropped);
}

}  // namespace

Result<std::unique_ptr<DaemonOperations>> DaemonOperations::start(const config::KeeperConfig& config) {
    std::unique_ptr<DaemonOperations> ops(
        new DaemonOperations(service::ServiceHeartbeat(service::ServiceNotifier::from_environment())));
    auto channels = alerts::channels_from_config(config.alerts, config::process_getenv);
    if (!channels) return std::unexpected(channels.error());
    if (!channels->empty()) {
        std::string names;
        for (const auto& c : *channels) names += (names.empty() ? "" : ", ") + c.name + " " + redact_url(c.url);
        ops->channels_ = std::make_unique<alerts::AlertChannels>(
            std::move(*channels), alerts::DispatcherOptions{},
            [](const std::string& line) { spdlog::warn("{}", line); });
        spdlog::info("alerts to {}", names);
    }
    ops->alerts_ = std::make_unique<alerts::OperatorAlerts>(
        alerts::thresholds_from_config(config.alerts),
        [o = ops.get()](alerts::Alert alert) { deliver(alert, o->channels_.get(), o->metrics_.get()); });
    // Every attempt on every endpoint: counted with [metrics], and an endpoint
    // failing rpc_failures_before_down times in a row alerts as down.
    observe_rpc_requests([o = ops.get()](const chain::RpcOutcome& outcome) {
        if (o->metrics_) o->metrics_->rpc_request(outcome.endpoint, outcome.method, outcome.ok);
        o->alerts_->rpc_status({std::string(outcome.endpoint), outcome.ok, std::string(outcome.error)});
    });
    if (!config.metrics.listen) return ops;
    auto address = metrics::parse_listen_address(*config.metrics.listen);
    if (!address) return fail("[metrics] " + address.error().message);
    ops->metrics_ = std::make_unique<metrics::KeeperMetrics>();
    metrics::HealthLimits limits;
    limits.max_head_age = config.metrics.ready_max_head_age;
    limits.max_round_gap = config.metrics.live_max_round_gap;
    limits.min_signer_balance_wei = config.alerts.min_signer_balance_wei;
    ops->health_ = std::make_unique<metrics::HealthState>(limits, metrics::Clock::now());
    ops->status_ = std::make_unique<metrics::StatusBoard>();
    auto server = metrics::MetricsServer::start(*address, *ops->metrics_, *ops->health_, ops->status_.get());
    if (!server) return std::unexpected(server.error());
    ops->server_ = std::move(*server);
    spdlog::info("metrics, /healthz and /readyz on http://{}:{}/", address->host, ops->server_->port());
    spdlog::info("status page on http://{}:{}/status", address->host, ops->server_->port());
    return ops;
}

void DaemonOperations::head_seen(const chain::BlockHeader& head) {
    newest_head_seen_ = head.number;
    if (!metrics_) return;
    const auto at = metrics::Clock::time_point(std::chrono::seconds(head.timestamp));
    metrics_->head_seen(head.number, at);
    health_->head_seen(at);
}

void DaemonOperations::round_started() { round_start_ = std::chrono::steady_clock::now(); }

void DaemonOperations::round_finished(bool ok, std::uint64_t processed_head, std::size_t in_flight) {
    heartbeat_.round_finished(ok);
    if (!metrics_) return;
    metrics_->round_finished(std::chrono::steady_clock::now() - round_start_, ok, processed_head);
    if (ok) metrics_->in_flight(in_flight);
    health_->round_finished(ok, metrics::Clock::now());
}

void DaemonOperations::stopping() {
    heartbeat_.stopping();
    if (server_) server_->stop();
    observe_rpc_requests({});
    if (channels_) channels_->stop();
}

std::optional<std::uint16_t> DaemonOperations::metrics_port() const {
    if (!server_) return std::nullopt;
    return server_->port();
}

}  // namespace keeper::app

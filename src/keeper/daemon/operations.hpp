#pragma once
// What the daemon's main loop tells the outside world, in one object so
// run_command needs a handful of calls: systemd (READY after the first good
// round, WATCHDOG after every round, STOPPING), and, with a [metrics]
// section, the Prometheus metrics, /healthz, /readyz and the status page
// (/status, /status.json) on one listener; the operator alerts to every
// configured channel (and the log); RPC requests counted per endpoint and
// method, an endpoint failing in a row alerted as down. Per-action,
// per-protocol, signer, oracle and profit observations belong to the round
// loop (OperatorFeed), which gets the sinks from here.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "chain/rpc_types.hpp"
#include "core/result.hpp"
#include "keeper/alerts/alert_channels.hpp"
#include "keeper/alerts/operator_alerts.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/metrics/health.hpp"
#include "keeper/metrics/keeper_metrics.hpp"
#include "keeper/metrics/keeper_status.hpp"
#include "keeper/metrics/metrics_server.hpp"
#include "keeper/service/service_notifier.hpp"

namespace keeper::app {

class DaemonOperations {
public:
    // Starts the metrics listener when configured (an error when it cannot
    // bind) and, when it is, counts every RPC request from now on.
    static Result<std::unique_ptr<DaemonOperations>> start(const config::KeeperConfig& config);

    void head_seen(const chain::BlockHeader& head);
    void round_started();
    // `processed_head` = TickReport::head of a good round.
    void round_finished(bool ok, std::uint64_t processed_head, std::size_t in_flight);
    void stopping();

    metrics::KeeperMetrics* metrics() { return metrics_.get(); }  // null without [metrics]
    metrics::HealthState* health() { return health_.get(); }
    alerts::OperatorAlerts* alerts() { return alerts_.get(); }
    // Where the round loop publishes the status page's snapshot (null without [metrics]).
    metrics::StatusBoard* status_board() { return status_.get(); }
    std::uint64_t newest_head_seen() const { return newest_head_seen_; }  // the head source's last (0: none yet)
    std::optional<std::uint16_t> metrics_port() const;

private:
    explicit DaemonOperations(service::ServiceHeartbeat heartbeat) : heartbeat_(std::move(heartbeat)) {}

    service::ServiceHeartbeat heartbeat_;
    std::unique_ptr<metrics::KeeperMetrics> metrics_;
    std::unique_ptr<metrics::HealthState> health_;
    std::unique_ptr<metrics::StatusBoard> status_;
    std::unique_ptr<metrics::MetricsServer> server_;
    std::unique_ptr<alerts::AlertChannels> channels_;  // each its own thread: a hung webhook never holds up a round
    std::unique_ptr<alerts::OperatorAlerts> alerts_;
    std::chrono::steady_clock::time_point round_start_{};
    std::uint64_t newest_head_seen_ = 0;
};

}  // namespace keeper::app

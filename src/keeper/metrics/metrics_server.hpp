#pragma once
// One small HTTP listener (Boost.Beast, one thread) for what operators and
// orchestrators poll: GET /metrics (KeeperMetrics, Prometheus text format),
// GET /healthz (live) and GET /readyz (ready), the latter two 200 or 503 with
// {"live"|"ready":bool,"reasons":[...]}, and the status page: GET /status
// the HTML page, GET /status.json the newest KeeperStatus (503
// before the first round). prometheus-cpp's own Exposer cannot serve extra
// paths, so they all share this listener and [metrics] listen's one port.
// Each connection gets 5 s and one request.
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "keeper/metrics/health.hpp"
#include "keeper/metrics/keeper_metrics.hpp"
#include "keeper/metrics/keeper_status.hpp"

namespace keeper::metrics {

struct ListenAddress {
    std::string host;      // "127.0.0.1", "::1", "0.0.0.0"
    std::uint16_t port = 0;
};

// "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464"; port 0 picks a free one.
Result<ListenAddress> parse_listen_address(std::string_view text);

class MetricsServer {
public:
    // `status`: where /status.json reads from (null: 503, as before the first round).
    static Result<std::unique_ptr<MetricsServer>> start(const ListenAddress& address, KeeperMetrics& metrics,
                                                        HealthState& health, const StatusBoard* status = nullptr);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    std::uint16_t port() const;
    void stop();  // idempotent; joins the thread

private:
    struct Impl;
    explicit MetricsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace keeper::metrics

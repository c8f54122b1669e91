// The metrics listener as Prometheus and an orchestrator see it: GET
// /metrics returns prometheus-cpp's text exposition with the values the
// keeper recorded, /healthz and /readyz answer 200 or 503 with reasons, and
// RPC requests to a real anvil are counted per endpoint and method.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "keeper/daemon/operations.hpp"
#include "keeper/daemon/rpc_stack.hpp"
#include "keeper/metrics/metrics_server.hpp"
#include "support/anvil_process.hpp"
#include "support/http_get.hpp"

namespace keeper::metrics {
namespace metrics_server_test {

using namespace std::chrono_literals;

using keeper::testing::http_get;

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(MetricsServer, ServesTheRecordedValuesAndHealthWithReasons) {
    KeeperMetrics metrics;
    HealthLimits limits;
    limits.max_head_age = 60s;
    limits.min_signer_balance_wei = U256(50'000'000'000'000'000ULL);  // 0.05 ETH
    const auto started = Clock::now();
    HealthState health(limits, started);
    auto server = MetricsServer::start(ListenAddress{"127.0.0.1", 0}, metrics, health);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    const std::uint16_t port = (*server)->port();

    // Before the first round: alive (within the start grace), not ready.
    auto ready = http_get(port, "/readyz");
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(ready.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(ready.body),
              (nlohmann::json{
                  {"ready", false},
                  {"reasons",
                   {"not synced: no round has succeeded yet", "no head seen yet", "signer balance not read yet"}}}));
    EXPECT_EQ(http_get(port, "/healthz").status, 200);

    metrics.head_seen(1234, Clock::now() - 2s);
    health.head_seen(Clock::now() - 2s);
    metrics.round_finished(0.3s, true, 1232);
    metrics.round_finished(2s, false, 0);
    health.round_finished(true, Clock::now());
    health.signer_balance(U256(10'000'000'000'000'000ULL));  // 0.01 ETH
    metrics.in_flight(2);
    metrics.positions("aave-v3", 60, 7);
    metrics.exact_evaluations("aave-v3", 60, 0);
    metrics.exact_evaluations("aave-v3", 5, 0);
    metrics.action("aave-v3", ActionOutcome::sent);
    metrics.action("aave-v3", ActionOutcome::declined, "unprofitable");
    metrics.action("aave-v3", ActionOutcome::declined, "unprofitable");
    metrics.signer_balance("ETH", 0.01);
    metrics.oracle_age("ETH/USD", 42s);
    metrics.alert_raised("underwater");
    metrics.realised_profit("USDC", 12.5);
    metrics.rpc_request("http://127.0.0.1:8545", "eth_call", true);
    metrics.rpc_request("http://127.0.0.1:8545", "eth_call", false);

    ready = http_get(port, "/readyz");
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(nlohmann::json::parse(ready.body),
              (nlohmann::json{{"ready", false}, {"reasons", {"signer balance 0.0100 below the minimum 0.0500"}}}));
    health.signer_balance(U256(1'000'000'000'000'000'000ULL));
    ready = http_get(port, "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(nlohmann::json::parse(ready.body),
              (nlohmann::json{{"ready", true}, {"reasons", nlohmann::json::array()}}));
    EXPECT_EQ(nlohmann::json::parse(http_get(port, "/healthz").body),
              (nlohmann::json{{"live", true}, {"reasons", nlohmann::json::array()}}));

    const auto scraped = http_get(port, "/metrics");
    EXPECT_EQ(scraped.status, 200);
    EXPECT_EQ(scraped.content_type, "text/plain; version=0.0.4; charset=utf-8");
    const std::string& m = scraped.body;
    for (const char* line : {
             "keeper_head_block 1234",
             "keeper_head_lag_blocks 2",
             "keeper_round_duration_seconds_count 2",
             "keeper_round_duration_seconds_sum 2.3",
             "keeper_round_duration_seconds_bucket{le=\"0.5\"} 1",
             "keeper_rounds_total{result=\"ok\"} 1",
             "keeper_rounds_total{result=\"failed\"} 1",
             "keeper_positions_tracked{protocol=\"aave-v3\"} 60",
             "keeper_positions_liquidatable{protocol=\"aave-v3\"} 7",
             "keeper_exact_evaluations_total{protocol=\"aave-v3\"} 65",
             "keeper_screen_misses_total{protocol=\"aave-v3\"} 0",
             "keeper_actions_total{outcome=\"sent\",protocol=\"aave-v3\",reason=\"\"} 1",
             "keeper_actions_total{outcome=\"declined\",protocol=\"aave-v3\",reason=\"unprofitable\"} 2",
             "keeper_in_flight_transactions 2",
             "keeper_signer_balance{token=\"ETH\"} 0.01",
             "keeper_oracle_age_seconds{feed=\"ETH/USD\"} 42",
             "keeper_alerts_total{kind=\"underwater\"} 1",
             "keeper_realised_profit{token=\"USDC\"} 12.5",
             "keeper_rpc_requests_total{endpoint=\"http://127.0.0.1:8545\",method=\"eth_call\"} 2",
             "keeper_rpc_errors_total{endpoint=\"http://127.0.0.1:8545\",method=\"eth_call\"} 1",
         })
        EXPECT_TRUE(has_line(m, line)) << "missing: " << line << "\n" << m;
    // Head lag in seconds is set at scrape time: 2 s old, give or take the machine.
    const auto lag_at = m.find("\nkeeper_head_lag_seconds ");
    ASSERT_NE(lag_at, std::string::npos) << m;
    const double lag = std::stod(m.substr(lag_at + 25));
    EXPECT_GE(lag, 2.0);
    EXPECT_LT(lag, 120.0);
    for (const std::string& name : metric_names())
        EXPECT_NE(m.find("# TYPE " + name + " "), std::string::npos) << "family not exposed: " << name;

    EXPECT_EQ(http_get(port, "/no-such-page").status, 404);
    (*server)->stop();
    EXPECT_EQ(http_get(port, "/metrics").status, 0);  // nobody listens any more
}

TEST(MetricsServer, ABadListenAddressIsAnErrorNamingIt) {
    EXPECT_EQ(parse_listen_address("localhost:9464").error().message, "listen: 'localhost' is not an IP address");
    EXPECT_EQ(parse_listen_address("127.0.0.1:99999").error().message, "listen: port must be 0 to 65535, got '99999'");
    EXPECT_EQ(parse_listen_address("[::1]:9464")->host, "::1");
    EXPECT_EQ(parse_listen_address("0.0.0.0:9464")->port, 9464);
}

TEST(MetricsServer, APortInUseIsAnErrorAtStart) {
    KeeperMetrics metrics;
    HealthState health(HealthLimits{}, Clock::now());
    auto first = MetricsServer::start(ListenAddress{"127.0.0.1", 0}, metrics, health);
    ASSERT_TRUE(first.has_value());
    auto second = MetricsServer::start(ListenAddress{"127.0.0.1", (*first)->port()}, metrics, health);
    ASSERT_FALSE(second.has_value());
    EXPECT_NE(second.error().message.find("bind: "), std::string::npos) << second.error().message;
}

TEST(DaemonOperations, CountsEveryRpcRequestPerEndpointAndMethodOnARealNode) {
    auto anvil = testing::AnvilProcess::start();
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    config::KeeperConfig config;
    config.metrics.listen = "127.0.0.1:0";
    auto ops = app::DaemonOperations::start(config);
    ASSERT_TRUE(ops.has_value()) << ops.error().message;
    // Second endpoint first: refused, so the failover moves on to anvil.
    auto client = app::make_rpc_client({"http://127.0.0.1:1", anvil->url()});
    ASSERT_TRUE(client.block_number().has_value());
    ASSERT_TRUE(client.block_number().has_value());
    auto header = client.get_block_header(chain::BlockId::latest());
    ASSERT_TRUE(header.has_value() && header->has_value());
    (*ops)->head_seen(**header);
    (*ops)->round_started();
    (*ops)->round_finished(true, (*header)->number, 0);

    const auto scraped = http_get(*(*ops)->metrics_port(), "/metrics");
    const std::string endpoint = "http://127.0.0.1:" + std::to_string(anvil->port());
    EXPECT_TRUE(
        has_line(scraped.body, "keeper_rpc_requests_total{endpoint=\"" + endpoint + "\",method=\"eth_blockNumber\"} 2"))
        << scraped.body;
    EXPECT_TRUE(has_line(scraped.body,
                         "keeper_rpc_requests_total{endpoint=\"" + endpoint + "\",method=\"eth_getBlockByNumber\"} 1"))
        << scraped.body;
    EXPECT_TRUE(
        has_line(scraped.body, "keeper_rpc_errors_total{endpoint=\"http://127.0.0.1:1\",method=\"eth_blockNumber\"} 1"))
        << scraped.body;
    EXPECT_TRUE(has_line(scraped.body, "keeper_rounds_total{result=\"ok\"} 1")) << scraped.body;
    EXPECT_EQ(http_get(*(*ops)->metrics_port(), "/healthz").status, 200);
    (*ops)->stopping();
}

}  // namespace metrics_server_test
}  // namespace keeper::metrics

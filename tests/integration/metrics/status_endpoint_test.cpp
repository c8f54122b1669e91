// The status page on the metrics listener, over real HTTP: GET /status is the
// HTML page, GET /status.json is 503 until the round publishes a snapshot and
// then that snapshot's JSON; the next publish replaces it.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "keeper/metrics/metrics_server.hpp"
#include "keeper/metrics/status_page.hpp"
#include "support/http_get.hpp"

namespace keeper::metrics {
namespace status_endpoint_test {

using keeper::testing::http_get;

TEST(StatusEndpoint, ServesThePageAndTheNewestPublishedSnapshot) {
    KeeperMetrics metrics;
    HealthState health(HealthLimits{}, Clock::now());
    StatusBoard board;
    auto server = MetricsServer::start(ListenAddress{"127.0.0.1", 0}, metrics, health, &board);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    const std::uint16_t port = (*server)->port();

    const auto page = http_get(port, "/status");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(page.body, status_page_html());

    auto json = http_get(port, "/status.json");
    EXPECT_EQ(json.status, 503);
    EXPECT_EQ(json.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(json.body), (nlohmann::json{{"error", "no round has finished yet"}}));

    auto status = std::make_shared<KeeperStatus>();
    status->head_block = 1234;
    status->accounts_total = 1;
    status->accounts.push_back(
        {"aave-v3", "aave-v3@0x01", "0x02", "0xAbC", "1.25", "1250000000000000000", false, "0.2"});
    board.publish(status);
    json = http_get(port, "/status.json?nocache=1");
    EXPECT_EQ(json.status, 200);
    EXPECT_EQ(nlohmann::json::parse(json.body), to_json(*status));
    EXPECT_EQ(nlohmann::json::parse(json.body)["accounts"][0]["distance_to_liquidation"], "0.2");

    auto next = std::make_shared<KeeperStatus>();
    next->head_block = 1235;
    board.publish(next);
    EXPECT_EQ(nlohmann::json::parse(http_get(port, "/status.json").body)["head"]["block"], 1235);
    // `/` is the page too (what an operator's browser opens first); anything else is 404.
    const auto root = http_get(port, "/");
    EXPECT_EQ(root.status, 200);
    EXPECT_EQ(root.body, page.body);
    EXPECT_EQ(http_get(port, "/nothing-here").status, 404);
}

TEST(StatusEndpoint, WithoutABoardStatusJsonSaysNoRoundYet) {
    KeeperMetrics metrics;
    HealthState health(HealthLimits{}, Clock::now());
    auto server = MetricsServer::start(ListenAddress{"127.0.0.1", 0}, metrics, health);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    EXPECT_EQ(http_get((*server)->port(), "/status.json").status, 503);
    EXPECT_EQ(http_get((*server)->port(), "/status").status, 200);
}

}  // namespace status_endpoint_test
}  // namespace keeper::metrics

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

namespace keeper::metrics {
namespace status_endpoint_test {

struct Answer {
    int status = 0;
    std::string content_type;
    std::string body;
};

Answer get(std::uint16_t port, const std::string& path) {
    Answer got;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        ::close(fd);
        return got;
    }
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string raw;
    char buffer[8192];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;) raw.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || raw.size() < 12) return got;
    got.status = std::stoi(raw.substr(9, 3));
    const std::string head = raw.substr(0, head_end);
    if (const auto ct = head.find("Content-Type: "); ct != std::string::npos)
        got.content_type = head.substr(ct + 14, head.find("\r\n", ct) - ct - 14);
    got.body = raw.substr(head_end + 4);
    return got;
}

TEST(StatusEndpoint, ServesThePageAndTheNewestPublishedSnapshot) {
    KeeperMetrics metrics;
    HealthState health(HealthLimits{}, Clock::now());
    StatusBoard board;
    auto server = MetricsServer::start(ListenAddress{"127.0.0.1", 0}, metrics, health, &board);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    const std::uint16_t port = (*server)->port();

    const Answer page = get(port, "/status");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(page.body, status_page_html());

    Answer json = get(port, "/status.json");
    EXPECT_EQ(json.status, 503);
    EXPECT_EQ(json.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(json.body), (nlohmann::json{{"error", "no round has finished yet"}}));

    auto status = std::make_shared<KeeperStatus>();
    status->head_block = 1234;
    status->accounts_total = 1;
    status->accounts.push_back(
        {"aave-v3", "aave-v3@0x01", "0x02", "0xAbC", "1.25", "1250000000000000000", false, "0.2"});
    board.publish(status);
    json = get(port, "/status.json?nocache=1");
    EXPECT_EQ(json.status, 200);
    EXPECT_EQ(nlohmann::json::parse(json.body), to_json(*status));
    EXPECT_EQ(nlohmann::json::parse(json.body)["accounts"][0]["distance_to_liquidation"], "0.2");

    auto next = std::make_shared<KeeperStatus>();
    next->head_block = 1235;
    board.publish(next);
    EXPECT_EQ(nlohmann::json::parse(get(port, "/status.json").body)["head"]["block"], 1235);
    EXPECT_EQ(get(port, "/").status, 404);
}

TEST(StatusEndpoint, WithoutABoardStatusJsonSaysNoRoundYet) {
    KeeperMetrics metrics;
    HealthState health(HealthLimits{}, Clock::now());
    auto server = MetricsServer::start(ListenAddress{"127.0.0.1", 0}, metrics, health);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    EXPECT_EQ(get((*server)->port(), "/status.json").status, 503);
    EXPECT_EQ(get((*server)->port(), "/status").status, 200);
}

}  // namespace status_endpoint_test
}  // namespace keeper::metrics

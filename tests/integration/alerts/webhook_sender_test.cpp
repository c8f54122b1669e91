// WebhookSender against a local recording server and dead sockets: the body
// arrives as the JSON the format promises, at the secret path, and no error
// ever quotes that path.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "keeper/alerts/alert_policy.hpp"
#include "keeper/alerts/webhook_sender.hpp"
#include "support/recording_http_server.hpp"

namespace keeper::alerts {
namespace webhook_sender_test {

using keeper::testing::RecordingHttpServer;
using namespace std::chrono_literals;

constexpr const char* secret_path = "services/T0123ABCD/B0456EFGH/sekr3tT0ken99zz";
constexpr const char* secret_token = "sekr3tT0ken99zz";

// 127.0.0.1:<free port>. Listening, the kernel accepts TCP handshakes but
// nobody answers; not listening, connecting is refused.
class LocalSocket {
public:
    explicit LocalSocket(bool listening) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        auto* generic = reinterpret_cast<sockaddr*>(&addr);
        ok_ = fd_ >= 0 && ::bind(fd_, generic, sizeof(addr)) == 0 && ::getsockname(fd_, generic, &len) == 0 &&
              (!listening || ::listen(fd_, 8) == 0);
        port_ = ntohs(addr.sin_port);
    }
    ~LocalSocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    LocalSocket(const LocalSocket&) = delete;
    LocalSocket& operator=(const LocalSocket&) = delete;

    bool ok() const { return ok_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

private:
    int fd_ = -1;
    bool ok_ = false;
    std::uint16_t port_ = 0;
};

// The alert a policy raises for a Morpho borrower at health 0.9731.
Alert liquidatable_alert() {
    AlertPolicy policy(U256(1'050'000'000'000'000'000ULL), 600s, 10);
    const AccountHealth account{"morpho-blue", "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc",
                                Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").value(),
                                U256(973'100'000'000'000'000ULL), true};
    auto alerts = policy.observe(std::span<const AccountHealth>(&account, 1),
                                 AlertPolicy::Clock::time_point{} + 1'700'000'000s);
    EXPECT_EQ(alerts.size(), 1u);
    return alerts.at(0);
}

const std::string expected_text =
    "LIQUIDATABLE morpho-blue market 0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc "
    "account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: health 0.9731";

struct FormatRow {
    WebhookFormat format;
    nlohmann::json expected;
};

TEST(WebhookSender, PostsEachFormatAsJsonToTheWebhookPath) {
    const FormatRow rows[] = {
        {WebhookFormat::generic,
         {{"source", "margin-keeper"},
          {"kind", "underwater"},
          {"event", "trigger"},
          {"dedup_key",
           "margin-keeper/underwater/morpho-blue/"
           "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc/"
           "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"},
          {"severity", "liquidatable"},
          {"protocol", "morpho-blue"},
          {"market", "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc"},
          {"account", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"},
          {"health", "0.9731"},
          {"health_wad", "973100000000000000"},
          {"liquidatable", true},
          {"text", expected_text}}},
        {WebhookFormat::slack, {{"text", expected_text}}},
        {WebhookFormat::discord, {{"content", expected_text}}},
    };
    for (const FormatRow& row : rows) {
        auto server = RecordingHttpServer::start("ok");
        ASSERT_TRUE(server.has_value()) << server.error().message;
        WebhookSender sender((*server)->url() + secret_path, row.format);
        auto posted = sender.post(liquidatable_alert());
        ASSERT_TRUE(posted.has_value()) << posted.error().message;

        const auto requests = (*server)->requests();
        ASSERT_EQ(requests.size(), 1u);
        EXPECT_EQ(requests[0].method, "POST");
        EXPECT_EQ(requests[0].target, std::string("/") + secret_path);
        EXPECT_EQ(requests[0].header("Content-Type"), std::optional<std::string>("application/json"));
        EXPECT_EQ(nlohmann::json::parse(requests[0].body), row.expected) << requests[0].body;
    }
}

TEST(WebhookSender, ARejectingServiceIsAnErrorWithoutThePathEvenIfTheBodyEchoesIt) {
    auto server = RecordingHttpServer::start(std::string("no such webhook: /") + secret_path, 404);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    const std::string url = (*server)->url() + secret_path;
    WebhookSender sender(url, WebhookFormat::slack);
    auto posted = sender.post(liquidatable_alert());
    ASSERT_FALSE(posted.has_value());
    const std::string& message = posted.error().message;
    EXPECT_NE(message.find("HTTP status 404"), std::string::npos) << message;
    EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
    EXPECT_EQ(message.find(secret_token), std::string::npos) << message;
    EXPECT_EQ(message.find("T0123ABCD"), std::string::npos) << message;
}

TEST(WebhookSender, ADeadPortIsAConnectErrorNamingTheHostButNotThePath) {
    LocalSocket closed(false);
    ASSERT_TRUE(closed.ok());
    WebhookSender sender(closed.url() + secret_path, WebhookFormat::discord);
    auto posted = sender.post(liquidatable_alert());
    ASSERT_FALSE(posted.has_value());
    const std::string& message = posted.error().message;
    EXPECT_TRUE(message.starts_with("webhook " + closed.url() + "<redacted>: connect: ")) << message;
    EXPECT_EQ(message.find(secret_token), std::string::npos) << message;
    EXPECT_EQ(message.find("services/"), std::string::npos) << message;
}

TEST(WebhookSender, ASilentServiceTimesOutWithoutThePath) {
    LocalSocket silent(true);
    ASSERT_TRUE(silent.ok());
    net::HttpOptions quick = webhook_http_options();
    quick.total_timeout = 300ms;
    WebhookSender sender(silent.url() + secret_path, WebhookFormat::generic, quick);
    auto posted = sender.post(liquidatable_alert());
    ASSERT_FALSE(posted.has_value());
    const std::string& message = posted.error().message;
    EXPECT_TRUE(message.starts_with("webhook " + silent.url() + "<redacted>: timeout: ")) << message;
    EXPECT_EQ(message.find(secret_token), std::string::npos) << message;
}

}  // namespace webhook_sender_test
}  // namespace keeper::alerts

// net::HttpClient against local sockets: each failure names its stage, any
// HTTP status is a response, and the handle is reused across requests.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chain/http_transport.hpp"
#include "net/http_client.hpp"
#include "net/websocket_session.hpp"
#include "support/recording_http_server.hpp"

namespace keeper::net {
namespace http_client_test {

using keeper::testing::RecordingHttpServer;

// A socket bound to 127.0.0.1:<free port>. With listen() the kernel completes
// TCP handshakes into the backlog but nobody ever answers; without it,
// connecting is refused.
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

TEST(HttpClient, PostsJsonAndReusesTheHandle) {
    auto server = RecordingHttpServer::start(R"({"ok":true})");
    ASSERT_TRUE(server.has_value()) << server.error().message;
    HttpClient http((*server)->url());
    for (int i = 0; i < 3; ++i) {
        auto r = http.post(R"({"n":)" + std::to_string(i) + "}");
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body, R"({"ok":true})");
    }
    const auto requests = (*server)->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[2].body, R"({"n":2})");
    EXPECT_EQ(requests[0].header("Content-Type"), std::optional<std::string>("application/json"));
    EXPECT_FALSE(requests[0].header("Expect").has_value());
}

TEST(HttpClient, ErrorStatusIsAResponseAndBodyIfOkTurnsItIntoAnError) {
    auto server = RecordingHttpServer::start("upstream overloaded", 503);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    HttpClient http((*server)->url());
    auto r = http.post("{}");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 503);
    EXPECT_FALSE(r->ok());
    auto body = body_if_ok(*r);
    ASSERT_FALSE(body.has_value());
    EXPECT_EQ(body.error().message, "HTTP status 503: upstream overloaded");
}

TEST(HttpClient, HttpTransportReportsTheStatus) {
    auto server = RecordingHttpServer::start("slow down", 429);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    chain::HttpTransport transport((*server)->url());
    auto r = transport.send("{}");
    ASSERT_FALSE(r.has_value());
    const std::string url = (*server)->url();  // "http://127.0.0.1:<port>/"
    EXPECT_EQ(r.error().message, "http " + url.substr(0, url.size() - 1) + ": HTTP status 429: slow down");
}

// A provider's error page may quote the key it refuses, in any bytes it likes.
TEST(HttpClient, HttpTransportScrubsTheKeyAndControlCharactersFromAnErrorPage) {
    auto server = RecordingHttpServer::start("invalid api key SECRETKEY\n\x1b[31mFAKE LOG LINE\x1b[0m", 401);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    const std::string base = (*server)->url();
    chain::HttpTransport transport(base + "v2/SECRETKEY");
    auto r = transport.send("{}");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "http " + base + "<redacted>: HTTP status 401: invalid api key <redacted> ?[31mFAKE "
                                 "LOG LINE?[0m");
}

TEST(HttpClient, AnErrorBodyIsCutToABoundedExcerpt) {
    auto server = RecordingHttpServer::start(std::string(100'000, 'x'), 500);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    HttpClient http((*server)->url());
    auto r = http.post("{}");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    auto body = body_if_ok(*r);
    ASSERT_FALSE(body.has_value());
    EXPECT_EQ(body.error().message, "HTTP status 500: " + std::string(197, 'x') + "...");
}

TEST(HttpClient, ConnectErrorsNameHostAndPortButNeverTheUrlsSecrets) {
    LocalSocket closed(/*listening=*/false);
    ASSERT_TRUE(closed.ok());
    const std::string base = closed.url();  // "http://127.0.0.1:<port>/"
    const std::string secret = "http://user:hunter2@" + base.substr(7) + "v2/SECRETKEY?apikey=SECRETKEY";
    HttpClient http(secret);
    auto r = http.post("{}");
    ASSERT_FALSE(r.has_value());
    const std::string& message = r.error().message;
    EXPECT_TRUE(message.starts_with("http " + base + "<redacted>: connect: ")) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(message.find("SECRETKEY"), std::string::npos) << message;
    EXPECT_EQ(message.find("user"), std::string::npos) << message;
}

TEST(WebSocketSession, ConnectErrorsNameHostAndPortButNeverTheUrlsSecrets) {
    LocalSocket closed(/*listening=*/false);
    ASSERT_TRUE(closed.ok());
    const std::string host_port = closed.url().substr(7, closed.url().size() - 8);  // "127.0.0.1:<port>"
    auto session = WebSocketSession::connect("ws://user:hunter2@" + host_port + "/v3/SECRETKEY?key=SECRETKEY");
    ASSERT_FALSE(session.has_value());
    const std::string& message = session.error().message;
    EXPECT_TRUE(message.starts_with("ws ws://" + host_port + "/<redacted>: ")) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(message.find("SECRETKEY"), std::string::npos) << message;
}

TEST(HttpClient, RefusedConnectionNamesConnect) {
    LocalSocket closed(/*listening=*/false);
    ASSERT_TRUE(closed.ok());
    HttpClient http(closed.url());
    auto r = http.post("{}");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find(": connect: "), std::string::npos) << r.error().message;
}

TEST(HttpClient, SilentServerNamesTimeout) {
    LocalSocket silent(/*listening=*/true);
    ASSERT_TRUE(silent.ok());
    HttpOptions options;
    options.total_timeout = std::chrono::milliseconds(300);
    HttpClient http(silent.url(), options);
    auto r = http.post("{}");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find(": timeout: "), std::string::npos) << r.error().message;
}

TEST(HttpClient, OversizedResponseIsRefused) {
    auto server = RecordingHttpServer::start(std::string(2048, 'x'));
    ASSERT_TRUE(server.has_value()) << server.error().message;
    HttpOptions options;
    options.max_response_bytes = 1024;
    HttpClient http((*server)->url(), options);
    auto r = http.post("{}");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("response too large: more than 1024 bytes"), std::string::npos)
        << r.error().message;
}

TEST(HttpClient, BadUrlNamesUrl) {
    HttpClient http("nope://127.0.0.1/");
    auto r = http.post("{}");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find(": url: "), std::string::npos) << r.error().message;
}

}  // namespace http_client_test
}  // namespace keeper::net

// ws:// and wss:// URLs: what goes on the wire (host, port, target, Host
// header) and what goes into logs (net::redact_url: never credentials or the path).
#include <gtest/gtest.h>

#include <string>

#include "net/websocket_session.hpp"

namespace keeper::net {
namespace subscription_url_test {

struct UrlCase {
    std::string url;
    bool tls;
    std::string host;
    std::uint16_t port;
    std::string target;
    std::string host_header;
    std::string shown;
};

TEST(WsUrl, ParsesWhatNodesAndProvidersUse) {
    const UrlCase cases[] = {
        {"ws://127.0.0.1:8545", false, "127.0.0.1", 8545, "/", "127.0.0.1:8545", "ws://127.0.0.1:8545"},
        {"ws://localhost", false, "localhost", 80, "/", "localhost", "ws://localhost"},
        {"wss://mainnet.infura.io/ws/v3/0123abcd", true, "mainnet.infura.io", 443, "/ws/v3/0123abcd", "mainnet.infura.io",
         "wss://mainnet.infura.io/<redacted>"},
        {"WSS://Node.Example:8546/", true, "Node.Example", 8546, "/", "Node.Example:8546", "WSS://Node.Example:8546"},
        {"ws://user:secret@node:8546/rpc?key=k#frag", false, "node", 8546, "/rpc?key=k", "node:8546",
         "ws://node:8546/<redacted>"},
        {"ws://node?key=k", false, "node", 80, "/?key=k", "node", "ws://node/<redacted>"},
        {"ws://[::1]:8546", false, "::1", 8546, "/", "[::1]:8546", "ws://[::1]:8546"},
        {"wss://[2001:db8::1]", true, "2001:db8::1", 443, "/", "[2001:db8::1]", "wss://[2001:db8::1]"},
        {"wss://node:443/x", true, "node", 443, "/x", "node", "wss://node:443/<redacted>"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.url);
        auto url = parse_ws_url(c.url);
        ASSERT_TRUE(url.has_value()) << url.error().message;
        EXPECT_EQ(url->tls, c.tls);
        EXPECT_EQ(url->host, c.host);
        EXPECT_EQ(url->port, c.port);
        EXPECT_EQ(url->target, c.target);
        EXPECT_EQ(url->host_header(), c.host_header);
        EXPECT_EQ(url->shown, c.shown);
    }
}

TEST(WsUrl, RejectsMalformedUrlsNamingTheProblem) {
    const std::pair<std::string, std::string> cases[] = {
        {"http://127.0.0.1:8545", "scheme"},
        {"127.0.0.1:8545", "no scheme"},
        {"ws://", "no host"},
        {"ws://:8545", "no host"},
        {"ws://host:", "empty port"},
        {"ws://host:0", "port"},
        {"ws://host:65536", "port"},
        {"ws://host:85a5", "port"},
        {"ws://host:-1", "port"},
        {"ws://[::1", "unterminated"},
        {"ws://[::1]x", "junk"},
        {"ws://ho st/", "invalid character"},
        {"ws://host/a b", "whitespace"},
    };
    for (const auto& [text, expected] : cases) {
        SCOPED_TRACE(text);
        auto url = parse_ws_url(text);
        ASSERT_FALSE(url.has_value());
        EXPECT_NE(url.error().message.find(expected), std::string::npos) << url.error().message;
    }
}

TEST(WsUrl, ErrorsNeverEchoCredentials) {
    for (const std::string text : {"ws://user:hunter2@host:99999", "ws://user:hunter2@:1", "wss://hunter2@host:x"}) {
        auto url = parse_ws_url(text);
        ASSERT_FALSE(url.has_value()) << text;
        EXPECT_EQ(url.error().message.find("hunter2"), std::string::npos) << url.error().message;
    }
    auto ok = parse_ws_url("wss://user:hunter2@host/v3/hunter2");
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->shown.find("hunter2"), std::string::npos);
}

TEST(WebSocketSession, ABadUrlFailsBeforeAnyNetworkStage) {
    auto session = WebSocketSession::connect("http://127.0.0.1:1");
    ASSERT_FALSE(session.has_value());
    EXPECT_NE(session.error().message.find("scheme"), std::string::npos) << session.error().message;
}

}  // namespace subscription_url_test
}  // namespace keeper::net

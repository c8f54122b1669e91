#pragma once
// A websocket client session (ws:// and wss://) over Boost.Beast, used
// synchronously with a timeout on every step: connect() resolves, connects
// TCP, (wss) does the TLS handshake with SNI and hostname verification, then
// the websocket handshake; send() and receive() each wait at most a bound.
// DESIGN rule 7: each failure names its stage ("resolve", "connect", "tls",
// "handshake", "read", "write", "close") and the URL as net::redact_url shows
// it, credentials and the path (API keys live there) left out:
// "ws ws://127.0.0.1:8545: connect: Connection refused".
//
// receive() that times out leaves its read pending: the next receive()
// continues it, so a message is never lost or split between calls. The node's
// pings are answered while a read is pending; our own keep-alive pings go out
// after `idle_timeout / 2` of silence, and a connection silent for
// `idle_timeout` is reported dead ("read: timeout"). A session that reported
// an error is closed; make a new one (chain/subscription.hpp reconnects).
// Not thread-safe: one session per thread.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keeper::net {

struct WsUrl {
    bool tls = false;        // wss://
    std::string host;        // without brackets for IPv6 literals
    std::uint16_t port = 0;  // 80 / 443 unless given
    std::string target;      // path and query, "/" when empty
    std::string shown;       // net::redact_url of the text parsed: what logs and errors show

    // The Host header value: host, plus ":port" when not the default.
    std::string host_header() const;
};

// ws://[user:pass@]host[:port][/path][?query] and wss://...; anything else is
// an error naming what is wrong (never echoing credentials).
Result<WsUrl> parse_ws_url(std::string_view url);

struct WebSocketOptions {
    std::chrono::milliseconds connect_timeout{5000};  // resolve + TCP + TLS + websocket handshake
    std::chrono::milliseconds write_timeout{5000};
    std::chrono::milliseconds close_timeout{2000};
    std::chrono::milliseconds idle_timeout{30000};    // silence that means a dead connection
    std::size_t max_message_bytes = 64u << 20;
    // Extra PEM trust anchors for wss (a private CA); the system store is always used.
    std::optional<std::string> ca_file;
};

class WebSocketSession {
public:
    static Result<WebSocketSession> connect(std::string_view url, WebSocketOptions options = {});

    WebSocketSession(WebSocketSession&&) noexcept;
    WebSocketSession& operator=(WebSocketSession&&) noexcept;
    WebSocketSession(const WebSocketSession&) = delete;
    WebSocketSession& operator=(const WebSocketSession&) = delete;
    ~WebSocketSession();

    // One text message.
    Result<void> send(std::string_view text);
    // The next text message, or nullopt when none arrived within `timeout`.
    Result<std::optional<std::string>> receive(std::chrono::milliseconds timeout);
    // Sends a close frame and waits for the peer's (bounded); then the socket
    // is gone either way. Closing a closed session does nothing.
    Result<void> close();
    // Drops the TCP connection without a close frame (what a network failure looks like).
    void abort();

    bool is_open() const;
    const std::string& url() const { return url_; }  // redacted

    struct Impl;  // the connection; defined in the .cpp

private:
    WebSocketSession(std::unique_ptr<Impl> impl, std::string url);
    std::unique_ptr<Impl> impl_;
    std::string url_;
};

}  // namespace keeper::net

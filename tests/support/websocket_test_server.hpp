#pragma once
// A websocket server on 127.0.0.1 that speaks like an exchange's public
// market-data endpoint, for tests of stream clients (oracles/binance_ticker_stream.hpp):
// each connection's first message (the client's SUBSCRIBE) is recorded and
// answered with a canned text, then whatever the test send()s is delivered in
// order to the connected client. One connection at a time, on one thread;
// drop_connection() closes it without a close frame (a network failure).
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"

namespace keeper::testing {

class WebSocketTestServer {
public:
    static Result<std::unique_ptr<WebSocketTestServer>> start(std::string subscribe_answer);
    ~WebSocketTestServer();
    WebSocketTestServer(const WebSocketTestServer&) = delete;
    WebSocketTestServer& operator=(const WebSocketTestServer&) = delete;

    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/ws"; }
    // Queued for the connected (subscribed) client; kept until there is one.
    void send(std::string text);
    void drop_connection() { drop_ = true; }
    std::vector<std::string> subscriptions() const;  // each connection's first message
    std::size_t delivered() const { return delivered_.load(); }

    struct Impl;

private:
    WebSocketTestServer() = default;
    void serve();

    std::unique_ptr<Impl> impl_;
    std::uint16_t port_ = 0;
    std::string answer_;
    std::atomic<bool> stopping_{false}, drop_{false};
    std::atomic<std::size_t> delivered_{0};
    mutable std::mutex mutex_;
    std::deque<std::string> outbox_;
    std::vector<std::string> subscriptions_;
    std::thread thread_;
};

}  // namespace keeper::testing

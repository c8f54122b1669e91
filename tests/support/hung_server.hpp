#pragma once
// A TCP server on 127.0.0.1 that accepts every connection and never answers
// or closes it: the peer every timeout exists for (a stalled node, webhook
// or websocket endpoint). Whatever clients send is read and thrown away, so
// their writes never block.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"

namespace keeper::testing {

class HungServer {
public:
    static Result<std::unique_ptr<HungServer>> start();
    ~HungServer();
    HungServer(const HungServer&) = delete;
    HungServer& operator=(const HungServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::string http_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
    std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
    // Connections accepted so far.
    unsigned connections() const { return connections_; }

private:
    HungServer() = default;
    void serve();

    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned> connections_{0};
    std::thread thread_;
};

}  // namespace keeper::testing

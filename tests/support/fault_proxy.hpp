#pragma once
// An HTTP/1.1 proxy on 127.0.0.1 that sits between our client and a real node
// and misbehaves on cue: each request takes the next fault from a script (or
// passes through when the script is empty). For fault tests of the RPC layers
// (issue: dropped connections, delays, 429/500, truncated or malformed JSON,
// wrong ids) without touching the node itself.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"

namespace keeper::testing {

enum class Fault {
    pass,             // forward, answer as the node did
    drop,             // close the connection without answering
    delay,            // wait `delay` then forward
    status_429,       // "Too Many Requests" without forwarding
    status_500,
    truncate,         // forward, then answer only the first half of the body
    malformed,        // answer a body that is not JSON
    wrong_id,         // forward, then answer with the response's id changed
    hang,             // take the request, never answer, keep the connection open (a stalled node)
};

class FaultProxy {
public:
    // Listens on a free loopback port and forwards to upstream_port on 127.0.0.1.
    static Result<std::unique_ptr<FaultProxy>> start(std::uint16_t upstream_port);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void script(std::vector<Fault> faults);
    // Every `every`-th request gets `fault` (after the script runs out); 0 turns it off.
    void periodic(Fault fault, unsigned every);
    void set_delay(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }

    unsigned requests() const { return requests_; }
    unsigned faults_injected() const { return injected_; }

private:
    FaultProxy() = default;
    void serve();
    void handle(int client_fd);
    Fault next_fault();

    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::uint16_t upstream_port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned> requests_{0};
    std::atomic<unsigned> injected_{0};
    std::atomic<long long> delay_ms_{200};
    std::mutex mutex_;
    std::deque<Fault> script_;
    Fault periodic_fault_ = Fault::pass;
    unsigned periodic_every_ = 0;
    std::thread server_;
    std::vector<std::thread> connections_;
};

}  // namespace keeper::testing

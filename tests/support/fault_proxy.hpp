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
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

// eth_getLogs over more than `max_blocks` blocks answered the way a provider
// refuses it, without reaching the node (Alchemy's wording by default).
struct LogRangeLimit {
    std::uint64_t max_blocks = 0;  // 0: no limit
    int http_status = 200;         // some providers answer 400 or 413 with the same JSON-RPC body
    std::int64_t code = -32602;
    std::string message =
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on "
        "the response size, or you can request any block range with a cap of 10K logs in the response.";
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
    // An outage: while dead every request is dropped unanswered (the script and
    // periodic faults wait until it is alive again).
    void set_dead(bool dead) { dead_ = dead; }
    void limit_log_range(LogRangeLimit limit);

    // JSON-RPC calls received per method (a batch counts each of its calls), dead or alive.
    unsigned calls(const std::string& method) const;
    // The fromBlock of every eth_getLogs received (numbers only), in order.
    std::vector<std::uint64_t> log_from_blocks() const;
    unsigned log_range_refusals() const { return log_range_refusals_; }

    unsigned requests() const { return requests_; }
    unsigned faults_injected() const { return injected_; }

private:
    FaultProxy() = default;
    void serve();
    void handle(int client_fd);
    Fault next_fault();
    void count_calls(const std::string& body);
    // The refusal to answer instead of forwarding, when `body` asks for too wide a range.
    std::optional<std::string> refuse_log_range(const std::string& body);

    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::uint16_t upstream_port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned> requests_{0};
    std::atomic<unsigned> injected_{0};
    std::atomic<long long> delay_ms_{200};
    std::atomic<bool> dead_{false};
    std::atomic<unsigned> log_range_refusals_{0};
    mutable std::mutex mutex_;
    LogRangeLimit log_range_limit_;
    std::map<std::string, unsigned> calls_;
    std::vector<std::uint64_t> log_from_blocks_;
    std::deque<Fault> script_;
    Fault periodic_fault_ = Fault::pass;
    unsigned periodic_every_ = 0;
    std::thread server_;
    std::vector<std::thread> connections_;
};

}  // namespace keeper::testing

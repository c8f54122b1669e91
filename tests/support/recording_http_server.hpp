#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 that records every request (method,
// target, headers, body) and answers each with one canned body, for tests of
// clients that talk to services we cannot run locally (a Flashbots relay,
// say). Keep-alive connections are served in order on one thread; requests
// must carry Content-Length (chunked uploads are not understood).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace keeper::testing {

struct RecordedRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;  // names as sent
    std::string body;

    // The value of the first header named `name` (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
};

class RecordingHttpServer {
public:
    static Result<std::unique_ptr<RecordingHttpServer>> start(std::string answer_body, int status = 200);
    ~RecordingHttpServer();
    RecordingHttpServer(const RecordingHttpServer&) = delete;
    RecordingHttpServer& operator=(const RecordingHttpServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
    std::vector<RecordedRequest> requests() const;

private:
    RecordingHttpServer() = default;
    void serve();
    void handle(int fd);

    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::string answer_;
    int status_ = 200;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
    std::thread thread_;
};

}  // namespace keeper::testing

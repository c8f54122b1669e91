#pragma once
// HTTP POST over one persistent libcurl handle: the connection is kept alive
// between requests, which matters for a JSON-RPC client that asks a node many
// small questions per block. One client per thread (a curl handle is not
// thread-safe); wrap it for retry/failover instead of growing it (DESIGN rule 11).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keeper::net {

struct HttpOptions {
    // Both below the daemon's shutdown promise (exit within 10 s of SIGTERM):
    // no single request may outlast it, even against a node that accepts the
    // connection and never answers.
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds total_timeout{8000};    // whole request, connect included
    std::size_t max_response_bytes = 64u << 20;       // a node answering more is broken or hostile
    std::string content_type = "application/json";
    // Asked before each request and about every 100 ms to 1 s while one
    // waits (libcurl's progress interval); true abandons it with the stage
    // "cancelled". How shutdown cuts a request to a hung peer short.
    std::function<bool()> cancelled;
};

struct HttpResponse {
    long status = 0;  // HTTP status code as the server sent it
    std::string body;

    bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
public:
    explicit HttpClient(std::string url, HttpOptions options = {});
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Any HTTP status is a response; failures to get one are errors whose
    // message names the stage: "resolve", "connect", "tls", "timeout",
    // "send", "receive", "response too large", "cancelled".
    Result<HttpResponse> post(std::string_view body);
    // The same with extra request headers for this request only, each a full
    // "Name: value" line (a relay's per-body signature header, say).
    Result<HttpResponse> post(std::string_view body, std::span<const std::string> extra_headers);

    const std::string& url() const { return url_; }

private:
    struct Handle;
    std::string url_;
    HttpOptions options_;
    std::unique_ptr<Handle> handle_;
};

// A non-2xx response as an error "HTTP status 503: <start of body>", so a
// caller that only wants bodies can treat the status like any other failure.
Result<std::string> body_if_ok(HttpResponse response);

}  // namespace keeper::net

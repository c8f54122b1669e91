#pragma once
// A plain HTTP/1.1 GET on loopback, as a scraper or a browser's first request
// does it: one connection, `Connection: close`, read to the end. For tests of
// the metrics listener (/metrics, /healthz, /readyz, /status, /status.json).
#include <cstdint>
#include <string>

namespace keeper::testing {

struct HttpAnswer {
    int status = 0;            // 0: nothing answered (connection refused, not HTTP)
    std::string content_type;  // the Content-Type header's value
    std::string body;
};

HttpAnswer http_get(std::uint16_t port, const std::string& path);

}  // namespace keeper::testing

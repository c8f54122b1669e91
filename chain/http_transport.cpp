#include "chain/http_transport.hpp"

namespace keeper::chain {

HttpTransport::HttpTransport(std::string url, net::HttpOptions options)
    : http_(std::move(url), std::move(options)) {}

Result<std::string> HttpTransport::send(const std::string& request) {
    auto response = http_.post(request);
    if (!response) return std::unexpected(response.error());
    auto body = net::body_if_ok(std::move(*response));
    if (!body) return std::unexpected(context("http " + http_.url(), body.error()));
    return std::move(*body);
}

}  // namespace keeper::chain

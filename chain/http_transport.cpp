#include "chain/http_transport.hpp"

#include "net/url_redaction.hpp"

namespace keeper::chain {

HttpTransport::HttpTransport(std::string url, net::HttpOptions options)
    : http_(std::move(url), std::move(options)) {}

Result<std::string> HttpTransport::send(const std::string& request) {
    auto response = http_.post(request);
    if (!response) return std::unexpected(response.error());
    auto body = net::body_if_ok(std::move(*response));
    // A provider's error page may quote the key it refuses.
    if (!body)
        return fail("http " + net::redact_url(http_.url()) + ": " + net::scrub_url(body.error().message, http_.url()));
    return std::move(*body);
}

}  // namespace keeper::chain

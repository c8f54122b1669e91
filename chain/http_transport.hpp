#pragma once
// JSON-RPC over HTTP POST: one persistent connection (net::HttpClient).
// A non-2xx status is a transport error carrying the start of the body.
#include <string>

#include "chain/transport.hpp"
#include "net/http_client.hpp"

namespace keeper::chain {

class HttpTransport final : public Transport {
public:
    explicit HttpTransport(std::string url, net::HttpOptions options = {});
    Result<std::string> send(const std::string& request) override;
    const std::string& url() const { return http_.url(); }

private:
    net::HttpClient http_;
};

}  // namespace keeper::chain

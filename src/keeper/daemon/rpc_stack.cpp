#include "keeper/daemon/rpc_stack.hpp"

#include <memory>

#include "chain/failover_transport.hpp"
#include "chain/http_transport.hpp"
#include "chain/retrying_transport.hpp"

namespace keeper::app {

chain::JsonRpcClient make_rpc_client(const std::vector<std::string>& urls, std::function<bool()> stop) {
    net::HttpOptions http;
    http.cancelled = stop;
    std::vector<chain::FailoverTransport::Endpoint> endpoints;
    for (const auto& url : urls)
        endpoints.push_back({redact_url(url), std::make_unique<chain::HttpTransport>(url, http)});
    auto failover = std::make_unique<chain::FailoverTransport>(std::move(endpoints));
    auto retrying = std::make_unique<chain::RetryingTransport>(std::move(failover), chain::RetryPolicy{},
                                                               chain::real_retry_environment(std::move(stop)));
    return chain::JsonRpcClient(std::move(retrying));
}

Result<chain::BlockHeader> read_header(chain::JsonRpcClient& client, const chain::BlockId& block) {
    auto header = client.get_block_header(block);
    if (!header) return fail(header.error().message);
    if (!header->has_value()) return fail("the node has no block " + block.to_json().dump());
    return **header;
}

}  // namespace keeper::app

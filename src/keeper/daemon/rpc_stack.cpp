#include "keeper/daemon/rpc_stack.hpp"

#include <memory>

#include "chain/failover_transport.hpp"
#include "chain/http_transport.hpp"
#include "chain/retrying_transport.hpp"

namespace keeper::app {
namespace {

chain::RpcObserver& rpc_observer() {
    static chain::RpcObserver observer;
    return observer;
}

}  // namespace

void observe_rpc_requests(chain::RpcObserver observer) { rpc_observer() = std::move(observer); }

chain::JsonRpcClient make_rpc_client(const std::vector<std::string>& urls, std::function<bool()> stop) {
    net::HttpOptions http;
    http.cancelled = stop;
    std::vector<chain::FailoverTransport::Endpoint> endpoints;
    for (const auto& url : urls) {
        std::unique_ptr<chain::Transport> transport = std::make_unique<chain::HttpTransport>(url, http);
        if (rpc_observer())
            transport = std::make_unique<chain::CountingTransport>(std::move(transport), redact_url(url), rpc_observer());
        endpoints.push_back({redact_url(url), std::move(transport)});
    }
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

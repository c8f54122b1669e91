#pragma once
// The transport stack the daemon talks to its nodes through: every configured
// URL over HTTP, failover in the operator's order, retries with backoff
// around the lot (DESIGN.md rule 11: layers, not code in callers).
#include <functional>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"

namespace keeper::app {

// `stop` (optional): true when requests still waiting must be abandoned and
// failures not retried (shutdown; see network_stop_requested()).
chain::JsonRpcClient make_rpc_client(const std::vector<std::string>& urls, std::function<bool()> stop = {});

// scheme://host[:port] only: RPC and webhook URLs often carry an API key in
// their path or credentials in their authority, and logs must never show them.
std::string redact_url(const std::string& url);

// The header of `block`; an error (not an empty answer) when the node has none.
Result<chain::BlockHeader> read_header(chain::JsonRpcClient& client, const chain::BlockId& block);

}  // namespace keeper::app

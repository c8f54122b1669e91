#pragma once
// The transport stack the daemon talks to its nodes through: every configured
// URL over HTTP, failover in the operator's order, retries with backoff
// around the lot (DESIGN.md rule 11: layers, not code in callers).
#include <functional>
#include <string>
#include <vector>

#include "chain/counting_transport.hpp"
#include "chain/rpc_client.hpp"
#include "net/url_redaction.hpp"

namespace keeper::app {

// `stop` (optional): true when requests still waiting must be abandoned and
// failures not retried (shutdown; see network_stop_requested()).
chain::JsonRpcClient make_rpc_client(const std::vector<std::string>& urls, std::function<bool()> stop = {});

// Process-wide: every client make_rpc_client() builds from now on counts each
// attempt on each endpoint (chain::CountingTransport, endpoint shown as
// redact_url) to `observer`. Set once at start, before the first client.
void observe_rpc_requests(chain::RpcObserver observer);

// How the daemon shows any URL (RPC, websocket, webhook, fork upstream): the
// one redaction, scheme://host[:port] plus a marker (net/url_redaction.hpp).
using net::redact_url;

// The header of `block`; an error (not an empty answer) when the node has none.
Result<chain::BlockHeader> read_header(chain::JsonRpcClient& client, const chain::BlockId& block);

}  // namespace keeper::app

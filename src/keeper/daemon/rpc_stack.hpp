#pragma once
// The transport stack the daemon talks to its nodes through: every configured
// URL over HTTP, failover in the operator's order, retries with backoff
// around the lot (DESIGN.md rule 11: layers, not code in callers).
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "net/url_redaction.hpp"

namespace keeper::app {

chain::JsonRpcClient make_rpc_client(const std::vector<std::string>& urls);

// How the daemon shows any URL (RPC, websocket, webhook, fork upstream): the
// one redaction, scheme://host[:port] plus a marker (net/url_redaction.hpp).
using net::redact_url;

// The header of `block`; an error (not an empty answer) when the node has none.
Result<chain::BlockHeader> read_header(chain::JsonRpcClient& client, const chain::BlockId& block);

}  // namespace keeper::app

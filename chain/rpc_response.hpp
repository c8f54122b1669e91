#pragma once
// JSON-RPC 2.0 request documents and the checks on a node's answer, as pure
// functions over text so they can be replayed and fuzzed without a network.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/rpc_error.hpp"

namespace keeper::chain {

struct RpcCall {
    std::string method;
    nlohmann::json params = nlohmann::json::array();
};

// {"jsonrpc":"2.0","id":<id>,"method":...,"params":...}
nlohmann::json make_request(const RpcCall& call, std::uint64_t id);

// One response object: "jsonrpc" must be "2.0", "id" must equal `id`, and
// exactly one of "result" (may be null) or "error" must be present. A
// well-formed error object becomes RpcError::Kind::rpc with code/message/data.
RpcResult<nlohmann::json> parse_response(std::string_view body, std::uint64_t id);
RpcResult<nlohmann::json> check_response(const nlohmann::json& response, std::uint64_t id);

// A batch answer, in any order, matched to `ids` (the order of the requests).
// Entry i is the outcome of call i; an id with no response is a malformed
// entry. A non-array body (a node rejecting the whole batch), unknown or
// repeated ids fail the whole batch.
RpcResult<std::vector<RpcResult<nlohmann::json>>> parse_batch_response(std::string_view body,
                                                                        std::span<const std::uint64_t> ids);

}  // namespace keeper::chain

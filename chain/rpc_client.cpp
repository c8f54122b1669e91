#include "chain/rpc_client.hpp"

#include "chain/http_transport.hpp"
#include "chain/json_fields.hpp"
#include "core/hex.hpp"

namespace keeper::chain {
namespace {

using nlohmann::json;

// A field decoder's plain Error becomes a malformed-answer RpcError.
template <class T>
RpcResult<T> as_rpc(Result<T> decoded, const std::string& method) {
    if (!decoded) return rpc_fail(RpcError::malformed(method + ": " + decoded.error().message));
    return std::move(*decoded);
}

}  // namespace

JsonRpcClient::JsonRpcClient(std::unique_ptr<Transport> transport) : transport_(std::move(transport)) {}

RpcResult<json> JsonRpcClient::call(const std::string& method, json params) {
    const std::uint64_t id = next_id_++;
    const std::string request = make_request(RpcCall{method, std::move(params)}, id).dump();
    auto body = transport_->send(request);
    if (!body) return rpc_fail(RpcError::transport(method + ": " + body.error().message));
    auto result = parse_response(*body, id);
    if (!result) return rpc_fail(rpc_context(method, result.error()));
    return result;
}

RpcResult<std::vector<RpcResult<json>>> JsonRpcClient::batch(const std::vector<RpcCall>& calls) {
    if (calls.empty()) return std::vector<RpcResult<json>>{};
    json request = json::array();
    std::vector<std::uint64_t> ids;
    ids.reserve(calls.size());
    for (const RpcCall& c : calls) {
        ids.push_back(next_id_++);
        request.push_back(make_request(c, ids.back()));
    }
    auto body = transport_->send(request.dump());
    if (!body) return rpc_fail(RpcError::transport("batch: " + body.error().message));
    auto results = parse_batch_response(*body, ids);
    if (!results) return rpc_fail(rpc_context("batch", results.error()));
    for (std::size_t i = 0; i < calls.size(); ++i)
        if (!(*results)[i]) (*results)[i] = rpc_fail(rpc_context(calls[i].method, (*results)[i].error()));
    return results;
}

RpcResult<std::uint64_t> JsonRpcClient::chain_id() {
    auto r = call("eth_chainId");
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity_u64(*r, "result"), "eth_chainId");
}

RpcResult<std::uint64_t> JsonRpcClient::block_number() {
    auto r = call("eth_blockNumber");
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity_u64(*r, "result"), "eth_blockNumber");
}

RpcResult<U256> JsonRpcClient::get_balance(const Address& account, const BlockId& block) {
    auto r = call("eth_getBalance", json::array({account.hex(), block.to_json()}));
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity(*r, "result"), "eth_getBalance");
}

RpcResult<std::uint64_t> JsonRpcClient::get_transaction_count(const Address& account, const BlockId& block) {
    auto r = call("eth_getTransactionCount", json::array({account.hex(), block.to_json()}));
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity_u64(*r, "result"), "eth_getTransactionCount");
}

RpcResult<Bytes32> JsonRpcClient::send_raw_transaction(ByteView signed_transaction) {
    auto r = call("eth_sendRawTransaction", json::array({hex::encode(signed_transaction)}));
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::bytes32(*r, "result"), "eth_sendRawTransaction");
}

RpcResult<std::optional<Receipt>> JsonRpcClient::get_transaction_receipt(const Bytes32& transaction_hash) {
    auto r = call("eth_getTransactionReceipt", json::array({transaction_hash.hex()}));
    if (!r) return rpc_fail(r.error());
    if (r->is_null()) return std::optional<Receipt>{};
    auto receipt = as_rpc(decode_receipt(*r), "eth_getTransactionReceipt");
    if (!receipt) return rpc_fail(receipt.error());
    return std::optional<Receipt>{std::move(*receipt)};
}

RpcResult<Bytes> JsonRpcClient::eth_call(const CallRequest& request, const BlockId& block) {
    auto r = call("eth_call", json::array({request.to_json(), block.to_json()}));
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::data(*r, "result"), "eth_call");
}

RpcResult<std::uint64_t> JsonRpcClient::estimate_gas(const CallRequest& request) {
    auto r = call("eth_estimateGas", json::array({request.to_json()}));
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity_u64(*r, "result"), "eth_estimateGas");
}

RpcResult<std::uint64_t> JsonRpcClient::estimate_gas(const CallRequest& request, const BlockId& block) {
    auto r = call("eth_estimateGas", json::array({request.to_json(), block.to_json()}));
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity_u64(*r, "result"), "eth_estimateGas");
}

RpcResult<U256> JsonRpcClient::gas_price() {
    auto r = call("eth_gasPrice");
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity(*r, "result"), "eth_gasPrice");
}

RpcResult<U256> JsonRpcClient::max_priority_fee_per_gas() {
    auto r = call("eth_maxPriorityFeePerGas");
    if (!r) return rpc_fail(r.error());
    return as_rpc(field::quantity(*r, "result"), "eth_maxPriorityFeePerGas");
}

RpcResult<std::optional<BlockHeader>> JsonRpcClient::get_block_header(const BlockId& block) {
    // false: transaction hashes only; the header is all we read.
    auto r = call("eth_getBlockByNumber", json::array({block.to_json(), false}));
    if (!r) return rpc_fail(r.error());
    if (r->is_null()) return std::optional<BlockHeader>{};
    auto header = as_rpc(decode_block_header(*r), "eth_getBlockByNumber");
    if (!header) return rpc_fail(header.error());
    return std::optional<BlockHeader>{std::move(*header)};
}

JsonRpcClient make_http_client(const std::string& url) {
    return JsonRpcClient(std::make_unique<HttpTransport>(url));
}

}  // namespace keeper::chain

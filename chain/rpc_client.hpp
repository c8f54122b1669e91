#pragma once
// A JSON-RPC 2.0 client over any Transport (HTTP, a retrying wrapper, a fake
// replaying canned answers). call() and batch() check every answer (version,
// id, result xor error); the typed helpers decode the result and name the
// field that was malformed. Not thread-safe: one client per thread, like its
// transport.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/rpc_error.hpp"
#include "chain/rpc_response.hpp"
#include "chain/rpc_types.hpp"
#include "chain/transport.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"

namespace keeper::chain {

class JsonRpcClient {
public:
    explicit JsonRpcClient(std::unique_ptr<Transport> transport);

    // One call; errors are prefixed with the method name.
    RpcResult<nlohmann::json> call(const std::string& method, nlohmann::json params = nlohmann::json::array());
    // Several calls in one request; entry i is the outcome of calls[i].
    RpcResult<std::vector<RpcResult<nlohmann::json>>> batch(const std::vector<RpcCall>& calls);

    RpcResult<std::uint64_t> chain_id();
    RpcResult<std::uint64_t> block_number();
    RpcResult<U256> get_balance(const Address& account, const BlockId& block = BlockId::latest());
    // Use BlockId::pending() for the next nonce to sign with.
    RpcResult<std::uint64_t> get_transaction_count(const Address& account, const BlockId& block = BlockId::latest());
    RpcResult<Bytes32> send_raw_transaction(ByteView signed_transaction);
    // nullopt while the transaction is unknown or not yet mined.
    RpcResult<std::optional<Receipt>> get_transaction_receipt(const Bytes32& transaction_hash);
    // The return data; a revert is an RpcError of kind rpc with the revert bytes in `data`.
    RpcResult<Bytes> eth_call(const CallRequest& request, const BlockId& block = BlockId::latest());
    RpcResult<std::uint64_t> estimate_gas(const CallRequest& request);
    // At `block` ("pending": on top of the transactions the node holds unmined).
    RpcResult<std::uint64_t> estimate_gas(const CallRequest& request, const BlockId& block);
    RpcResult<U256> gas_price();
    RpcResult<U256> max_priority_fee_per_gas();
    // nullopt for a block the node does not have (yet).
    RpcResult<std::optional<BlockHeader>> get_block_header(const BlockId& block);

    // Test-node controls (evm_mine, anvil_*) are not here: the production
    // binary never sends them. See keeper/devnet/anvil_rpc.hpp.

private:
    std::unique_ptr<Transport> transport_;
    std::uint64_t next_id_ = 1;
};

// A client speaking HTTP to `url` with default timeouts.
JsonRpcClient make_http_client(const std::string& url);

}  // namespace keeper::chain

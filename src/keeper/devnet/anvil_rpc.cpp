#include "keeper/devnet/anvil_rpc.hpp"

#include <nlohmann/json.hpp>

namespace keeper::devnet {

chain::RpcResult<void> evm_mine(chain::JsonRpcClient& client) {
    auto r = client.call("evm_mine");
    if (!r) return chain::rpc_fail(r.error());
    return {};
}

chain::RpcResult<void> anvil_set_balance(chain::JsonRpcClient& client, const Address& account, const U256& wei) {
    auto r = client.call("anvil_setBalance", nlohmann::json::array({account.hex(), wei.to_hex()}));
    if (!r) return chain::rpc_fail(r.error());
    return {};
}

}  // namespace keeper::devnet

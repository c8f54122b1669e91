#include "chain/state_override.hpp"

#include "chain/json_fields.hpp"
#include "core/hex.hpp"

namespace keeper::chain {

nlohmann::json state_overrides_json(const StateOverrides& overrides) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [address, o] : overrides) {
        nlohmann::json account = nlohmann::json::object();
        if (o.balance_wei) account["balance"] = o.balance_wei->to_hex();
        if (o.nonce) account["nonce"] = U256(*o.nonce).to_hex();
        if (o.code) account["code"] = hex::encode(*o.code);
        if (!o.state_diff.empty()) {
            nlohmann::json diff = nlohmann::json::object();
            for (const auto& [slot, value] : o.state_diff) diff[slot.hex()] = value.hex();
            account["stateDiff"] = diff;
        }
        out[address.hex()] = account;
    }
    return out;
}

RpcResult<Bytes> eth_call_with_overrides(JsonRpcClient& client, const CallRequest& request, const BlockId& block,
                                         const StateOverrides& overrides) {
    auto answer = client.call("eth_call", nlohmann::json::array({request.to_json(), block.to_json(), state_overrides_json(overrides)}));
    if (!answer) return std::unexpected(answer.error());
    auto data = field::data(*answer, "result");
    if (!data) return rpc_fail(RpcError::malformed("eth_call: " + data.error().message));
    return *data;
}

}  // namespace keeper::chain

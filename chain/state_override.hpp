#pragma once
// eth_call against a hypothetical state: the third eth_call parameter that
// geth, reth, erigon and anvil accept. A dry run uses it to give the keeper's
// address the loan tokens or code it would need, without touching the chain.
#include <map>
#include <optional>
#include <vector>

#include "chain/rpc_client.hpp"

namespace keeper::chain {

struct AccountOverride {
    std::optional<U256> balance_wei;
    std::optional<std::uint64_t> nonce;
    std::optional<Bytes> code;
    // Slots set on top of the account's real storage ("stateDiff"); `state`
    // would replace the whole storage and is deliberately not offered.
    std::vector<std::pair<Bytes32, Bytes32>> state_diff;
};

using StateOverrides = std::map<Address, AccountOverride>;

nlohmann::json state_overrides_json(const StateOverrides& overrides);

RpcResult<Bytes> eth_call_with_overrides(JsonRpcClient& client, const CallRequest& request, const BlockId& block,
                                         const StateOverrides& overrides);

}  // namespace keeper::chain

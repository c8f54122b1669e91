#pragma once
// A transaction's receipt, counted only while its block is still the
// canonical one at its height: a node can keep answering the receipt of a
// block a reorg took away.
#include <optional>

#include "chain/rpc_client.hpp"

namespace keeper::chain {

// nullopt: no receipt, or one whose block is no longer canonical.
RpcResult<std::optional<Receipt>> read_canonical_receipt(JsonRpcClient& client, const Bytes32& transaction_hash);

}  // namespace keeper::chain

#pragma once
// Sending a transaction on a dev chain and waiting for it: what the demo, the
// devnet deployer and integration tests do again and again.
#include <optional>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"

namespace keeper::devnet {

// Sends a type-2 transaction from `key` (nonce from the node's pending count)
// and waits for its receipt: anvil automines, but the receipt can trail the
// send by a moment. An error when the node refuses it or no receipt appears.
// A reverted transaction is not an error here: check receipt.status.
Result<chain::Receipt> send_and_wait(chain::JsonRpcClient& client, const chain::PrivateKey& key,
                                     std::optional<Address> to, Bytes data, std::uint64_t gas_limit = 200'000);

}  // namespace keeper::devnet

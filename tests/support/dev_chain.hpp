#pragma once
// What integration tests do on a dev chain again and again: send a signed
// transaction from a dev key and wait for its receipt, and deploy a contract
// that emits an event per call.
#include <optional>
#include <string_view>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"

namespace keeper::testing {

// A contract that emits LOG1(topic 0x2a, data = calldata) on every call:
// runtime  CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 0x2a CALLDATASIZE PUSH1 0 LOG1 STOP
// init     PUSH1 13 PUSH1 12 PUSH1 0 CODECOPY PUSH1 13 PUSH1 0 RETURN
inline constexpr std::string_view kEmitterInitCode = "0x600d600c600039600d6000f3" "36600060003760" "2a366000a100";
Bytes32 emitter_topic();

// Sends a type-2 transaction from `key` (nonce from the node's pending count)
// and waits for its receipt: anvil automines, but the receipt can trail the
// send by a moment. An error when the node refuses it or no receipt appears.
Result<chain::Receipt> send_and_wait(chain::JsonRpcClient& client, const chain::PrivateKey& key,
                                     std::optional<Address> to, Bytes data, std::uint64_t gas_limit = 200'000);

}  // namespace keeper::testing

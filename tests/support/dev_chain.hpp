#pragma once
// What integration tests do on a dev chain again and again: send a signed
// transaction from a dev key and wait for its receipt (keeper::devnet, here
// under its test name), and deploy a contract that emits an event per call.
#include <string_view>

#include "core/fixed_bytes.hpp"
#include "keeper/devnet/send_and_wait.hpp"

namespace keeper::testing {

using devnet::send_and_wait;

// A contract that emits LOG1(topic 0x2a, data = calldata) on every call:
// runtime  CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 0x2a CALLDATASIZE PUSH1 0 LOG1 STOP
// init     PUSH1 13 PUSH1 12 PUSH1 0 CODECOPY PUSH1 13 PUSH1 0 RETURN
inline constexpr std::string_view kEmitterInitCode = "0x600d600c600039600d6000f3" "36600060003760" "2a366000a100";
Bytes32 emitter_topic();

}  // namespace keeper::testing

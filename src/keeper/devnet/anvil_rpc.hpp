#pragma once
// Test-node controls that only anvil (and hardhat) answer: mining a block on
// demand, setting an account's balance. The demo and the tests use them; the
// production daemon never does, so they live here, outside keeper::chain,
// and are linked only into builds with the demo or the tests.
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/u256.hpp"

namespace keeper::devnet {

// evm_mine: one block now, whatever the mining mode.
chain::RpcResult<void> evm_mine(chain::JsonRpcClient& client);

// anvil_setBalance: `account` holds exactly `wei` from the next block on.
chain::RpcResult<void> anvil_set_balance(chain::JsonRpcClient& client, const Address& account, const U256& wei);

}  // namespace keeper::devnet

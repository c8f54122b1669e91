#pragma once
// contracts/PoisonableERC20.sol on a dev chain: an ERC-20 whose balanceOf
// can be switched to revert for calls made from outside any contract (a
// keeper's eth_call) while the protocols that hold it keep working. Tests
// list it as a Morpho loan token or an Aave reserve to show that one broken
// token costs the keeper that token's work only.
#include <cstdint>
#include <string>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/result.hpp"

namespace keeper::devnet {

// Compiles (cached) and deploys PoisonableERC20(name, symbol, decimals) from `deployer`.
Result<Address> deploy_poisonable_token(chain::JsonRpcClient& client, const chain::PrivateKey& deployer,
                                        const std::string& name, const std::string& symbol,
                                        std::uint8_t decimals = 18);

// The constructor arguments above, ABI-encoded: what a deployer appends to the init code.
Result<Bytes> poisonable_token_args(const std::string& name, const std::string& symbol, std::uint8_t decimals);

// Flips the switch: while on, balanceOf reverts for non-contract callers.
Result<void> set_token_poisoned(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& token,
                                bool poisoned);

}  // namespace keeper::devnet

#pragma once
// The anvil node lives in the product (keeper::devnet, used by the demo);
// tests keep their old names for it.
#include "keeper/devnet/anvil_process.hpp"

namespace keeper::testing {

using devnet::AnvilOptions;
using devnet::AnvilProcess;
using devnet::anvil_executable;
using devnet::dev_accounts;
using devnet::DevAccount;

}  // namespace keeper::testing

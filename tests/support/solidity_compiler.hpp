#pragma once
// The solc-js wrapper lives in the product (keeper::devnet, used by the
// demo); tests keep their old names for it.
#include "keeper/devnet/solidity_compiler.hpp"

namespace keeper::testing {

using devnet::compile_contract;
using devnet::CompiledContract;
using devnet::contract_source;
using devnet::morpho_blue_source_dir;
using devnet::solcjs_executable;

}  // namespace keeper::testing

#pragma once
// Solidity for tests and benchmarks, compiled when first needed: the keeper
// never needs solc, and no bytecode is committed. compile_contract() runs the
// solc-js that scripts/setup installs (pinned 0.8.19; $KEEPER_SOLCJS
// overrides) as `solcjs --bin --abi --optimize` and caches the output under
// the build directory, keyed by the keccak of the source text, so an edited
// contract is recompiled and an unchanged one is not. Concurrent test
// processes are safe: each compiles into its own temporary directory and
// renames it into place.
#include <map>
#include <string>
#include <string_view>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper::devnet {

struct CompiledContract {
    Bytes init_code;      // the creation bytecode (what a deployment sends as data)
    std::string abi_json; // solc's ABI document
};

// `source_path` is a .sol file; `contract_name` the contract inside it.
// Imports resolve relative to the source's own directory.
Result<CompiledContract> compile_contract(const std::string& source_path, std::string_view contract_name);

// The same for a source inside a package whose imports climb above the
// source's directory (Morpho's mocks import "../interfaces/..."): solc-js
// only reads files under the directory it runs in, so it runs in
// `import_root`, which must contain `source_path`.
Result<CompiledContract> compile_contract(const std::string& source_path, std::string_view contract_name,
                                          const std::string& import_root);

// The same for a contract that calls external library functions: solc leaves
// a placeholder "__$" + keccak256("<source unit>:<Library>")[0..17) + "$__"
// where each library's address goes (FYToken calls
// "@yield-protocol/utils-v2/contracts/token/SafeERC20Namer.sol:SafeERC20Namer").
// `libraries` maps those fully qualified names to deployed addresses; a
// placeholder left over is an error naming it.
Result<CompiledContract> compile_contract(const std::string& source_path, std::string_view contract_name,
                                          const std::string& import_root,
                                          const std::map<std::string, Address>& libraries);

// <repo>/contracts/<file_name>: where the project's own contracts live.
std::string contract_source(std::string_view file_name);

// Morpho Blue's pinned sources (Morpho.sol, mocks/, interfaces/, libraries/):
// $KEEPER_MORPHO_SRC if set, else what scripts/setup installs under
// <repo>/.tools/node_modules/@morpho-org/morpho-blue/src.
std::string morpho_blue_source_dir();

// The solc-js executable compile_contract() runs.
std::string solcjs_executable();

}  // namespace keeper::devnet

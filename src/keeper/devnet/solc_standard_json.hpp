#pragma once
// A package's Solidity compiled by a pinned solc-js in Standard JSON mode
// (many sources, remappings, optimizer settings, libraries left unlinked),
// for deployments that no npm package ships artifacts for: aave-v3-origin
// 3.6.0 with solc 0.8.27. Like compile_contract() (solidity_compiler.hpp) the
// output is cached under the build directory, keyed by the keccak of the
// input document and of `version_note` (the package versions), so the slow
// compile (~35 s for the Aave pool) runs once per build tree; concurrent test
// processes each compile into a temporary file and rename it into place.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "keeper/devnet/hardhat_artifact.hpp"

namespace keeper::devnet {

struct StandardJsonJob {
    std::string solc_js;       // the solc-js package's solc.js, run with node
    std::string base_path;     // --base-path: source keys and remapping targets are relative to it
    std::string input_json;    // the Standard JSON input document
    std::string version_note;  // mixed into the cache key: package versions the sources come from
    std::string cache_name;    // prefix of the cache entry, for humans
};

// The Standard JSON output document (solc's own, an object). Fails when solc
// cannot run or reports an error (the first errors quoted).
Result<std::string> compile_standard_json(const StandardJsonJob& job);

// One contract of a Standard JSON output as a HardhatArtifact (bytecode with
// its library placeholders and linkReferences), ready for link_bytecode.
Result<HardhatArtifact> standard_json_artifact(std::string_view output_json, std::string_view source_key,
                                               std::string_view contract_name);

}  // namespace keeper::devnet

#pragma once
// Hardhat build artifacts (artifacts/<source>.sol/<Contract>.json) as the
// pinned @aave/core-v3 package ships them: `bytecode` is the creation code as
// hex, except that each call into an external library is a 40-character
// placeholder "__$" + the first 34 hex digits of keccak256("<source>:<Library>")
// + "$__", listed in `linkReferences` as {source: {Library: [{start, length}]}}
// with byte offsets. Linking writes each library's deployed address over its
// placeholders. The artifact text comes from an npm tarball: every offset is
// checked against the bytecode and against the placeholder it must cover.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper::devnet {

struct LinkReference {
    std::string library;  // fully qualified: "contracts/protocol/libraries/logic/BorrowLogic.sol:BorrowLogic"
    std::size_t start = 0;  // byte offset into the creation code; always 20 bytes long
};

struct HardhatArtifact {
    std::string contract_name;  // "Pool"
    std::string source_name;    // "contracts/protocol/pool/Pool.sol"
    Bytes bytecode;             // creation code, zeros where the placeholders were
    std::vector<LinkReference> link_references;  // sorted by start
};

// Libraries by fully qualified name.
using LibraryAddresses = std::map<std::string, Address>;

// Parses an artifact's JSON text. Fails on a missing or malformed field, an
// odd-length or non-hex bytecode outside the placeholders, a reference whose
// length is not 20, that runs past the end or overlaps another, or whose text
// is not that library's placeholder, and on a placeholder no reference lists.
Result<HardhatArtifact> parse_hardhat_artifact(std::string_view json_text);

// Reads <artifacts_dir>/<source_name>/<contract_name>.json and parses it.
Result<HardhatArtifact> load_hardhat_artifact(const std::string& artifacts_dir, std::string_view source_name,
                                              std::string_view contract_name);

// The creation code with every placeholder replaced by its library's address;
// a library missing from `libraries` is an error naming it.
Result<Bytes> link_bytecode(const HardhatArtifact& artifact, const LibraryAddresses& libraries);

// "__$" + keccak256(fully_qualified)[0..17) as 34 lowercase hex digits + "$__".
std::string library_placeholder(std::string_view fully_qualified_name);

// The pinned @aave/core-v3 artifacts: $KEEPER_AAVE_ARTIFACTS if set, else what
// scripts/setup installs under <repo>/.tools/node_modules/@aave/core-v3/artifacts.
std::string aave_artifacts_dir();

}  // namespace keeper::devnet

#pragma once
// Shared pieces of the config tests: a minimal valid keeper.toml and the
// repository root (the example config lives in config/).
#include <filesystem>
#include <string>

namespace keeper::config::testing {

// Line numbers matter to some tests: [chain] is line 1.
inline const std::string kMinimalChain =
    "[chain]\n"
    "rpc = \"http://127.0.0.1:8545\"\n";
inline const std::string kMinimalProtocol =
    "[[protocols]]\n"
    "kind = \"morpho-blue\"\n"
    "address = \"0xbbbbbbbbbb9cc5e90e3b3af64bdaf62c37eeffcb\"\n";
inline const std::string kMinimal = kMinimalChain + kMinimalProtocol;

// KEEPER_VECTORS_DIR is <repo>/tests/vectors for every unit binary.
inline std::filesystem::path repo_root() {
    return std::filesystem::path(KEEPER_VECTORS_DIR).parent_path().parent_path();
}

}  // namespace keeper::config::testing

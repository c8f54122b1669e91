// The pinned @aave/core-v3 1.19.3 Pool artifact that scripts/setup installs
// under .tools (or $KEEPER_AAVE_ARTIFACTS): it parses, and linking writes
// each of its seven libraries' addresses over every placeholder. Reads
// installed files, so it lives with the integration tests; a missing
// install fails it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "keeper/devnet/hardhat_artifact.hpp"

namespace keeper::devnet {
namespace pinned_aave_artifact_test {

Address filled(std::uint8_t byte) {
    Address a;
    a.bytes.fill(byte);
    return a;
}

// The pinned Pool links seven libraries at 23 places: 6 BorrowLogic,
// 2 BridgeLogic, 1 EModeLogic, 2 FlashLoanLogic, 1 LiquidationLogic,
// 6 PoolLogic, 5 SupplyLogic.
TEST(HardhatArtifact, ThePinnedAavePoolParsesAndLinks) {
    const std::string dir = aave_artifacts_dir();
    // Missing artifacts are a failure, not a skip: scripts/setup installs them.
    ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / "contracts"))
        << "no Aave artifacts in " << dir << " (run scripts/setup, or set $KEEPER_AAVE_ARTIFACTS)";
    auto pool = load_hardhat_artifact(dir, "contracts/protocol/pool/Pool.sol", "Pool");
    ASSERT_TRUE(pool.has_value()) << pool.error().message;
    EXPECT_EQ(pool->link_references.size(), 23u);
    LibraryAddresses libraries;
    std::uint8_t next = 1;
    for (const auto& ref : pool->link_references)
        if (!libraries.contains(ref.library)) libraries.emplace(ref.library, filled(next++));
    EXPECT_EQ(libraries.size(), 7u);
    EXPECT_TRUE(libraries.contains("contracts/protocol/libraries/logic/BorrowLogic.sol:BorrowLogic"));
    auto linked = link_bytecode(*pool, libraries);
    ASSERT_TRUE(linked.has_value()) << linked.error().message;
    EXPECT_EQ(linked->size(), pool->bytecode.size());
    for (const auto& ref : pool->link_references) {
        const Address at = libraries.at(ref.library);
        EXPECT_TRUE(
            std::equal(at.bytes.begin(), at.bytes.end(), linked->begin() + static_cast<std::ptrdiff_t>(ref.start)));
    }

    auto wrong_name = load_hardhat_artifact(dir, "contracts/protocol/pool/Pool.sol", "PoolConfigurator");
    EXPECT_FALSE(wrong_name.has_value());
}

}  // namespace pinned_aave_artifact_test
}  // namespace keeper::devnet

// [engine]: how often `run` audits every position exactly, read strictly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {
namespace engine_config_test {

using ::testing::HasSubstr;
using testing::kMinimal;

TEST(EngineConfig, AuditEveryBlocksIsRead) {
    auto config = parse_config(kMinimal + "[engine]\naudit_every_blocks = 0\n", "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->engine.audit_every_blocks, 0u);  // every head: the keeper before issue #18
}

TEST(EngineConfig, DefaultsToAnAuditEvery100Blocks) {
    auto config = parse_config(kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->engine.audit_every_blocks, 100u);
}

TEST(EngineConfig, ProblemsNameTheKey) {
    auto config = parse_config(kMinimal + "[engine]\naudit_every_blocks = -1\naudit_every = 5\n", "keeper.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_THAT(config.error().message, HasSubstr("engine.audit_every_blocks"));
    EXPECT_THAT(config.error().message, HasSubstr("engine.audit_every"));
}

}  // namespace engine_config_test
}  // namespace keeper::config

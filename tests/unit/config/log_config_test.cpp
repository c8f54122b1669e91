// [log]: format and levels per module, checked when the file is read.
#include <gtest/gtest.h>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {
namespace log_config_test {

using testing::kMinimal;

TEST(LogConfig, FormatAndLevelsPerModule) {
    auto config = parse_config(kMinimal + "[log]\nformat = \"json\"\nlevel = \"warn,alerts=debug\"\n", "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->log.format, log::LogFormat::json);
    ASSERT_TRUE(config->log.levels.has_value());
    EXPECT_EQ(config->log.levels->level_of("keeper"), spdlog::level::warn);
    EXPECT_EQ(config->log.levels->level_of("alerts"), spdlog::level::debug);
}

TEST(LogConfig, AbsentMeansTheCommandLineOrDefaultsDecide) {
    auto config = parse_config(kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->log.format, std::nullopt);
    EXPECT_EQ(config->log.levels.has_value(), false);
}

TEST(LogConfig, ProblemsNameTheKey) {
    auto bad_format = parse_config(kMinimal + "[log]\nformat = \"xml\"\n", "keeper.toml");
    ASSERT_FALSE(bad_format.has_value());
    EXPECT_EQ(bad_format.error().message, "keeper.toml:7: log.format: expected \"text\" or \"json\", got \"xml\"");
    auto bad_level = parse_config(kMinimal + "[log]\nlevel = \"alerts=loud\"\n", "keeper.toml");
    ASSERT_FALSE(bad_level.has_value());
    EXPECT_EQ(bad_level.error().message,
              "keeper.toml:7: log.level: log level: unknown level 'loud' for module 'alerts' (expected trace, debug, "
              "info, warn, error, critical or off)");
    auto unknown = parse_config(kMinimal + "[log]\nlevels = \"info\"\n", "keeper.toml");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().message, "keeper.toml:7: unknown key 'log.levels'");
}

}  // namespace log_config_test
}  // namespace keeper::config

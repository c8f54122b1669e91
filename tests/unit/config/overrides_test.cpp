// Command-line options over keeper.toml, and where the state directory ends up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

using namespace keeper::config;
using keeper::config::testing::kMinimal;
using ::testing::HasSubstr;

namespace overrides_test {

KeeperConfig minimal_with(const std::string& extra) {
    auto config = parse_config(kMinimal + extra, "keeper.toml");
    EXPECT_TRUE(config.has_value()) << config.error().message;
    return config.value_or(KeeperConfig{});
}

Getenv environment(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
        auto it = variables.find(name);
        if (it == variables.end()) return std::nullopt;
        return it->second;
    };
}

TEST(ApplyOverrides, NoOverridesChangeNothing) {
    KeeperConfig config = minimal_with("[signer]\nprivate_key_env = \"KEY\"\n");
    ASSERT_TRUE(apply_overrides(config, CliOverrides{}).has_value());
    EXPECT_EQ(config.chain.rpc, std::vector<std::string>{"http://127.0.0.1:8545"});
    EXPECT_EQ(config.signer.private_key_env, "KEY");
    EXPECT_EQ(config.state_dir, std::nullopt);
}

TEST(ApplyOverrides, RpcUrlsReplaceTheFilesListAndStateDirIsSet) {
    KeeperConfig config = minimal_with("");
    CliOverrides overrides;
    overrides.rpc = {"http://fork:8545", "https://backup.example"};
    overrides.state_dir = "/tmp/keeper-state";
    ASSERT_TRUE(apply_overrides(config, overrides).has_value());
    EXPECT_EQ(config.chain.rpc, (std::vector<std::string>{"http://fork:8545", "https://backup.example"}));
    EXPECT_EQ(config.state_dir, std::filesystem::path("/tmp/keeper-state"));
}

TEST(ApplyOverrides, AnInvalidOverrideIsAnErrorAndLeavesTheConfigAsItWas) {
    KeeperConfig config = minimal_with("");
    CliOverrides overrides;
    overrides.state_dir = "/elsewhere";
    overrides.rpc = {"ws://not-http"};
    auto applied = apply_overrides(config, overrides);
    ASSERT_FALSE(applied.has_value());
    EXPECT_EQ(applied.error().message, "--rpc: expected an http:// or https:// URL, got scheme \"ws\"");
    EXPECT_EQ(config.chain.rpc, std::vector<std::string>{"http://127.0.0.1:8545"});
    EXPECT_EQ(config.state_dir, std::nullopt);
}

TEST(ApplyOverrides, AKeystoreOnTheCommandLineReplacesTheFilesEnvironmentVariable) {
    KeeperConfig config = minimal_with("[signer]\nprivate_key_env = \"KEY\"\n");
    CliOverrides overrides;
    overrides.keystore = "/k.json";
    overrides.password_file = "/p";
    ASSERT_TRUE(apply_overrides(config, overrides).has_value());
    EXPECT_EQ(config.signer.private_key_env, std::nullopt);
    EXPECT_EQ(config.signer.keystore, std::filesystem::path("/k.json"));
    EXPECT_EQ(config.signer.password_file, std::filesystem::path("/p"));
}

TEST(ApplyOverrides, AnEnvironmentVariableOnTheCommandLineReplacesTheFilesKeystore) {
    KeeperConfig config = minimal_with("[signer]\nkeystore = \"/k.json\"\npassword_file = \"/p\"\n");
    CliOverrides overrides;
    overrides.private_key_env = "DEV_KEY";
    ASSERT_TRUE(apply_overrides(config, overrides).has_value());
    EXPECT_EQ(config.signer.private_key_env, "DEV_KEY");
    EXPECT_EQ(config.signer.keystore, std::nullopt);
    EXPECT_EQ(config.signer.password_file, std::nullopt);
}

TEST(ApplyOverrides, AKeystoreKeepsTheFilesPasswordFileUnlessOneIsGiven) {
    KeeperConfig config = minimal_with("[signer]\nkeystore = \"/a.json\"\npassword_file = \"/p\"\n");
    CliOverrides overrides;
    overrides.keystore = "/b.json";
    ASSERT_TRUE(apply_overrides(config, overrides).has_value());
    EXPECT_EQ(config.signer.keystore, std::filesystem::path("/b.json"));
    EXPECT_EQ(config.signer.password_file, std::filesystem::path("/p"));
}

TEST(ApplyOverrides, AKeystoreWithoutAnyPasswordFileIsRejected) {
    KeeperConfig config = minimal_with("[signer]\nprivate_key_env = \"KEY\"\n");
    CliOverrides overrides;
    overrides.keystore = "/k.json";
    auto applied = apply_overrides(config, overrides);
    ASSERT_FALSE(applied.has_value());
    EXPECT_THAT(applied.error().message, HasSubstr("keystore requires password_file"));
    EXPECT_EQ(config.signer.private_key_env, "KEY");
}

TEST(ApplyOverrides, BothSignerKindsOnTheCommandLineAreRejected) {
    KeeperConfig config = minimal_with("");
    CliOverrides overrides;
    overrides.private_key_env = "KEY";
    overrides.keystore = "/k.json";
    overrides.password_file = "/p";
    auto applied = apply_overrides(config, overrides);
    ASSERT_FALSE(applied.has_value());
    EXPECT_THAT(applied.error().message, HasSubstr("private_key_env and keystore are mutually exclusive"));
}

TEST(ApplyOverrides, APrivateKeyGivenAsTheVariableNameIsRejectedWithoutEchoingIt) {
    KeeperConfig config = minimal_with("");
    CliOverrides overrides;
    overrides.private_key_env = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    auto applied = apply_overrides(config, overrides);
    ASSERT_FALSE(applied.has_value());
    EXPECT_THAT(applied.error().message, HasSubstr("--private-key-env: expected the name of an environment variable"));
    EXPECT_THAT(applied.error().message, ::testing::Not(HasSubstr("ac0974")));
}

TEST(ApplyOverrides, ABareHexKeyGivenAsTheVariableNameIsRejectedWithoutEchoingIt) {
    KeeperConfig config = minimal_with("");
    CliOverrides overrides;
    overrides.private_key_env = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    auto applied = apply_overrides(config, overrides);
    ASSERT_FALSE(applied.has_value());
    EXPECT_THAT(applied.error().message, HasSubstr("--private-key-env: expected the name of an environment variable"));
    EXPECT_THAT(applied.error().message, ::testing::Not(HasSubstr("ac0974")));
}

TEST(EffectiveStateDir, TheConfiguredDirectoryWinsOverSystemd) {
    KeeperConfig config = minimal_with("");
    config.state_dir = "/var/lib/from-config";
    EXPECT_EQ(effective_state_dir(config, environment({{"STATE_DIRECTORY", "/var/lib/systemd"}})),
              std::filesystem::path("/var/lib/from-config"));
}

TEST(EffectiveStateDir, SystemdsStateDirectoryIsUsedNextTakingItsFirstEntry) {
    KeeperConfig config = minimal_with("");
    EXPECT_EQ(effective_state_dir(config, environment({{"STATE_DIRECTORY", "/var/lib/margin-keeper"}})),
              std::filesystem::path("/var/lib/margin-keeper"));
    EXPECT_EQ(effective_state_dir(config, environment({{"STATE_DIRECTORY", "/var/lib/a:/var/lib/b"}})),
              std::filesystem::path("/var/lib/a"));
}

TEST(EffectiveStateDir, OtherwiseADirectoryBesideTheWorkingDirectory) {
    KeeperConfig config = minimal_with("");
    EXPECT_EQ(effective_state_dir(config, environment({})), std::filesystem::path("./margin-keeper-state"));
    EXPECT_EQ(effective_state_dir(config, environment({{"STATE_DIRECTORY", ""}})),
              std::filesystem::path("./margin-keeper-state"));
}

TEST(EffectiveStateDir, TheCommandLineOverridesTheFile) {
    auto config = parse_config("state_dir = \"/from/file\"\n" + kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(effective_state_dir(*config, environment({})), std::filesystem::path("/from/file"));
    CliOverrides overrides;
    overrides.state_dir = "/from/cli";
    ASSERT_TRUE(apply_overrides(*config, overrides).has_value());
    EXPECT_EQ(effective_state_dir(*config, environment({})), std::filesystem::path("/from/cli"));
}

}  // namespace overrides_test

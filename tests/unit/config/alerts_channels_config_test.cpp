// [alerts] channel and threshold keys: read into settings, secrets named by
// environment variable, URLs never echoed, unknown keys still an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {
namespace alerts_channels_config_test {

using ::testing::HasSubstr;
using testing::kMinimal;

std::string error_of(const std::string& toml) {
    auto config = parse_config(toml, "keeper.toml");
    return config.has_value() ? "" : config.error().message;
}

TEST(AlertsChannelsConfig, EveryChannelAndThresholdIsRead) {
    auto config = parse_config(kMinimal + R"([alerts]
slack_webhook_url = "https://hooks.slack.com/services/T/B/X"
discord_webhook_url = "https://discord.com/api/webhooks/1/Y"
telegram_bot_token_env = "KEEPER_TELEGRAM_TOKEN"
telegram_chat_id = -1001234567890
telegram_api_url = "http://127.0.0.1:9000"
pagerduty_routing_key_env = "KEEPER_PAGERDUTY_KEY"
pagerduty_url = "http://127.0.0.1:9001/v2/enqueue"
reorg_depth = 4
oracle_max_age_s = 3600
min_signer_balance = "0.05"
rpc_failures_before_down = 5
)",
                               "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    const AlertSettings& a = config->alerts;
    EXPECT_EQ(a.slack_webhook_url, "https://hooks.slack.com/services/T/B/X");
    EXPECT_EQ(a.discord_webhook_url, "https://discord.com/api/webhooks/1/Y");
    EXPECT_EQ(a.telegram_bot_token_env, "KEEPER_TELEGRAM_TOKEN");
    EXPECT_EQ(a.telegram_chat_id, "-1001234567890");
    EXPECT_EQ(a.telegram_api_url, "http://127.0.0.1:9000");
    EXPECT_EQ(a.pagerduty_routing_key_env, "KEEPER_PAGERDUTY_KEY");
    EXPECT_EQ(a.pagerduty_url, "http://127.0.0.1:9001/v2/enqueue");
    EXPECT_EQ(a.reorg_depth, 4u);
    EXPECT_EQ(a.oracle_max_age, std::chrono::seconds(3600));
    EXPECT_EQ(a.min_signer_balance_wei, U256(50'000'000'000'000'000ULL));  // 0.05 ETH
    EXPECT_EQ(a.rpc_failures_before_down, 5u);
    EXPECT_TRUE(a.any_channel());
    EXPECT_EQ(a.webhook_url, std::nullopt);
}

TEST(AlertsChannelsConfig, DefaultsWithoutTheKeys) {
    auto config = parse_config(kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_FALSE(config->alerts.any_channel());
    EXPECT_EQ(config->alerts.telegram_api_url, "https://api.telegram.org");
    EXPECT_EQ(config->alerts.pagerduty_url, "https://events.pagerduty.com/v2/enqueue");
    EXPECT_EQ(config->alerts.reorg_depth, 2u);
    EXPECT_EQ(config->alerts.oracle_max_age, std::nullopt);
    EXPECT_EQ(config->alerts.min_signer_balance_wei, std::nullopt);
}

TEST(AlertsChannelsConfig, ProblemsNameTheKey) {
    EXPECT_EQ(error_of(kMinimal + "[alerts]\npagerduty_routing_key = \"abc\"\n"),
              "keeper.toml:7: unknown key 'alerts.pagerduty_routing_key'");
    EXPECT_THAT(error_of(kMinimal + "[alerts]\ntelegram_bot_token_env = \"KEEPER_TG\"\n"),
                HasSubstr("alerts: telegram_bot_token_env and telegram_chat_id go together"));
    EXPECT_THAT(error_of(kMinimal + "[alerts]\ntelegram_bot_token_env = \"not a name\"\ntelegram_chat_id = 1\n"),
                HasSubstr("alerts.telegram_bot_token_env: "));
    EXPECT_THAT(error_of(kMinimal + "[alerts]\ntelegram_chat_id = true\ntelegram_bot_token_env = \"T\"\n"),
                HasSubstr("alerts.telegram_chat_id: expected an integer chat id or a \"@channel\" string, got true"));
    const std::string hook = error_of(kMinimal + "[alerts]\nslack_webhook_url = \"hxxps://hooks/T/B/SECRETTOKEN\"\n");
    EXPECT_THAT(hook, HasSubstr("alerts.slack_webhook_url: expected an http:// or https:// URL"));
    EXPECT_THAT(hook, ::testing::Not(HasSubstr("SECRETTOKEN")));
}

}  // namespace alerts_channels_config_test
}  // namespace keeper::config

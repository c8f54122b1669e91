#include "keeper/alerts/channels_from_config.hpp"

namespace keeper::alerts {
namespace {

Result<std::string> secret_from_env(const std::string& name, const config::Getenv& getenv, const char* key) {
    auto value = getenv(name);
    if (!value || value->empty()) return fail(std::string("alerts.") + key + ": environment variable " + name + " is not set");
    return *value;
}

}  // namespace

WebhookFormat webhook_format(config::WebhookFormat format) {
    switch (format) {
        case config::WebhookFormat::slack: return WebhookFormat::slack;
        case config::WebhookFormat::discord: return WebhookFormat::discord;
        case config::WebhookFormat::generic: break;
    }
    return WebhookFormat::generic;
}

Result<std::vector<ChannelSpec>> channels_from_config(const config::AlertSettings& s, const config::Getenv& getenv) {
    std::vector<ChannelSpec> channels;
    if (s.webhook_url) channels.push_back(webhook_channel(*s.webhook_url, webhook_format(s.format)));
    if (s.slack_webhook_url) channels.push_back(webhook_channel(*s.slack_webhook_url, WebhookFormat::slack));
    if (s.discord_webhook_url) channels.push_back(webhook_channel(*s.discord_webhook_url, WebhookFormat::discord));
    if (s.telegram_bot_token_env && s.telegram_chat_id) {
        auto token = secret_from_env(*s.telegram_bot_token_env, getenv, "telegram_bot_token_env");
        if (!token) return std::unexpected(token.error());
        channels.push_back(telegram_channel(s.telegram_api_url, *token, *s.telegram_chat_id));
    }
    if (s.pagerduty_routing_key_env) {
        auto key = secret_from_env(*s.pagerduty_routing_key_env, getenv, "pagerduty_routing_key_env");
        if (!key) return std::unexpected(key.error());
        channels.push_back(pagerduty_channel(s.pagerduty_url, *key));
    }
    return channels;
}

AlertThresholds thresholds_from_config(const config::AlertSettings& s) {
    AlertThresholds t;
    t.warning_health_wad = s.warning_health_wad;
    t.min_interval = s.min_interval;
    t.max_per_minute = s.max_per_minute;
    t.reorg_depth = s.reorg_depth;
    t.rpc_failures_before_down = s.rpc_failures_before_down;
    return t;
}

}  // namespace keeper::alerts

#pragma once
// [alerts] as channels and thresholds. Secrets (the Telegram bot token, the
// PagerDuty routing key) are read here from the environment variables the
// file names; a variable that is unset or empty is an error naming the
// variable, never its value.
#include <vector>

#include "core/result.hpp"
#include "keeper/alerts/alert_channels.hpp"
#include "keeper/alerts/operator_alerts.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::alerts {

WebhookFormat webhook_format(config::WebhookFormat format);

// Every configured channel, in a fixed order: webhook_url (as its format
// says), slack, discord, telegram, pagerduty.
Result<std::vector<ChannelSpec>> channels_from_config(const config::AlertSettings& settings,
                                                      const config::Getenv& getenv);

AlertThresholds thresholds_from_config(const config::AlertSettings& settings);

}  // namespace keeper::alerts

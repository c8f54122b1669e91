#pragma once
// Where alerts go: any number of channels at once (the generic JSON webhook,
// Slack, Discord, Telegram, PagerDuty), each behind a dispatcher of its own so
// that a hung service delays nobody else.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "keeper/alerts/alert_dispatcher.hpp"
#include "keeper/alerts/webhook_sender.hpp"

namespace keeper::alerts {

// One channel: where it posts and how an alert becomes its JSON body.
struct ChannelSpec {
    std::string name;                    // "slack", "telegram", ... for logs
    std::string url;                     // secret-bearing: shown only through net::redact_url
    WebhookSender::Body body;
    std::vector<std::string> secrets;    // kept out of every error message (a routing key, say)
};

inline constexpr const char* telegram_default_api = "https://api.telegram.org";
inline constexpr const char* pagerduty_default_url = "https://events.pagerduty.com/v2/enqueue";

ChannelSpec webhook_channel(std::string url, WebhookFormat format);  // generic, slack or discord
// POSTs to <api_base>/bot<token>/sendMessage.
ChannelSpec telegram_channel(std::string api_base, const std::string& bot_token, std::string chat_id);
ChannelSpec pagerduty_channel(std::string events_url, std::string routing_key);

// A dispatcher posting every alert to `channel` (webhook_http_options(), stop() cancels a post in progress).
std::unique_ptr<AlertDispatcher> channel_dispatcher(ChannelSpec channel, DispatcherOptions options,
                                                    AlertDispatcher::Log warn);

// Every alert to every channel.
class AlertChannels {
public:
    AlertChannels(std::vector<ChannelSpec> channels, DispatcherOptions options, AlertDispatcher::Log warn);

    // True when some channel's queue was full and dropped its oldest alert.
    bool enqueue(const Alert& alert);
    void stop();
    DispatcherCounts counts() const;  // summed over channels
    std::size_t size() const { return dispatchers_.size(); }
    const std::vector<std::string>& names() const { return names_; }

private:
    std::vector<std::string> names_;
    std::vector<std::unique_ptr<AlertDispatcher>> dispatchers_;
};

}  // namespace keeper::alerts

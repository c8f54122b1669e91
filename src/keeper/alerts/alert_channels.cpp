#include "keeper/alerts/alert_channels.hpp"

#include <atomic>
#include <thread>
#include <utility>

namespace keeper::alerts {

ChannelSpec webhook_channel(std::string url, WebhookFormat format) {
    const char* name = format == WebhookFormat::slack ? "slack" : format == WebhookFormat::discord ? "discord" : "webhook";
    return ChannelSpec{name, std::move(url), [format](const Alert& alert) { return webhook_body(alert, format); }, {}};
}

ChannelSpec telegram_channel(std::string api_base, const std::string& bot_token, std::string chat_id) {
    while (api_base.ends_with('/')) api_base.pop_back();
    return ChannelSpec{"telegram", api_base + "/bot" + bot_token + "/sendMessage",
                       [chat_id = std::move(chat_id)](const Alert& alert) { return telegram_body(alert, chat_id); },
                       {bot_token}};
}

ChannelSpec pagerduty_channel(std::string events_url, std::string routing_key) {
    return ChannelSpec{"pagerduty", std::move(events_url),
                       [routing_key](const Alert& alert) { return pagerduty_body(alert, routing_key); },
                       {routing_key}};
}

std::unique_ptr<AlertDispatcher> channel_dispatcher(ChannelSpec channel, DispatcherOptions options,
                                                    AlertDispatcher::Log warn) {
    auto abandoned = std::make_shared<std::atomic<bool>>(false);
    net::HttpOptions http = webhook_http_options();
    http.cancelled = [abandoned] { return abandoned->load(); };
    // Built here, used only by the worker thread from now on (one sender per thread).
    auto sender = std::make_shared<WebhookSender>(std::move(channel.url), std::move(channel.body), std::move(http),
                                                  std::move(channel.secrets));
    AlertDispatcher::Log named = [warn = std::move(warn), name = channel.name](const std::string& line) {
        if (warn) warn(name.empty() ? line : name + " " + line);
    };
    return std::make_unique<AlertDispatcher>([sender](const Alert& alert) { return sender->post(alert); },
                                             std::move(named), options, [abandoned] { abandoned->store(true); });
}

AlertChannels::AlertChannels(std::vector<ChannelSpec> channels, DispatcherOptions options, AlertDispatcher::Log warn) {
    for (ChannelSpec& channel : channels) {
        names_.push_back(channel.name);
        dispatchers_.push_back(channel_dispatcher(std::move(channel), options, warn));
    }
}

bool AlertChannels::enqueue(const Alert& alert) {
    bool dropped = false;
    for (auto& dispatcher : dispatchers_) dropped = dispatcher->enqueue(alert) || dropped;
    return dropped;
}

// All at once: each may wait its drain time and a cancelled post, and five
// hung services one after another would eat the 10 s shutdown promise.
void AlertChannels::stop() {
    std::vector<std::thread> stopping;
    for (auto& dispatcher : dispatchers_) stopping.emplace_back([d = dispatcher.get()] { d->stop(); });
    for (auto& t : stopping) t.join();
}

DispatcherCounts AlertChannels::counts() const {
    DispatcherCounts total;
    for (const auto& dispatcher : dispatchers_) {
        const DispatcherCounts c = dispatcher->counts();
        total.sent += c.sent;
        total.failed += c.failed;
        total.dropped += c.dropped;
    }
    return total;
}

}  // namespace keeper::alerts

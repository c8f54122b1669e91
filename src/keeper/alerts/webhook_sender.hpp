#pragma once
// Posts alerts to one webhook (a generic JSON receiver, Slack or Discord).
// One request per alert, no retry: a caller that wants retries or a queue
// wraps this (DESIGN.md rule 11). One sender per thread (it owns a curl handle).
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "keeper/alerts/alert.hpp"
#include "keeper/alerts/webhook_body.hpp"
#include "net/http_client.hpp"

namespace keeper::alerts {

// Short: a slow chat service must not hold up the keeper.
inline net::HttpOptions webhook_http_options() {
    net::HttpOptions options;
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.total_timeout = std::chrono::milliseconds(5000);
    options.max_response_bytes = 64u << 10;
    return options;
}

class WebhookSender {
public:
    // The JSON body of one alert for this channel (webhook_body, telegram_body, pagerduty_body, ...).
    using Body = std::function<nlohmann::json(const Alert&)>;

    WebhookSender(std::string url, WebhookFormat format);
    WebhookSender(std::string url, WebhookFormat format, net::HttpOptions options);
    // `secrets` (a routing key carried in the body, say) are cut out of every
    // error message, like the URL's own secret parts.
    WebhookSender(std::string url, Body body, net::HttpOptions options, std::vector<std::string> secrets = {});

    // Never throws. Errors (no connection, timeout, a non-2xx status) name
    // the URL's scheme and host but never its path, query or user info,
    // where webhook tokens live: "webhook https://hooks.slack.com/<redacted>: connect: ...".
    Result<void> post(const Alert& alert);

    // The URL as logs may show it.
    const std::string& display_url() const { return display_url_; }

private:
    Error error(const std::string& detail) const;

    std::string url_;
    std::string display_url_;
    Body body_;
    std::vector<std::string> secrets_;
    net::HttpClient http_;
};

}  // namespace keeper::alerts

#include "keeper/alerts/webhook_sender.hpp"

#include <exception>
#include <utility>

#include "keeper/alerts/webhook_url.hpp"
#include "net/url_redaction.hpp"

namespace keeper::alerts {

WebhookSender::WebhookSender(std::string url, WebhookFormat format)
    : WebhookSender(std::move(url), format, webhook_http_options()) {}

WebhookSender::WebhookSender(std::string url, WebhookFormat format, net::HttpOptions options)
    : WebhookSender(std::move(url), [format](const Alert& alert) { return webhook_body(alert, format); },
                    std::move(options)) {}

WebhookSender::WebhookSender(std::string url, Body body, net::HttpOptions options, std::vector<std::string> secrets)
    : url_(std::move(url)),
      display_url_(net::redact_url(url_)),
      body_(std::move(body)),
      secrets_(std::move(secrets)),
      http_(url_, std::move(options)) {}

Error WebhookSender::error(const std::string& detail) const {
    std::string message = net::scrub_url(detail, url_);
    for (const std::string& secret : secrets_) {
        if (secret.empty()) continue;
        for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at))
            message.replace(at, secret.size(), "<redacted>");
    }
    return Error{"webhook " + display_url_ + ": " + message};
}

Result<void> WebhookSender::post(const Alert& alert) {
    if (!is_http_url(url_)) return std::unexpected(error("url: expected http:// or https:// with a host"));
    std::string body;
    try {
        // Invalid UTF-8 (a protocol name from a config, say) is replaced, not thrown on.
        body = body_(alert).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const std::exception& e) {
        return std::unexpected(error(std::string("body: ") + e.what()));
    }
    auto response = http_.post(body);
    if (!response.has_value()) {
        // HttpClient's messages start "http <redacted url>: "; keep only what follows.
        std::string detail = response.error().message;
        const std::string prefix = "http " + display_url_ + ": ";
        if (detail.starts_with(prefix)) detail.erase(0, prefix.size());
        return std::unexpected(error(detail));
    }
    auto ok = net::body_if_ok(std::move(*response));
    if (!ok.has_value()) return std::unexpected(error(ok.error().message));
    return {};
}

}  // namespace keeper::alerts

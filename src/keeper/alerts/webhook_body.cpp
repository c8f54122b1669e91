#include "keeper/alerts/webhook_body.hpp"

#include <string>
#include <string_view>

namespace keeper::alerts {
namespace {

// Slack reads &, < and > as control characters (links, mentions).
std::string slack_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u; }

std::string truncated(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    constexpr std::string_view ellipsis = "...";
    std::size_t cut = limit - ellipsis.size();
    // Never split a multi-byte character: back up to the start of the one cut through.
    while (cut > 0 && utf8_continuation(text[cut])) --cut;
    return std::string(text.substr(0, cut)) + std::string(ellipsis);
}

nlohmann::json generic_body(const Alert& alert) {
    nlohmann::json body = {
        {"source", "margin-keeper"},
        {"severity", std::string(severity_name(alert.severity))},
        {"protocol", alert.account.protocol},
        {"market", alert.account.market},
        {"account", alert.account.account.checksummed()},
        {"health", format_health(alert.account.health_wad)},
        {"health_wad", alert.account.health_wad.to_dec()},
        {"liquidatable", alert.account.liquidatable},
        {"text", alert.text},
    };
    if (alert.folded_accounts > 0) body["folded_accounts"] = alert.folded_accounts;
    return body;
}

}  // namespace

nlohmann::json webhook_body(const Alert& alert, WebhookFormat format) {
    switch (format) {
        case WebhookFormat::slack:
            return {{"text", slack_escaped(alert.text)}};
        case WebhookFormat::discord:
            return {{"content", truncated(alert.text, discord_content_limit)}};
        case WebhookFormat::generic:
            break;
    }
    return generic_body(alert);
}

}  // namespace keeper::alerts

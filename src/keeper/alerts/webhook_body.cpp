#include "keeper/alerts/webhook_body.hpp"

#include <optional>
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

bool is_account_alert(const Alert& alert) {
    const AlertKind kind = kind_of(alert);
    return kind == AlertKind::underwater || kind == AlertKind::near_liquidation;
}

std::optional<long long> as_integer(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size()) return std::nullopt;
    for (std::size_t j = i; j < text.size(); ++j)
        if (text[j] < '0' || text[j] > '9') return std::nullopt;
    return std::stoll(std::string(text));
}

nlohmann::json generic_body(const Alert& alert) {
    if (!is_account_alert(alert)) {
        return {
            {"source", "margin-keeper"},
            {"kind", std::string(kind_name(kind_of(alert)))},
            {"event", std::string(event_name(alert.event))},
            {"severity", std::string(urgency_name(urgency_of(alert)))},
            {"dedup_key", dedup_key_of(alert)},
            {"text", alert.text},
            {"details", alert_details(alert)},
        };
    }
    nlohmann::json body = {
        {"source", "margin-keeper"},
        {"kind", std::string(kind_name(kind_of(alert)))},
        {"event", std::string(event_name(alert.event))},  // resolve: the account is out of that state
        {"dedup_key", dedup_key_of(alert)},
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

nlohmann::json alert_details(const Alert& alert) {
    nlohmann::json details = nlohmann::json::object();
    if (is_account_alert(alert)) {
        details["protocol"] = alert.account.protocol;
        details["market"] = alert.account.market;
        details["account"] = alert.account.account.checksummed();
        details["health"] = format_health(alert.account.health_wad);
        details["health_wad"] = alert.account.health_wad.to_dec();
        details["liquidatable"] = alert.account.liquidatable;
        if (alert.folded_accounts > 0) details["folded_accounts"] = alert.folded_accounts;
        return details;
    }
    for (const auto& [key, value] : alert.details) details[key] = value;
    return details;
}

nlohmann::json telegram_body(const Alert& alert, std::string_view chat_id) {
    nlohmann::json chat = std::string(chat_id);
    if (auto number = as_integer(chat_id)) chat = *number;
    return {
        {"chat_id", chat}, {"text", truncated(alert.text, telegram_text_limit)}, {"disable_web_page_preview", true}};
}

nlohmann::json pagerduty_body(const Alert& alert, std::string_view routing_key) {
    nlohmann::json body = {
        {"routing_key", std::string(routing_key)},
        {"event_action", std::string(event_name(alert.event))},
        {"dedup_key", dedup_key_of(alert)},
    };
    if (alert.event == AlertEvent::resolve) return body;
    body["payload"] = {
        {"summary", truncated(alert.text, pagerduty_summary_limit)},
        {"source", "margin-keeper"},
        {"severity", std::string(urgency_name(urgency_of(alert)))},
        {"class", std::string(kind_name(kind_of(alert)))},
        {"custom_details", alert_details(alert)},
    };
    return body;
}

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

#include "core/fixed_point.hpp"
#include "keeper/config/config_sections.hpp"
#include "keeper/config/settings_rules.hpp"

namespace keeper::config {

namespace {

constexpr std::uint64_t kSecondsPerYear = 365ull * 24 * 3600;

std::optional<WebhookFormat> read_format(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* text = node.as_string()) {
        if (text->get() == "generic") return WebhookFormat::generic;
        if (text->get() == "slack") return WebhookFormat::slack;
        if (text->get() == "discord") return WebhookFormat::discord;
    }
    problems.add(&node, key, "expected \"generic\", \"slack\" or \"discord\", got " + describe(node));
    return std::nullopt;
}

std::optional<std::string> read_env_name(const toml::node& node, std::string_view key, Problems& problems) {
    auto name = read_string(node, key, problems);
    if (!name) return std::nullopt;
    if (auto checked = check_env_name(*name); !checked) {
        problems.add(&node, key, checked.error().message);
        return std::nullopt;
    }
    return name;
}

// A chat id: Telegram's are integers (negative for groups) or "@channel".
std::optional<std::string> read_chat_id(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* number = node.as_integer()) return std::to_string(number->get());
    if (const auto* text = node.as_string(); text != nullptr && !text->get().empty()) return text->get();
    problems.add(&node, key, "expected an integer chat id or a \"@channel\" string, got " + describe(node));
    return std::nullopt;
}

void read_channels(Fields& fields, AlertSettings& out) {
    Problems& problems = fields.problems();
    if (const toml::node* node = fields.get("slack_webhook_url"))
        out.slack_webhook_url = read_url(*node, "alerts.slack_webhook_url", false, problems);
    if (const toml::node* node = fields.get("discord_webhook_url"))
        out.discord_webhook_url = read_url(*node, "alerts.discord_webhook_url", false, problems);
    const toml::node* token = fields.get("telegram_bot_token_env");
    if (token != nullptr) out.telegram_bot_token_env = read_env_name(*token, "alerts.telegram_bot_token_env", problems);
    const toml::node* chat = fields.get("telegram_chat_id");
    if (chat != nullptr) out.telegram_chat_id = read_chat_id(*chat, "alerts.telegram_chat_id", problems);
    if ((token == nullptr) != (chat == nullptr))
        problems.add_plain(fields.anchor(), "alerts: telegram_bot_token_env and telegram_chat_id go together");
    if (const toml::node* node = fields.get("telegram_api_url")) {
        if (auto url = read_url(*node, "alerts.telegram_api_url", false, problems)) out.telegram_api_url = *url;
    }
    if (const toml::node* node = fields.get("pagerduty_routing_key_env"))
        out.pagerduty_routing_key_env = read_env_name(*node, "alerts.pagerduty_routing_key_env", problems);
    if (const toml::node* node = fields.get("pagerduty_url")) {
        if (auto url = read_url(*node, "alerts.pagerduty_url", false, problems)) out.pagerduty_url = *url;
    }
}

void read_thresholds(Fields& fields, AlertSettings& out) {
    Problems& problems = fields.problems();
    if (const toml::node* node = fields.get("reorg_depth")) {
        if (auto depth = read_u64_in(*node, "alerts.reorg_depth", 0, 1'000'000, problems)) out.reorg_depth = *depth;
    }
    if (const toml::node* node = fields.get("oracle_max_age_s")) {
        if (auto seconds = read_u64_in(*node, "alerts.oracle_max_age_s", 1, kSecondsPerYear, problems))
            out.oracle_max_age = std::chrono::seconds(static_cast<std::int64_t>(*seconds));
    }
    if (const toml::node* node = fields.get("min_signer_balance"))
        out.min_signer_balance_wei = read_scaled(*node, "alerts.min_signer_balance", kWadDecimals, problems);
    if (const toml::node* node = fields.get("rpc_failures_before_down")) {
        if (auto count = read_u64_in(*node, "alerts.rpc_failures_before_down", 1, 1'000, problems))
            out.rpc_failures_before_down = static_cast<unsigned>(*count);
    }
}

}  // namespace

void read_alerts_section(Fields& root, AlertSettings& out) {
    const toml::table* table = section_table(root, "alerts", false);
    if (table == nullptr) return;
    Fields fields(*table, "alerts", root.problems());
    Problems& problems = fields.problems();

    if (const toml::node* node = fields.get("webhook_url"))
        out.webhook_url = read_url(*node, "alerts.webhook_url", false, problems);
    if (const toml::node* node = fields.get("format")) {
        if (auto format = read_format(*node, "alerts.format", problems)) out.format = *format;
    }
    if (const toml::node* node = fields.get("warning_health")) {
        if (auto health = read_scaled(*node, "alerts.warning_health", kWadDecimals, problems)) {
            // At or below 1.0 the account is already liquidatable: a warning
            // there would arrive together with the liquidation.
            if (*health > fixed_point::wad())
                out.warning_health_wad = *health;
            else
                problems.add(node, "alerts.warning_health",
                             "must be above 1 (1.0 is the liquidation threshold), got " + describe(*node));
        }
    }
    if (const toml::node* node = fields.get("min_interval_s")) {
        if (auto seconds = read_u64_in(*node, "alerts.min_interval_s", 0, kSecondsPerYear, problems))
            out.min_interval = std::chrono::seconds(static_cast<std::int64_t>(*seconds));
    }
    if (const toml::node* node = fields.get("max_per_minute")) {
        if (auto count = read_u64_in(*node, "alerts.max_per_minute", 1, 10'000, problems))
            out.max_per_minute = static_cast<unsigned>(*count);
    }
    read_channels(fields, out);
    read_thresholds(fields, out);
    fields.reject_unknown();
}

}  // namespace keeper::config

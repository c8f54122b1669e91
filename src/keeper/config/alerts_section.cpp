#include "core/fixed_point.hpp"
#include "keeper/config/config_sections.hpp"

namespace keeper::config {

namespace {

constexpr unsigned kWadDecimals = 18;
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
    fields.reject_unknown();
}

}  // namespace keeper::config

#include <charconv>

#include "keeper/config/config_sections.hpp"

namespace keeper::config {
namespace {

// host:port or [ipv6]:port; the host itself is checked when the listener binds.
bool looks_like_listen_address(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    if (text.front() == '[' && text[colon - 1] != ']') return false;
    const std::string_view port = text.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    return !port.empty() && ec == std::errc() && end == port.data() + port.size() && value <= 65535;
}

}  // namespace

void read_metrics_section(Fields& root, MetricsSettings& out) {
    const toml::table* table = section_table(root, "metrics", false);
    if (table == nullptr) return;
    Fields fields(*table, "metrics", root.problems());
    Problems& problems = fields.problems();
    if (const toml::node* node = fields.require("listen")) {
        if (auto text = read_string(*node, "metrics.listen", problems)) {
            if (looks_like_listen_address(*text))
                out.listen = *text;
            else
                problems.add(node, "metrics.listen",
                             "expected host:port such as \"127.0.0.1:9464\", got " + describe(*node));
        }
    }
    if (const toml::node* node = fields.get("ready_max_head_age_s")) {
        if (auto s = read_u64_in(*node, "metrics.ready_max_head_age_s", 1, 86'400, problems))
            out.ready_max_head_age = std::chrono::seconds(static_cast<std::int64_t>(*s));
    }
    if (const toml::node* node = fields.get("live_max_round_gap_s")) {
        if (auto s = read_u64_in(*node, "metrics.live_max_round_gap_s", 1, 86'400, problems))
            out.live_max_round_gap = std::chrono::seconds(static_cast<std::int64_t>(*s));
    }
    fields.reject_unknown();
}

}  // namespace keeper::config

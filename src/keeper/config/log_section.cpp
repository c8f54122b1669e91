#include "keeper/config/config_sections.hpp"

namespace keeper::config {

void read_log_section(Fields& root, LogSettings& out) {
    const toml::table* table = section_table(root, "log", false);
    if (table == nullptr) return;
    Fields fields(*table, "log", root.problems());
    Problems& problems = fields.problems();
    if (const toml::node* node = fields.get("format")) {
        if (auto text = read_string(*node, "log.format", problems)) {
            if (*text == "text" || *text == "json")
                out.format = *log::parse_log_format(*text);
            else
                problems.add(node, "log.format", "expected \"text\" or \"json\", got " + describe(*node));
        }
    }
    if (const toml::node* node = fields.get("level")) {
        if (auto text = read_string(*node, "log.level", problems)) {
            auto levels = log::parse_log_levels(*text);
            if (levels)
                out.levels = std::move(*levels);
            else
                problems.add(node, "log.level", levels.error().message);
        }
    }
    fields.reject_unknown();
}

}  // namespace keeper::config

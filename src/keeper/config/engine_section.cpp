#include "keeper/config/config_sections.hpp"

namespace keeper::config {

void read_engine_section(Fields& root, EngineSettings& out) {
    const toml::table* table = section_table(root, "engine", false);
    if (table == nullptr) return;
    Fields fields(*table, "engine", root.problems());
    Problems& problems = fields.problems();
    // At most a day of 1-second blocks: an audit rarer than that is no audit.
    if (const toml::node* node = fields.get("audit_every_blocks")) {
        if (auto blocks = read_u64_in(*node, "engine.audit_every_blocks", 0, 86'400, problems))
            out.audit_every_blocks = *blocks;
    }
    fields.reject_unknown();
}

}  // namespace keeper::config

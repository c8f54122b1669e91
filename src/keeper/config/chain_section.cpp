#include "keeper/config/config_sections.hpp"

namespace keeper::config {

const toml::table* section_table(Fields& root, std::string_view name, bool required) {
    const toml::node* node = required ? root.require(name) : root.get(name);
    if (node == nullptr) return nullptr;
    if (const auto* table = node->as_table()) return table;
    root.problems().add(node, root.key_path(name),
                        "expected a table ([" + std::string(name) + "]), got " + describe(*node));
    return nullptr;
}

void read_chain_section(Fields& root, ChainSettings& out) {
    const toml::table* table = section_table(root, "chain", true);
    if (table == nullptr) return;
    Fields fields(*table, "chain", root.problems());
    Problems& problems = fields.problems();

    // A single URL is accepted as a one-element list.
    if (const toml::node* rpc = fields.require("rpc")) {
        if (rpc->is_string()) {
            if (auto url = read_url(*rpc, "chain.rpc", false, problems)) out.rpc.push_back(*url);
        } else if (const auto* urls = rpc->as_array()) {
            if (urls->empty()) problems.add(rpc, "chain.rpc", "expected at least one http:// or https:// URL");
            for (std::size_t i = 0; i < urls->size(); ++i) {
                const std::string key = "chain.rpc[" + std::to_string(i) + "]";
                if (auto url = read_url(*urls->get(i), key, false, problems)) out.rpc.push_back(*url);
            }
        } else {
            problems.add(rpc, "chain.rpc",
                         "expected an http(s) URL or an array of them, got " + describe(*rpc));
        }
    }
    if (const toml::node* ws = fields.get("ws")) out.ws = read_url(*ws, "chain.ws", true, problems);
    if (const toml::node* poll = fields.get("poll_interval_ms")) {
        if (auto ms = read_u64_in(*poll, "chain.poll_interval_ms", 1, 3'600'000, problems))
            out.poll_interval = std::chrono::milliseconds(static_cast<std::int64_t>(*ms));
    }
    if (const toml::node* id = fields.get("chain_id")) {
        out.chain_id = read_u64_in(*id, "chain.chain_id", 1, UINT64_MAX, problems);
    }
    fields.reject_unknown();
}

}  // namespace keeper::config

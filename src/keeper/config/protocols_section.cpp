// [[protocols]]: each table is parsed by the protocol its `kind` names
// (protocols/registry), through a ConfigTable over the table's Fields, so
// errors keep their lines and unknown keys stay errors.
#include <algorithm>

#include "keeper/config/config_sections.hpp"
#include "protocols/registry.hpp"

namespace keeper::config {

namespace {

class TomlConfigTable final : public protocols::ConfigTable {
public:
    explicit TomlConfigTable(Fields& fields) : fields_(fields) {}

    bool has(std::string_view key) override { return fields_.table().contains(key); }

    std::optional<Address> address(std::string_view key, bool required) override {
        const toml::node* node = required ? fields_.require(key) : fields_.get(key);
        if (node == nullptr) return std::nullopt;
        return read_address(*node, fields_.key_path(key), fields_.problems());
    }

    std::optional<std::uint64_t> block_number(std::string_view key) override {
        const toml::node* node = fields_.get(key);
        if (node == nullptr) return std::nullopt;
        return read_u64_in(*node, fields_.key_path(key), 0, INT64_MAX, fields_.problems());
    }

    std::optional<bool> boolean(std::string_view key) override {
        const toml::node* node = fields_.get(key);
        if (node == nullptr) return std::nullopt;
        return read_bool(*node, fields_.key_path(key), fields_.problems());
    }

    std::optional<U256> amount(std::string_view key) override {
        const toml::node* node = fields_.get(key);
        if (node == nullptr) return std::nullopt;
        return read_amount(*node, fields_.key_path(key), fields_.problems());
    }

    std::optional<std::vector<Bytes32>> bytes32_list(std::string_view key) override {
        const toml::node* node = fields_.get(key);
        if (node == nullptr) return std::nullopt;
        const auto* ids = node->as_array();
        if (ids == nullptr) {
            fields_.problems().add(node, fields_.key_path(key), "expected an array of market ids, got " + describe(*node));
            return std::nullopt;
        }
        std::vector<Bytes32> out;
        for (std::size_t i = 0; i < ids->size(); ++i) {
            const std::string item = fields_.key_path(key) + "[" + std::to_string(i) + "]";
            auto id = read_bytes32(*ids->get(i), item, fields_.problems());
            if (!id) continue;
            if (std::find(out.begin(), out.end(), *id) != out.end()) {
                fields_.problems().add(ids->get(i), item, "market listed twice");
                continue;
            }
            out.push_back(*id);
        }
        return out;
    }

    void problem(std::string_view key, std::string_view message) override {
        fields_.problems().add(fields_.table().get(key), fields_.key_path(key), message);
    }

private:
    Fields& fields_;
};

std::string known_kinds_text() {
    std::string out;
    for (const auto& p : protocols::registered_protocols()) {
        if (!out.empty()) out += ", ";
        out += "\"" + std::string(p.kind) + "\"";
    }
    return out;
}

}  // namespace

void read_protocols_section(Fields& root, std::vector<ProtocolSettings>& out) {
    Problems& problems = root.problems();
    const toml::node* node = root.require("protocols");
    if (node == nullptr) return;
    const auto* entries = node->as_array();
    if (entries != nullptr && entries->empty()) {
        problems.add(node, "protocols", "expected at least one [[protocols]] table");
        return;
    }
    if (entries == nullptr || !entries->is_array_of_tables()) {
        problems.add(node, "protocols", "expected [[protocols]] tables, got " + describe(*node));
        return;
    }
    std::vector<std::size_t> origin;  // out[k] came from protocols[origin[k]]
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const toml::table& table = *entries->get(i)->as_table();
        Fields fields(table, "protocols[" + std::to_string(i) + "]", problems);
        const toml::node* kind_node = fields.require("kind");
        if (kind_node == nullptr) continue;  // without a kind, no key can be judged known or not
        const auto kind = read_string(*kind_node, fields.key_path("kind"), problems);
        if (!kind) continue;
        const protocols::ProtocolKind* protocol = protocols::find_protocol(*kind);
        if (protocol == nullptr) {
            problems.add(kind_node, fields.key_path("kind"),
                         "unknown protocol kind " + describe(*kind_node) + "; known kinds: " + known_kinds_text());
            continue;
        }
        const std::size_t problems_before = problems.count();
        TomlConfigTable reader(fields);
        ProtocolSettings settings = protocol->parse(reader);
        fields.reject_unknown();
        if (problems.count() != problems_before || !settings) continue;
        // Two entries for one deployment would track (and liquidate) everything twice.
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (out[k]->key() == settings->key()) {
                problems.add(&table, fields.path(),
                             "the same " + *kind + " deployment as protocols[" + std::to_string(origin[k]) + "]");
            }
        }
        out.push_back(std::move(settings));
        origin.push_back(i);
    }
}

}  // namespace keeper::config

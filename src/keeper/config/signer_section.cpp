#include "keeper/config/config_sections.hpp"
#include "keeper/config/settings_rules.hpp"

namespace keeper::config {

void read_signer_section(Fields& root, SignerSettings& out) {
    // Optional: `scan` never signs, and `run` checks for a signer itself.
    const toml::table* table = section_table(root, "signer", false);
    if (table == nullptr) return;
    Fields fields(*table, "signer", root.problems());
    Problems& problems = fields.problems();

    if (const toml::node* env = fields.get("private_key_env")) {
        if (auto name = read_string(*env, "signer.private_key_env", problems)) {
            auto checked = check_env_name(*name);
            if (checked)
                out.private_key_env = *name;
            else
                problems.add(env, "signer.private_key_env", checked.error().message);
        }
    }
    if (const toml::node* keystore = fields.get("keystore")) {
        if (auto path = read_string(*keystore, "signer.keystore", problems)) out.keystore = *path;
    }
    if (const toml::node* password = fields.get("password_file")) {
        if (auto path = read_string(*password, "signer.password_file", problems)) out.password_file = *path;
    }
    fields.reject_unknown();

    auto consistent = check_signer(out);
    if (!consistent) problems.add_plain(table, consistent.error().message);
}

}  // namespace keeper::config

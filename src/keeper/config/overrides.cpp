#include <cstdlib>

#include "keeper/config/keeper_config.hpp"
#include "keeper/config/settings_rules.hpp"

namespace keeper::config {

Result<void> apply_overrides(KeeperConfig& config, const CliOverrides& overrides) {
    // Nothing changes unless every override is valid.
    KeeperConfig updated = config;
    if (!overrides.rpc.empty()) {
        for (const auto& url : overrides.rpc) {
            auto checked = check_url(url, false);
            if (!checked) return fail("--rpc: " + checked.error().message);
        }
        updated.chain.rpc = overrides.rpc;
    }

    SignerSettings& signer = updated.signer;
    // The command line chooses the kind of signer as a whole: the file's
    // other kind must not linger and make the two look mutually exclusive.
    if (overrides.private_key_env || overrides.keystore) {
        signer.private_key_env.reset();
        signer.keystore.reset();
        if (!overrides.keystore) signer.password_file.reset();
    }
    if (overrides.private_key_env) {
        auto checked = check_env_name(*overrides.private_key_env);
        if (!checked) return fail("--private-key-env: " + checked.error().message);
        signer.private_key_env = overrides.private_key_env;
    }
    if (overrides.keystore) signer.keystore = overrides.keystore;
    if (overrides.password_file) signer.password_file = overrides.password_file;
    auto consistent = check_signer(signer);
    if (!consistent) return fail("after command-line options: " + consistent.error().message);

    if (overrides.state_dir) updated.state_dir = overrides.state_dir;
    config = std::move(updated);
    return {};
}

std::filesystem::path effective_state_dir(const KeeperConfig& config, const Getenv& getenv) {
    if (config.state_dir) return *config.state_dir;
    if (auto systemd = getenv("STATE_DIRECTORY")) {
        // systemd joins several StateDirectory= entries with ':'.
        const std::string first = systemd->substr(0, systemd->find(':'));
        if (!first.empty()) return first;
    }
    return "./margin-keeper-state";
}

std::optional<std::string> process_getenv(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

}  // namespace keeper::config

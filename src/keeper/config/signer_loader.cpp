#include "keeper/config/signer_loader.hpp"

#include <fstream>
#include <sstream>

#include "chain/keystore.hpp"
#include "keeper/config/settings_rules.hpp"

namespace keeper::config {

namespace {

constexpr std::uintmax_t kMaxSecretFileBytes = 1u << 20;  // keystores are a few KiB

// Holds secret text and wipes it when done.
struct WipedString {
    std::string text;
    WipedString() = default;
    WipedString(const WipedString&) = delete;
    WipedString& operator=(const WipedString&) = delete;
    ~WipedString() { chain::secure_wipe(text.data(), text.size()); }
};

Result<void> read_small_file(const std::filesystem::path& file, std::string_view what, std::string& out) {
    const std::string name = file.string();
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (error) return fail("signer: cannot read " + std::string(what) + " '" + name + "': " + error.message());
    if (size > kMaxSecretFileBytes)
        return fail("signer: " + std::string(what) + " '" + name + "' is too large (" + std::to_string(size) +
                    " bytes)");
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail("signer: cannot open " + std::string(what) + " '" + name + "'");
    out.resize(static_cast<std::size_t>(size));
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    if (in.gcount() != static_cast<std::streamsize>(out.size()))
        return fail("signer: cannot read " + std::string(what) + " '" + name + "': short read");
    return {};
}

std::string_view trim_whitespace(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

Result<chain::PrivateKey> from_environment(const std::string& name,
                                           const std::function<std::optional<std::string>(const std::string&)>& getenv) {
    auto value = getenv(name);
    if (!value) return fail("signer: environment variable " + name + " is not set");
    WipedString secret;
    secret.text = std::move(*value);
    const std::string_view key_text = trim_whitespace(secret.text);
    if (key_text.empty()) return fail("signer: environment variable " + name + " is empty");
    auto key = chain::PrivateKey::from_hex(key_text);
    // PrivateKey's errors never quote their input, so the reason is safe to pass on.
    if (!key) return fail("signer: environment variable " + name + " does not hold a private key: " + key.error().message);
    return std::move(*key);
}

Result<chain::PrivateKey> from_keystore(const std::filesystem::path& keystore, const std::filesystem::path& password_file) {
    WipedString password;
    auto read_password = read_small_file(password_file, "password file", password.text);
    if (!read_password) return std::unexpected(read_password.error());
    // Editors and `echo` end the file with a newline that is not part of the password.
    while (!password.text.empty() && (password.text.back() == '\n' || password.text.back() == '\r'))
        password.text.pop_back();

    std::string json;
    auto read_keystore = read_small_file(keystore, "keystore", json);
    if (!read_keystore) return std::unexpected(read_keystore.error());
    auto key = chain::decrypt_keystore(json, password.text);
    if (!key) return std::unexpected(context("signer: keystore '" + keystore.string() + "'", key.error()));
    return std::move(*key);
}

}  // namespace

Result<chain::PrivateKey> load_signer(const SignerSettings& signer,
                                      const std::function<std::optional<std::string>(const std::string&)>& getenv) {
    auto consistent = check_signer(signer);
    if (!consistent) return std::unexpected(consistent.error());
    if (signer.private_key_env) return from_environment(*signer.private_key_env, getenv);
    if (signer.keystore) return from_keystore(*signer.keystore, *signer.password_file);
    return fail("signer: no signer configured: set [signer] private_key_env or keystore (and password_file) in "
                "keeper.toml, or pass --private-key-env or --keystore with --password-file");
}

}  // namespace keeper::config

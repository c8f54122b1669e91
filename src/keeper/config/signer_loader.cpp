#include "keeper/config/signer_loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

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

struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// systemd's LoadCredential= directory, if the service has one. Its files are
// mode 0400 but may carry an ACL for the service user, which stat shows as
// group bits: systemd keeps them private to the service, so they pass.
bool inside_credentials_directory(const std::filesystem::path& file, const Getenv& getenv) {
    const auto credentials = getenv("CREDENTIALS_DIRECTORY");
    if (!credentials || credentials->empty()) return false;
    std::error_code ec;
    const auto dir = std::filesystem::canonical(*credentials, ec);
    if (ec) return false;
    const auto real = std::filesystem::canonical(file, ec);
    if (ec) return false;
    return std::mismatch(dir.begin(), dir.end(), real.begin(), real.end()).first == dir.end();
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// Opens first and checks the open file, so what is checked is what is read.
Result<void> read_secret_file(const std::filesystem::path& file, std::string_view what, const Getenv& getenv,
                              std::string& out) {
    const std::string name = file.string();
    const std::string label = "signer: " + std::string(what) + " '" + name + "'";
    FileDescriptor in{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) return fail("signer: cannot read " + std::string(what) + " '" + name + "': " + std::strerror(errno));
    struct stat info {};
    if (::fstat(in.fd, &info) != 0) return fail(label + ": " + std::strerror(errno));
    if (!S_ISREG(info.st_mode)) return fail(label + " is not a regular file");
    if ((info.st_mode & 077) != 0 && !inside_credentials_directory(file, getenv))
        return fail(label + " is open to group or others (mode " + octal_mode(info.st_mode) +
                    "): run chmod 600 '" + name + "' (or use systemd's LoadCredential=); a secret others can " +
                    "read is refused");
    if (static_cast<std::uintmax_t>(info.st_size) > kMaxSecretFileBytes)
        return fail(label + " is too large (" + std::to_string(info.st_size) + " bytes)");
    out.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::read(in.fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("signer: cannot read " + std::string(what) + " '" + name + "': " + std::strerror(errno));
        if (n == 0) return fail("signer: cannot read " + std::string(what) + " '" + name + "': short read");
        done += static_cast<std::size_t>(n);
    }
    return {};
}

std::string_view trim_whitespace(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

Result<chain::PrivateKey> from_environment(const std::string& name, const Getenv& getenv, const EraseEnv& erase_env) {
    // The name is quoted in the messages below: never when it is a key itself.
    if (auto checked = check_env_name(name); !checked) return fail("signer: private_key_env: " + checked.error().message);
    auto value = getenv(name);
    if (!value) return fail("signer: environment variable " + name + " is not set");
    WipedString secret;
    secret.text = std::move(*value);
    // Read once, then gone: children (the anvil of --fork, a compiler) inherit
    // the environment, and the key must not travel with it.
    erase_env(name);
    const std::string_view key_text = trim_whitespace(secret.text);
    if (key_text.empty()) return fail("signer: environment variable " + name + " is empty");
    auto key = chain::PrivateKey::from_hex(key_text);
    // PrivateKey's errors never quote their input, so the reason is safe to pass on.
    if (!key) return fail("signer: environment variable " + name + " does not hold a private key: " + key.error().message);
    return std::move(*key);
}

Result<chain::PrivateKey> from_keystore(const std::filesystem::path& keystore, const std::filesystem::path& password_file,
                                        const Getenv& getenv) {
    WipedString password;
    auto read_password = read_secret_file(password_file, "password file", getenv, password.text);
    if (!read_password) return std::unexpected(read_password.error());
    // Editors and `echo` end the file with a newline that is not part of the password.
    while (!password.text.empty() && (password.text.back() == '\n' || password.text.back() == '\r'))
        password.text.pop_back();

    std::string json;
    auto read_keystore = read_secret_file(keystore, "keystore", getenv, json);
    if (!read_keystore) return std::unexpected(read_keystore.error());
    auto key = chain::decrypt_keystore(json, password.text);
    if (!key) return std::unexpected(context("signer: keystore '" + keystore.string() + "'", key.error()));
    return std::move(*key);
}

}  // namespace

Result<chain::PrivateKey> load_signer(const SignerSettings& signer, const Getenv& getenv, const EraseEnv& erase_env) {
    auto consistent = check_signer(signer);
    if (!consistent) return std::unexpected(consistent.error());
    if (signer.private_key_env) return from_environment(*signer.private_key_env, getenv, erase_env);
    if (signer.keystore) return from_keystore(*signer.keystore, *signer.password_file, getenv);
    return fail("signer: no signer configured: set [signer] private_key_env or keystore (and password_file) in "
                "keeper.toml, or pass --private-key-env or --keystore with --password-file");
}

}  // namespace keeper::config

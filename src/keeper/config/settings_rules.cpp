#include "keeper/config/settings_rules.hpp"

#include <string>

namespace keeper::config {

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

// 32 or more hex digits, 0x optional: a key (64 digits), or part of one,
// pasted where a variable's name belongs. No real variable name looks so.
bool looks_like_key(std::string_view text) {
    if (starts_with_ignoring_case(text, "0x")) text.remove_prefix(2);
    if (text.size() < 32) return false;
    for (char c : text) {
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex) return false;
    }
    return true;
}

}  // namespace

Result<void> check_url(std::string_view url, bool websocket) {
    const std::string_view expected =
        websocket ? "expected a ws:// or wss:// URL" : "expected an http:// or https:// URL";
    const std::string_view schemes[2] = {websocket ? "ws://" : "http://", websocket ? "wss://" : "https://"};
    for (std::string_view scheme : schemes) {
        if (!starts_with_ignoring_case(url, scheme)) continue;
        const std::string_view rest = url.substr(scheme.size());
        if (rest.empty() || rest.front() == '/' || rest.front() == ':')
            return fail(std::string(expected) + ", got one without a host");
        for (char c : url)
            if (static_cast<unsigned char>(c) <= ' ')
                return fail(std::string(expected) + ", got one containing whitespace or control characters");
        return {};
    }
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return fail(std::string(expected) + ", got a value without a scheme");
    const std::string_view scheme = url.substr(0, scheme_end);
    bool plain = !scheme.empty() && scheme.size() <= 10;
    for (char c : scheme) plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+');
    if (!plain) return fail(std::string(expected) + ", got an unknown scheme");
    return fail(std::string(expected) + ", got scheme \"" + std::string(scheme) + "\"");
}

Result<void> check_env_name(std::string_view name) {
    const auto bad = [] {
        return fail("expected the name of an environment variable (letters, digits and _, not starting with a "
                    "digit), not its value; the text is not shown in case it is a key");
    };
    // A key written in place of the name would otherwise pass as a name when
    // it starts with a-f, and come back quoted in "variable ... is not set".
    if (looks_like_key(name))
        return fail("expected the name of an environment variable, got what looks like a private key (hex "
                    "digits); the text is not shown. Put the key in an environment variable and write that "
                    "variable's name here");
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return bad();
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return bad();
    }
    return {};
}

Result<void> check_signer(const SignerSettings& signer) {
    if (signer.private_key_env && signer.keystore)
        return fail("signer: private_key_env and keystore are mutually exclusive: choose one");
    if (signer.keystore && !signer.password_file)
        return fail("signer: keystore requires password_file (a file holding the keystore's password)");
    if (signer.password_file && !signer.keystore)
        return fail("signer: password_file is only used with keystore");
    return {};
}

}  // namespace keeper::config

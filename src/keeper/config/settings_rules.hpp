#pragma once
// Rules a setting must satisfy wherever it comes from, keeper.toml or the
// command line, so both report the same thing in the same words.
#include <string_view>

#include "core/result.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {

// http:// or https:// (ws:// or wss:// with `websocket`) followed by a host.
// The message never quotes the URL: it may carry an API key or secret token.
Result<void> check_url(std::string_view url, bool websocket);

// A POSIX-style variable name ([A-Za-z_][A-Za-z0-9_]*) that does not look
// like a private key (32 or more hex digits, 0x optional). The message never
// quotes the text, which may be the key itself pasted in by mistake.
Result<void> check_env_name(std::string_view name);

// private_key_env and keystore are mutually exclusive; keystore needs a
// password_file and a password_file needs a keystore.
Result<void> check_signer(const SignerSettings& signer);

}  // namespace keeper::config

#pragma once
// The signing key, from wherever [signer] (or the command line) says. The key
// text never appears in an error: messages name the variable or the file.
#include <functional>
#include <optional>
#include <string>

#include "chain/private_key.hpp"
#include "core/result.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {

// private_key_env: reads the variable (64 hex digits, 0x optional; surrounding
// whitespace ignored). keystore: reads password_file (trailing newline
// trimmed) and decrypts the keystore. An error when no signer is configured.
Result<chain::PrivateKey> load_signer(const SignerSettings& signer,
                                      const std::function<std::optional<std::string>(const std::string&)>& getenv);

}  // namespace keeper::config

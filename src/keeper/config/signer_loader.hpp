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

// Removes a variable from the environment for good.
using EraseEnv = std::function<void(const std::string&)>;

// private_key_env: reads the variable (64 hex digits, 0x optional; surrounding
// whitespace ignored), then erases it whatever it held, so no child process
// inherits the key. keystore: reads password_file (trailing newline trimmed)
// and decrypts the keystore; both files must be private to their owner (no
// permission bits for group or others) unless they lie in systemd's
// $CREDENTIALS_DIRECTORY (LoadCredential=), which systemd keeps private to
// the service. An error when no signer is configured.
Result<chain::PrivateKey> load_signer(const SignerSettings& signer, const Getenv& getenv, const EraseEnv& erase_env);

// The EraseEnv of the real process: unsetenv, then overwrites the entry's text
// in place, because /proc/<pid>/environ shows the block the process was
// started with, whatever unsetenv did to `environ`.
void erase_process_env(const std::string& name);

}  // namespace keeper::config

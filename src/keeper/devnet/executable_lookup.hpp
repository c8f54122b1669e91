#pragma once
// Whether a tool the devnet runs (anvil, solcjs) can be started, checked
// before fork/exec so a missing install is reported as such ("run
// scripts/setup") instead of as a child that exited with status 127.
#include <string>

namespace keeper::devnet {

// A name with a '/' must be an executable file; a bare name must be one in a
// directory of $PATH, as execvp would find it.
bool is_runnable(const std::string& executable);

}  // namespace keeper::devnet

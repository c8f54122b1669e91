#pragma once
// A core file of the keeper would hold its signing key in clear. Called first
// thing in main, for every command (the cost is nil and `run` is not the only
// one that may hold a key in the future).
#include "core/result.hpp"

namespace keeper::cli {

// RLIMIT_CORE 0, soft and hard (so nothing in the process can raise it
// again), and PR_SET_DUMPABLE 0: no core on a crash, no ptrace attach by other
// processes of the same user, and /proc/<pid>/environ, mem and maps readable
// by root only. Children started with execve are dumpable again; they inherit
// the zero core limit.
Result<void> disable_core_dumps();

// Both settings as the kernel reports them now: what self-check verifies.
bool core_dumps_disabled();

}  // namespace keeper::cli

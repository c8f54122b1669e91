#pragma once
// SIGTERM and SIGINT set a flag that the daemon's loop and long syncs check:
// the round in progress finishes (its journal entries are already on disk)
// and the process exits 0 within 10 s, the promise in DESIGN.md.
//
// A round against a healthy node finishes in well under a second. Against a
// node that accepts connections and never answers it would not finish at
// all, so once the shutdown has waited `shutdown_network_grace`, every
// network request still waiting is abandoned and no new one is retried
// (network_stop_requested(), given to the RPC stack and the webhook sender):
// what is in flight stays in the journal, exactly as after a lost connection.
#include <chrono>

namespace keeper::app {

inline constexpr std::chrono::milliseconds shutdown_network_grace{2'000};

void install_shutdown_handlers();
bool shutdown_requested();
void request_shutdown();  // as if a signal arrived (tests, the demo)

// A shutdown was requested at least shutdown_network_grace ago.
bool network_stop_requested();

}  // namespace keeper::app

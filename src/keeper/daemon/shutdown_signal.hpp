#pragma once
// SIGTERM and SIGINT set a flag that the daemon's loop and long syncs check:
// the round in progress finishes (its journal entries are already on disk)
// and the process exits 0.
namespace keeper::app {

void install_shutdown_handlers();
bool shutdown_requested();
void request_shutdown();  // as if a signal arrived (tests, the demo)

}  // namespace keeper::app

#include "keeper/daemon/shutdown_signal.hpp"

#include <csignal>

namespace keeper::app {
namespace {
volatile std::sig_atomic_t g_shutdown = 0;
extern "C" void on_shutdown_signal(int) { g_shutdown = 1; }
}  // namespace

void install_shutdown_handlers() {
    struct sigaction action {};
    action.sa_handler = on_shutdown_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocking wait returns early
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

bool shutdown_requested() { return g_shutdown != 0; }
void request_shutdown() { g_shutdown = 1; }

}  // namespace keeper::app

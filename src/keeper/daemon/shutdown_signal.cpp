#include "keeper/daemon/shutdown_signal.hpp"

#include <atomic>
#include <csignal>
#include <cstdint>
#include <ctime>

namespace keeper::app {
namespace {

volatile std::sig_atomic_t g_shutdown = 0;
// CLOCK_MONOTONIC milliseconds of the first request; 0 = none yet. Written in
// a signal handler: must be lock-free (clock_gettime is async-signal-safe).
std::atomic<std::int64_t> g_requested_at_ms{0};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);

std::int64_t monotonic_ms() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

void mark_requested() {
    std::int64_t none = 0;
    const std::int64_t now = monotonic_ms();
    g_requested_at_ms.compare_exchange_strong(none, now == 0 ? 1 : now);
    g_shutdown = 1;
}

extern "C" void on_shutdown_signal(int) { mark_requested(); }

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
void request_shutdown() { mark_requested(); }

bool network_stop_requested() {
    if (g_shutdown == 0) return false;
    const std::int64_t at = g_requested_at_ms.load();
    return at != 0 && monotonic_ms() - at >= shutdown_network_grace.count();
}

}  // namespace keeper::app

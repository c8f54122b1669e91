#include "keeper/service/service_notifier.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace keeper::service {

ServiceNotifier ServiceNotifier::from_environment() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    return ServiceNotifier(socket != nullptr && socket[0] != '\0');
}

Result<void> ServiceNotifier::send(std::string_view state) {
    if (!enabled_) return {};
    const std::string text(state);
    // unset_environment = 0: later calls still find the socket.
    const int sent = sd_notify(0, text.c_str());
    if (sent < 0) return fail("sd_notify: " + std::string(std::strerror(-sent)));
    if (sent == 0) return fail("sd_notify: NOTIFY_SOCKET is not set");
    return {};
}

Result<void> ServiceNotifier::ready() { return send("READY=1"); }
Result<void> ServiceNotifier::watchdog() { return send("WATCHDOG=1"); }
Result<void> ServiceNotifier::stopping() { return send("STOPPING=1"); }

Result<void> ServiceNotifier::status(std::string_view text) {
    std::string line(text.substr(0, 200));
    for (char& c : line)
        if (c == '\n') c = ' ';  // one assignment per line in the protocol
    return send("STATUS=" + line);
}

std::optional<std::chrono::microseconds> ServiceNotifier::watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0) return std::chrono::microseconds(usec);
    return std::nullopt;
}

ServiceHeartbeat::ServiceHeartbeat(ServiceNotifier notifier) : notifier_(notifier) {
    if (!notifier_.enabled()) return;
    if (auto interval = ServiceNotifier::watchdog_interval())
        spdlog::info("systemd: notify socket set, watchdog every {} ms", interval->count() / 1000);
    else
        spdlog::info("systemd: notify socket set, no watchdog");
}

void ServiceHeartbeat::note(const Result<void>& sent) {
    if (sent || warned_) return;
    warned_ = true;
    spdlog::warn("systemd notification failed (not repeated): {}", sent.error().message);
}

void ServiceHeartbeat::round_finished(bool ok) {
    if (!notifier_.enabled()) return;
    if (ok && !ready_sent_) {
        note(notifier_.ready());
        ready_sent_ = true;
    }
    note(notifier_.watchdog());
}

void ServiceHeartbeat::stopping() { note(notifier_.stopping()); }

}  // namespace keeper::service

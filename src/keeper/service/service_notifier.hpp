#pragma once
// systemd's notification protocol (Type=notify): READY=1 once the keeper has
// caught up with the chain, WATCHDOG=1 from the main loop so a hung keeper is
// restarted, STOPPING=1 on the way out. Through libsystemd's sd_notify, which
// writes to the AF_UNIX datagram socket named by $NOTIFY_SOCKET; without that
// variable (not started by systemd, or Type=simple) every call does nothing.
#include <chrono>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace keeper::service {

class ServiceNotifier {
public:
    // Enabled when $NOTIFY_SOCKET is set now.
    static ServiceNotifier from_environment();

    bool enabled() const { return enabled_; }

    Result<void> ready();      // READY=1
    Result<void> watchdog();   // WATCHDOG=1
    Result<void> stopping();   // STOPPING=1
    Result<void> status(std::string_view text);  // STATUS=<text>: shown by systemctl status

    // WatchdogSec= as systemd passed it ($WATCHDOG_USEC), when set for this process.
    static std::optional<std::chrono::microseconds> watchdog_interval();

private:
    explicit ServiceNotifier(bool enabled) : enabled_(enabled) {}
    Result<void> send(std::string_view state);
    bool enabled_;
};

// What the daemon's main loop calls after each round: READY=1 after the
// first successful round (the keeper has synced to the head), WATCHDOG=1 after
// every round, failed or not (a failing node is not a hung keeper). Errors
// are reported once through `warn`, then ignored: notification must never
// stop the keeper.
class ServiceHeartbeat {
public:
    explicit ServiceHeartbeat(ServiceNotifier notifier);
    void round_finished(bool ok);
    void stopping();
    bool ready_sent() const { return ready_sent_; }

private:
    void note(const Result<void>& sent);
    ServiceNotifier notifier_;
    bool ready_sent_ = false;
    bool warned_ = false;
};

}  // namespace keeper::service

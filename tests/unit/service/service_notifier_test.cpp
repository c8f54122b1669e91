// ServiceNotifier against a real AF_UNIX datagram socket named by
// NOTIFY_SOCKET, as systemd sets it up: exactly the datagrams of the
// notification protocol arrive, in order; without the variable nothing is sent.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "keeper/service/service_notifier.hpp"

namespace keeper::service {
namespace service_notifier_test {

// A bound datagram socket in a fresh directory, exported as NOTIFY_SOCKET
// while the object lives.
class NotifySocket {
public:
    NotifySocket() {
        char dir_template[] = "/tmp/keeper-notify-XXXXXX";
        dir_ = ::mkdtemp(dir_template);
        path_ = dir_ + "/notify";
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
        ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
        ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    }
    ~NotifySocket() {
        ::unsetenv("NOTIFY_SOCKET");
        if (fd_ >= 0) ::close(fd_);
        std::filesystem::remove_all(dir_);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    bool ok() const { return ok_; }

    // Every datagram waiting now (sd_notify has returned: a local datagram is already queued).
    std::vector<std::string> received() const {
        std::vector<std::string> out;
        char buffer[4096];
        while (true) {
            const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
            if (n < 0) break;
            out.emplace_back(buffer, static_cast<std::size_t>(n));
        }
        return out;
    }

private:
    std::string dir_, path_;
    int fd_ = -1;
    bool ok_ = false;
};

using Lines = std::vector<std::string>;

TEST(ServiceNotifier, SendsTheProtocolsAssignmentsToTheNotifySocket) {
    NotifySocket socket;
    ASSERT_TRUE(socket.ok());
    ServiceNotifier notifier = ServiceNotifier::from_environment();
    ASSERT_TRUE(notifier.enabled());
    ASSERT_TRUE(notifier.ready().has_value());
    ASSERT_TRUE(notifier.watchdog().has_value());
    ASSERT_TRUE(notifier.status("block 1234: 3 liquidatable\nsecond line").has_value());
    ASSERT_TRUE(notifier.stopping().has_value());
    EXPECT_EQ(socket.received(),
              (Lines{"READY=1", "WATCHDOG=1", "STATUS=block 1234: 3 liquidatable second line", "STOPPING=1"}));
}

TEST(ServiceNotifier, WithoutNotifySocketNothingIsSentAndNothingFails) {
    ::unsetenv("NOTIFY_SOCKET");
    ServiceNotifier notifier = ServiceNotifier::from_environment();
    EXPECT_FALSE(notifier.enabled());
    EXPECT_TRUE(notifier.ready().has_value());
    EXPECT_TRUE(notifier.watchdog().has_value());
}

TEST(ServiceNotifier, AVanishedSocketIsAnError) {
    ::setenv("NOTIFY_SOCKET", "/tmp/keeper-notify-does-not-exist/notify", 1);
    ServiceNotifier notifier = ServiceNotifier::from_environment();
    auto sent = notifier.ready();
    ::unsetenv("NOTIFY_SOCKET");
    ASSERT_FALSE(sent.has_value());
    EXPECT_TRUE(sent.error().message.starts_with("sd_notify: ")) << sent.error().message;
}

TEST(ServiceHeartbeat, ReadyAfterTheFirstGoodRoundAndWatchdogAfterEveryRound) {
    NotifySocket socket;
    ASSERT_TRUE(socket.ok());
    ServiceHeartbeat heartbeat(ServiceNotifier::from_environment());
    heartbeat.round_finished(false);  // the node failed: alive, not ready
    EXPECT_EQ(socket.received(), (Lines{"WATCHDOG=1"}));
    EXPECT_FALSE(heartbeat.ready_sent());
    heartbeat.round_finished(true);
    EXPECT_EQ(socket.received(), (Lines{"READY=1", "WATCHDOG=1"}));
    heartbeat.round_finished(true);
    heartbeat.round_finished(false);
    EXPECT_EQ(socket.received(), (Lines{"WATCHDOG=1", "WATCHDOG=1"}));  // READY once only
    heartbeat.stopping();
    EXPECT_EQ(socket.received(), (Lines{"STOPPING=1"}));
}

TEST(ServiceNotifier, WatchdogIntervalComesFromWatchdogUsec) {
    ::setenv("WATCHDOG_USEC", "120000000", 1);
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    EXPECT_EQ(ServiceNotifier::watchdog_interval(), std::chrono::microseconds(120'000'000));
    ::setenv("WATCHDOG_PID", "1", 1);  // meant for another process
    EXPECT_EQ(ServiceNotifier::watchdog_interval(), std::nullopt);
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
}

}  // namespace service_notifier_test
}  // namespace keeper::service

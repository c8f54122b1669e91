// net::HttpClient against a server that accepts and never answers: no default
// timeout outlasts the daemon's 10 s shutdown promise, and `cancelled`
// abandons a request in progress (the way shutdown cuts a hung node short),
// also after the client was moved.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "net/http_client.hpp"
#include "support/hung_server.hpp"

namespace keeper::net {
namespace http_cancel_test {

using namespace std::chrono_literals;
using keeper::testing::HungServer;

TEST(HttpCancel, DefaultTimeoutsAreShorterThanTheShutdownPromise) {
    const HttpOptions defaults;
    EXPECT_LT(defaults.connect_timeout, 10s);
    EXPECT_LT(defaults.total_timeout, 10s);
}

TEST(HttpCancel, CancelledAbandonsARequestToAHungServer) {
    auto hung = HungServer::start();
    ASSERT_TRUE(hung.has_value()) << hung.error().message;
    std::atomic<bool> cancel{false};
    HttpOptions options;
    options.total_timeout = 120s;  // only the cancel can end it within the bound below
    options.cancelled = [&cancel] { return cancel.load(); };
    HttpClient first((*hung)->http_url(), options);
    HttpClient http(std::move(first));  // the cancel hook must survive a move

    std::thread canceller([&] {
        while ((*hung)->connections() == 0) std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(200ms);  // the request is on the wire and waiting
        cancel = true;
    });
    const auto started = std::chrono::steady_clock::now();
    auto r = http.post(R"({"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]})");
    const auto waited = std::chrono::steady_clock::now() - started;
    canceller.join();
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find(": cancelled: "), std::string::npos) << r.error().message;
    EXPECT_LT(waited, 30s) << "the request waited for its own timeout, not the cancel";
}

TEST(HttpCancel, AlreadyCancelledSendsNothing) {
    auto hung = HungServer::start();
    ASSERT_TRUE(hung.has_value()) << hung.error().message;
    HttpOptions options;
    options.cancelled = [] { return true; };
    HttpClient http((*hung)->http_url(), options);
    auto r = http.post("{}");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find(": cancelled: before sending"), std::string::npos) << r.error().message;
    EXPECT_EQ((*hung)->connections(), 0u);
}

}  // namespace http_cancel_test
}  // namespace keeper::net

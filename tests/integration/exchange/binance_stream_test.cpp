// oracles::binance::TickerStream against a local websocket server that
// speaks Binance's format: the SUBSCRIBE request Binance documents, its
// {"result":null,"id":1} answer, and bookTicker events verbatim in Binance's
// field names. Worked example: ETHUSDT bid 2000.10, ask 2000.30: the mid
// 2000.200 (one decimal more than the quotes) becomes WETH's exchange price;
// a BTCUSDT event on the same connection is not ours.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "oracles/binance_ticker_stream.hpp"
#include "support/websocket_test_server.hpp"

namespace keeper::oracles::binance {
namespace binance_stream_test {

using namespace std::chrono_literals;

const Address kWeth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();

std::string book_ticker(std::string_view symbol, std::uint64_t id, std::string_view bid, std::string_view ask) {
    return R"({"u":)" + std::to_string(id) + R"(,"s":")" + std::string(symbol) + R"(","b":")" + std::string(bid) +
           R"(","B":"1.50000000","a":")" + std::string(ask) + R"(","A":"2.25000000"})";
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

class BinanceStreamTest : public ::testing::Test {
protected:
    std::unique_ptr<TickerStream> open(const std::string& url) {
        StreamSettings settings;
        settings.url = url;
        settings.symbols = {{"ETHUSDT", kWeth}};
        settings.first_retry = 50ms;
        settings.max_retry = 200ms;
        return std::make_unique<TickerStream>(
            settings, [] { return std::uint64_t{1765000000}; }, [this](const std::string& l) { note(l); },
            [this](const std::string& l) { note(l); });
    }
    void note(const std::string& line) {
        const std::lock_guard lock(mutex_);
        log_.push_back(line);
    }
    bool logged(const std::string& part) {
        const std::lock_guard lock(mutex_);
        for (const auto& l : log_)
            if (l.find(part) != std::string::npos) return true;
        return false;
    }
    std::string log() {
        const std::lock_guard lock(mutex_);
        std::string out;
        for (const auto& l : log_) out += l + "\n";
        return out;
    }

    std::mutex mutex_;
    std::vector<std::string> log_;
};

TEST_F(BinanceStreamTest, SubscribesKeepsEachAssetsLatestMidAndReconnectsAfterADrop) {
    auto server = testing::WebSocketTestServer::start(R"({"result":null,"id":1})");
    ASSERT_TRUE(server) << server.error().message;
    auto stream = open((*server)->url());

    ASSERT_TRUE(eventually([&] { return !(*server)->subscriptions().empty(); })) << log();
    EXPECT_EQ((*server)->subscriptions().front(), R"({"id":1,"method":"SUBSCRIBE","params":["ethusdt@bookTicker"]})");
    ASSERT_TRUE(eventually([&] { return logged("binance: subscribed"); })) << log();

    (*server)->send(book_ticker("BTCUSDT", 7, "90000.00", "90000.10"));
    (*server)->send(book_ticker("ETHUSDT", 8, "2000.10", "2000.30"));
    ASSERT_TRUE(eventually([&] { return stream->updates() == 1; })) << log();
    const auto mid = stream->latest(kWeth);
    ASSERT_TRUE(mid.has_value());
    const PriceUpdate first = mid.value_or(PriceUpdate{});
    EXPECT_EQ(first.price.text(), "2000.200");
    EXPECT_EQ(first.source, PriceSource::binance_book_ticker);
    EXPECT_EQ(first.round_id, U256(8));
    EXPECT_EQ(first.observed_at_s, 1765000000u);
    EXPECT_EQ(first.block, std::nullopt) << "an exchange price is never a chain's";

    // The connection drops without a close frame: the stream reconnects and subscribes again.
    (*server)->drop_connection();
    ASSERT_TRUE(eventually([&] { return (*server)->subscriptions().size() == 2; })) << log();
    EXPECT_EQ(stream->connections(), 2u);
    (*server)->send(book_ticker("ETHUSDT", 9, "1999.90", "2000.00"));
    ASSERT_TRUE(eventually([&] { return stream->updates() == 2; })) << log();
    EXPECT_EQ(stream->latest(kWeth).value_or(PriceUpdate{}).price.text(), "1999.950");
    EXPECT_TRUE(logged("binance: reconnecting in 50 ms")) << log();
}

TEST_F(BinanceStreamTest, ARefusedSubscriptionAndMalformedEventsAreLoggedAndNeverBecomePrices) {
    auto server = testing::WebSocketTestServer::start(R"({"code":2,"msg":"Invalid request: unknown stream"})");
    ASSERT_TRUE(server) << server.error().message;
    auto stream = open((*server)->url());
    ASSERT_TRUE(eventually([&] {
        return logged("binance: subscription refused: code 2: Invalid request: unknown stream");
    })) << log();
    // It keeps trying, backing off.
    ASSERT_TRUE(eventually([&] { return (*server)->subscriptions().size() >= 2; })) << log();
    EXPECT_EQ(stream->updates(), 0u);
    EXPECT_EQ(stream->latest(kWeth), std::nullopt);

    auto good = testing::WebSocketTestServer::start(R"({"result":null,"id":1})");
    ASSERT_TRUE(good) << good.error().message;
    auto second = open((*good)->url());
    ASSERT_TRUE(eventually([&] { return !(*good)->subscriptions().empty(); })) << log();
    (*good)->send(R"({"u":10,"s":"ETHUSDT","b":"-1","B":"1","a":"2000","A":"1"})");  // a negative bid
    (*good)->send(book_ticker("ETHUSDT", 11, "2001.00", "2000.00"));                 // a crossed book
    (*good)->send(book_ticker("ETHUSDT", 12, "2000.00", "2000.02"));
    ASSERT_TRUE(eventually([&] { return second->updates() == 1; })) << log();
    EXPECT_EQ(second->latest(kWeth).value_or(PriceUpdate{}).price.text(), "2000.010");
    EXPECT_TRUE(logged("binance: message ignored: bookTicker: \"b\"")) << log();
    EXPECT_TRUE(logged("crossed book")) << log();
}

}  // namespace binance_stream_test
}  // namespace keeper::oracles::binance

#pragma once
// A live Binance <symbol>@bookTicker connection (oracles/binance_book_ticker.hpp
// for the format) on its own thread, over the project's websocket client
// (net/websocket_session.hpp): connect, SUBSCRIBE to every symbol's stream,
// keep each asset's latest mid price; on any failure (refused subscription,
// malformed message, lost connection) log it and reconnect after 1 s,
// doubling to 30 s. For alerts and pre-screening only: nothing here is a
// price a liquidation is judged by. The receive time comes from the caller's
// clock (DESIGN.md rule 6): the spot stream carries none.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/address.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles::binance {

struct StreamSettings {
    std::string url;                                       // "wss://stream.binance.com:9443/ws" (a raw-stream endpoint)
    std::vector<std::pair<std::string, Address>> symbols;  // "ETHUSDT" -> the asset its mid prices
    std::chrono::milliseconds first_retry{1000};
    std::chrono::milliseconds max_retry{30000};
};

class TickerStream {
public:
    using Clock = std::function<std::uint64_t()>;  // unix seconds
    using Log = std::function<void(const std::string&)>;

    // Starts the thread; the first connection is made there (never blocks the caller).
    TickerStream(StreamSettings settings, Clock clock, Log info, Log warn);
    ~TickerStream();  // stops and joins (within the receive poll and the close timeout)
    TickerStream(const TickerStream&) = delete;
    TickerStream& operator=(const TickerStream&) = delete;

    // The asset's latest mid price (source binance_book_ticker), if any arrived.
    std::optional<PriceUpdate> latest(const Address& asset) const;
    std::uint64_t updates() const { return updates_.load(); }
    std::uint64_t connections() const { return connections_.load(); }

private:
    void run();
    bool session();  // one connection, until it fails or stop; false: stopping
    void wait_for(std::chrono::milliseconds delay);

    StreamSettings settings_;
    Clock clock_;
    Log info_, warn_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<Address, PriceUpdate> latest_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> updates_{0}, connections_{0};
    std::thread thread_;
};

}  // namespace keeper::oracles::binance

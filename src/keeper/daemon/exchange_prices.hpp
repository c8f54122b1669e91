#pragma once
// [exchange] at the keeper's edge: the exchange's ticker stream
// (oracles/binance_ticker_stream.hpp) for every [[feeds]] table with an
// exchange_symbol, and once a round the comparison of each asset's exchange
// mid with its on-chain feed price. Alerts only: a deviation beyond
// max_deviation_bps is logged once when it starts and once when it ends and
// raised as the exchange_deviation alert (trigger / resolve), and nothing else changes: liquidations are judged by the
// protocols' own on-chain prices, never by an exchange's.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keeper/alerts/alert_kinds.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/daemon/oracle_feeds.hpp"
#include "oracles/binance_ticker_stream.hpp"

namespace keeper::app {

class ExchangePrices {
public:
    using Log = std::function<void(const std::string&)>;
    using Clock = std::function<std::uint64_t()>;  // unix seconds, the machine's: exchange prices are off chain

    // Starts the stream (it connects on its own thread; never blocks here).
    ExchangePrices(const config::ExchangeSettings& settings, const std::vector<config::FeedSettings>& feeds,
                   Clock clock, Log info, Log warn);

    // Compares every asset's fresh exchange mid (within max_age_s at `now_s`)
    // with its on-chain feed price; logs the deviations that start and end,
    // and returns every comparison made (the exchange_deviation alert's input).
    std::vector<alerts::ExchangeDeviation> check(const OracleFeeds& feeds, std::uint64_t now_s);
    // Assets whose exchange price deviates right now (for tests and the log).
    std::vector<Address> deviating() const;

private:
    struct Watched {
        Address asset;
        std::string symbol;
        bool deviating = false;
    };
    config::ExchangeSettings settings_;
    std::vector<Watched> watched_;
    Log info_, warn_;
    std::unique_ptr<oracles::binance::TickerStream> stream_;
};

}  // namespace keeper::app

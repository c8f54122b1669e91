#include "keeper/daemon/exchange_prices.hpp"

#include <cstdint>

#include "oracles/feed_sanity.hpp"

namespace keeper::app {

ExchangePrices::ExchangePrices(const config::ExchangeSettings& settings, const std::vector<config::FeedSettings>& feeds,
                               Clock clock, Log info, Log warn)
    : settings_(settings), info_(std::move(info)), warn_(std::move(warn)) {
    oracles::binance::StreamSettings stream;
    stream.url = settings.url;
    for (const auto& feed : feeds) {
        if (!feed.exchange_symbol.has_value()) continue;
        watched_.push_back(Watched{feed.asset, *feed.exchange_symbol, false});
        stream.symbols.emplace_back(*feed.exchange_symbol, feed.asset);
    }
    stream_ = std::make_unique<oracles::binance::TickerStream>(std::move(stream), std::move(clock), info_, warn_);
}

std::vector<alerts::ExchangeDeviation> ExchangePrices::check(const OracleFeeds& feeds, std::uint64_t now_s) {
    std::vector<alerts::ExchangeDeviation> out;
    for (auto& w : watched_) {
        const auto exchange = stream_->latest(w.asset);
        const auto& onchain = feeds.price(w.asset);
        // Only a fresh exchange price against a real on-chain one says anything.
        if (!exchange.has_value() || !onchain.has_value()) continue;
        const oracles::PriceUpdate& ex = *exchange;
        const oracles::PriceUpdate& chain = *onchain;
        if (now_s > ex.observed_at_s && now_s - ex.observed_at_s > settings_.max_age_s) continue;
        const auto bps = oracles::deviation_bps(chain.price, ex.price);
        if (!bps.has_value()) continue;
        const U256& off = *bps;
        const bool deviating = off > U256(settings_.max_deviation_bps);
        out.push_back(alerts::ExchangeDeviation{w.asset.checksummed(), w.symbol, settings_.kind, chain.price.text(),
                                                ex.price.text(), off.fits_u64() ? off.low64() : UINT64_MAX,
                                                settings_.max_deviation_bps});
        if (deviating == w.deviating) continue;
        w.deviating = deviating;
        const std::string prices = "on-chain " + chain.price.text() + " (" +
                                   std::string(oracles::to_string(chain.source)) + " of " + chain.feed.checksummed() +
                                   ") is " + off.to_dec() + " bps from " + settings_.kind + " " + w.symbol + " mid " +
                                   ex.price.text();
        if (deviating)
            warn_("exchange price alert for " + w.asset.checksummed() + ": " + prices + " (at most " +
                  std::to_string(settings_.max_deviation_bps) +
                  " bps); alert only: liquidations are still judged by the on-chain price");
        else
            info_("exchange price for " + w.asset.checksummed() + " back within " +
                  std::to_string(settings_.max_deviation_bps) + " bps: " + prices);
    }
    return out;
}

std::vector<Address> ExchangePrices::deviating() const {
    std::vector<Address> out;
    for (const auto& w : watched_)
        if (w.deviating) out.push_back(w.asset);
    return out;
}

}  // namespace keeper::app

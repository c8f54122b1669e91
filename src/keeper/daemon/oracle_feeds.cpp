#include "keeper/daemon/oracle_feeds.hpp"

#include <algorithm>

#include "oracles/chainlink_calls.hpp"
#include "oracles/chainlink_events.hpp"

namespace keeper::app {
namespace {

namespace chainlink = oracles::chainlink;

Result<Bytes> call_at(chain::JsonRpcClient& client, const Address& to, Bytes calldata, std::uint64_t block) {
    auto answer = client.eth_call(chain::CallRequest{std::nullopt, to, std::move(calldata), std::nullopt, std::nullopt},
                                  chain::BlockId::number(block));
    if (!answer) return std::unexpected(Error(answer.error()));
    return std::move(*answer);
}

// A proxy answers aggregator(); a plain aggregator has no such function and
// reverts (or, with a fallback, answers something that is not an address).
Result<Address> resolve_aggregator(chain::JsonRpcClient& client, const Address& configured, std::uint64_t block) {
    auto answer = call_at(client, configured, chainlink::aggregator_call(), block);
    if (!answer) {
        if (answer.error().kind == ErrorKind::refused) return configured;
        return std::unexpected(context("aggregator()", answer.error()));
    }
    auto aggregator = chainlink::decode_aggregator(*answer);
    if (!aggregator || aggregator->is_zero()) return configured;
    return *aggregator;
}

std::string describe_update(const oracles::PriceUpdate& u) {
    std::string out = u.price.text() + " from " + std::string(oracles::to_string(u.source)) + " of " +
                      u.feed.checksummed() + " round " + u.round_id.to_dec();
    if (u.block) out += " in block " + std::to_string(*u.block);
    return out;
}

}  // namespace

Hold oracle_hold(oracles::FeedVerdict verdict, const Address& asset, const Address& feed) {
    const std::string which = " (the feed " + feed.checksummed() + " of " + asset.checksummed() + " is halted)";
    switch (verdict) {
        case oracles::FeedVerdict::stale:
            return {"oracle_stale", "oracle stale" + which};
        case oracles::FeedVerdict::deviating:
            return {"oracle_deviating", "oracle deviating" + which};
        case oracles::FeedVerdict::no_price:
        case oracles::FeedVerdict::sane:
            break;  // sane: not judged yet, which counts as no price
    }
    return {"oracle_no_price", "no oracle price" + which};
}

Result<std::unique_ptr<OracleFeeds>> OracleFeeds::open(chain::JsonRpcClient& client,
                                                       const std::vector<config::FeedSettings>& feeds,
                                                       const chain::BlockHeader& head, Log info, Log warn) {
    std::unique_ptr<OracleFeeds> out(new OracleFeeds(std::move(info), std::move(warn)));
    for (const auto& feed : feeds) {
        out->sanity_.track(
            feed.asset, oracles::FeedSanitySettings{feed.heartbeat_s, feed.staleness_margin_s, feed.max_deviation_bps});
        std::vector<std::pair<Address, bool>> configured{{feed.aggregator, false}};
        if (feed.second_aggregator) configured.emplace_back(*feed.second_aggregator, true);
        for (const auto& [address, second] : configured) {
            const std::string name = "feed " + address.checksummed() + " of " + feed.asset.checksummed();
            auto aggregator = resolve_aggregator(client, address, head.number);
            if (!aggregator) return std::unexpected(context(name, aggregator.error()));
            auto decimals_data = call_at(client, *aggregator, chainlink::decimals_call(), head.number);
            if (!decimals_data) return std::unexpected(context(name + ": decimals()", decimals_data.error()));
            auto decimals = chainlink::decode_decimals(*decimals_data);
            if (!decimals) return std::unexpected(context(name + ": decimals()", decimals.error()));
            Source source{feed.asset, address, *aggregator, *decimals, second, !second && feed.pending_transmissions};
            out->sources_.push_back(source);
            const std::string via = *aggregator == address ? ""
                                                           : " through its aggregator " + aggregator->checksummed();
            auto round_data = call_at(client, *aggregator, chainlink::latest_round_data_call(), head.number);
            if (!round_data && round_data.error().kind != ErrorKind::refused)
                return std::unexpected(context(name + ": latestRoundData()", round_data.error()));
            auto round = round_data ? chainlink::decode_latest_round_data(*round_data)
                                    : Result<chainlink::RoundData>(std::unexpected(round_data.error()));
            if (!round) {
                out->warn_(name + via + ": latestRoundData() at block " + std::to_string(head.number) + ": " +
                           round.error().message + "; no price until the feed's next update");
                continue;
            }
            const auto update = chainlink::to_price_update(
                *round, chainlink::FeedContext{feed.asset, *decimals, *aggregator, head.number, head.timestamp});
            std::string line = second ? "second " : "";
            line += name;
            line += via;
            line += ", " + std::to_string(*decimals) + " decimals: " + describe_update(update);
            out->info_(line);
            out->observe(source, update);
        }
    }
    return out;
}

chain::LogFilter OracleFeeds::log_filter() const {
    chain::LogFilter filter;
    for (const auto& s : sources_)
        if (std::find(filter.addresses.begin(), filter.addresses.end(), s.aggregator) == filter.addresses.end())
            filter.addresses.push_back(s.aggregator);
    filter.any_topic0 = chainlink::followed_topics();
    return filter;
}

void OracleFeeds::observe(const Source& source, const oracles::PriceUpdate& update) {
    if (source.second)
        sanity_.observe_second(update);
    else
        sanity_.observe_primary(update);
}

void OracleFeeds::apply(std::span<const chain::Log> logs, const chain::BlockHeader& head) {
    for (const auto& log : logs) {
        if (log.removed) continue;
        auto event = chainlink::decode_event(log.topics, log.data);
        if (!event) {
            warn_("feed log of " + log.address.checksummed() + " in block " +
                  std::to_string(log.block_number.value_or(0)) + " ignored: " + event.error().message);
            continue;
        }
        const std::optional<chainlink::FeedEvent>& decoded = *event;
        if (!decoded) continue;  // NewRound, ConfigSet, ...
        const chainlink::FeedEvent& feed_event = *decoded;
        for (const auto& source : sources_) {
            if (source.aggregator != log.address) continue;
            const auto update = chainlink::to_price_update(
                feed_event, chainlink::FeedContext{source.asset, source.decimals, source.aggregator, log.block_number,
                                                   head.timestamp});
            info_(std::string(source.second ? "second feed update for " : "feed update for ") +
                  source.asset.checksummed() + ": " + describe_update(update));
            observe(source, update);
        }
    }
}

std::vector<FeedStatus> OracleFeeds::evaluate(std::uint64_t head_timestamp_s) {
    for (const auto& t : sanity_.evaluate(head_timestamp_s)) {
        const std::string line = "oracle for " + t.asset.checksummed() + (t.halted ? " halted: " : " resumed: ") +
                                 t.judgement.reason;
        if (t.halted)
            warn_(line + "; actions on positions holding it are held back");
        else
            info_(line);
    }
    std::vector<FeedStatus> out;
    for (const auto& s : sources_) {
        if (s.second) continue;
        FeedStatus status;
        status.asset = s.asset;
        status.feed = s.configured;
        status.aggregator = s.aggregator;
        if (const auto* settings = sanity_.settings(s.asset))
            status.max_age_s = settings->heartbeat_s + settings->staleness_margin_s;
        if (const auto* judgement = sanity_.judgement(s.asset)) status.verdict = judgement->verdict;
        status.halted = sanity_.halted(s.asset);
        if (const auto& price = sanity_.primary(s.asset)) {
            status.updated_at_s = price->observed_at_s;
            status.age_s = head_timestamp_s > price->observed_at_s ? head_timestamp_s - price->observed_at_s : 0;
            status.price = price->price.text();
        }
        out.push_back(std::move(status));
    }
    return out;
}

std::vector<Address> OracleFeeds::pending_aggregators() const {
    std::vector<Address> out;
    for (const auto& s : sources_)
        if (s.pending && std::find(out.begin(), out.end(), s.aggregator) == out.end()) out.push_back(s.aggregator);
    return out;
}

std::optional<oracles::PriceUpdate> OracleFeeds::pending_price(const Address& aggregator,
                                                               const oracles::chainlink::Ocr2Transmit& transmit) const {
    for (const auto& s : sources_)
        if (s.pending && s.aggregator == aggregator)
            return chainlink::to_pending_price_update(transmit, s.asset, s.decimals, s.aggregator);
    return std::nullopt;
}

std::optional<Hold> OracleFeeds::hold(const protocols::Action& action) const {
    for (const Address* token : {&action.prediction.collateral_token, &action.prediction.debt_token}) {
        if (!sanity_.halted(*token)) continue;
        const auto* judgement = sanity_.judgement(*token);
        const auto source = std::find_if(sources_.begin(), sources_.end(),
                                         [&](const Source& s) { return !s.second && s.asset == *token; });
        return oracle_hold(judgement ? judgement->verdict : oracles::FeedVerdict::no_price, *token,
                           source == sources_.end() ? Address{} : source->configured);
    }
    return std::nullopt;
}

}  // namespace keeper::app

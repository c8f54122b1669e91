#include "keeper/daemon/oracle_feeds.hpp"

#include <algorithm>

#include "oracles/chainlink_calls.hpp"
#include "oracles/chainlink_events.hpp"
#include "oracles/pyth_calls.hpp"
#include "oracles/pyth_events.hpp"

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
                      u.feed.checksummed();
    // Pyth has no rounds: the id and its publish time say which price it is.
    if (u.price_id.is_zero())
        out += " round " + u.round_id.to_dec();
    else
        out += " id " + u.price_id.hex() + " published at " + std::to_string(u.observed_at_s);
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
        if (feed.pyth.has_value()) {
            if (auto opened = out->open_pyth(client, feed.asset, *feed.pyth, head); !opened)
                return std::unexpected(opened.error());
        } else if (auto opened = out->open_chainlink(client, feed.asset, feed.aggregator, false,
                                                     feed.pending_transmissions, head);
                   !opened) {
            return std::unexpected(opened.error());
        }
        if (feed.second_aggregator.has_value()) {
            if (auto opened = out->open_chainlink(client, feed.asset, *feed.second_aggregator, true, false, head);
                !opened)
                return std::unexpected(opened.error());
        }
    }
    return out;
}

Result<void> OracleFeeds::open_chainlink(chain::JsonRpcClient& client, const Address& asset, const Address& address,
                                         bool second, bool pending, const chain::BlockHeader& head) {
    const std::string name = "feed " + address.checksummed() + " of " + asset.checksummed();
    auto aggregator = resolve_aggregator(client, address, head.number);
    if (!aggregator) return std::unexpected(context(name, aggregator.error()));
    auto decimals_data = call_at(client, *aggregator, chainlink::decimals_call(), head.number);
    if (!decimals_data) return std::unexpected(context(name + ": decimals()", decimals_data.error()));
    auto decimals = chainlink::decode_decimals(*decimals_data);
    if (!decimals) return std::unexpected(context(name + ": decimals()", decimals.error()));
    Source source{asset, address, *aggregator, *decimals, second, pending, std::nullopt, 0};
    sources_.push_back(source);
    const std::string via = *aggregator == address ? "" : " through its aggregator " + aggregator->checksummed();
    auto round_data = call_at(client, *aggregator, chainlink::latest_round_data_call(), head.number);
    if (!round_data && round_data.error().kind != ErrorKind::refused)
        return std::unexpected(context(name + ": latestRoundData()", round_data.error()));
    auto round = round_data ? chainlink::decode_latest_round_data(*round_data)
                            : Result<chainlink::RoundData>(std::unexpected(round_data.error()));
    if (!round) {
        warn_(name + via + ": latestRoundData() at block " + std::to_string(head.number) + ": " +
              round.error().message + "; no price until the feed's next update");
        return {};
    }
    const auto update = chainlink::to_price_update(
        *round, chainlink::FeedContext{asset, *decimals, *aggregator, head.number, head.timestamp});
    std::string line = second ? "second " : "";
    line += name;
    line += via;
    line += ", " + std::to_string(*decimals) + " decimals: " + describe_update(update);
    info_(line);
    observe(source, update);
    return {};
}

// The event carries no expo, so the id must already hold a price to read
// it from: an id never pushed to this contract (PriceFeedNotFound) cannot
// be followed, and says so at start rather than halting forever.
Result<void> OracleFeeds::open_pyth(chain::JsonRpcClient& client, const Address& asset,
                                    const config::PythFeedSettings& pyth, const chain::BlockHeader& head) {
    const std::string name = "pyth feed " + pyth.price_id.hex() + " of " + asset.checksummed() + " in " +
                             pyth.contract.checksummed();
    auto answer = call_at(client, pyth.contract, oracles::pyth::get_price_unsafe_call(pyth.price_id), head.number);
    if (!answer) {
        const std::string why = answer.error().kind == ErrorKind::refused
                                    ? " (no price stored for this id, or not a Pyth contract: its expo is unknown)"
                                    : "";
        return std::unexpected(
            context(name + ": getPriceUnsafe at block " + std::to_string(head.number) + why, answer.error()));
    }
    auto price = oracles::pyth::decode_price(*answer);
    if (!price) return std::unexpected(context(name + ": getPriceUnsafe", price.error()));
    const oracles::pyth::FeedContext feed_context{asset, price->expo, pyth.contract, head.number};
    auto update = oracles::pyth::to_price_update(*price, pyth.price_id, feed_context);
    if (!update) return std::unexpected(context(name, update.error()));
    Source source{asset, pyth.contract, pyth.contract, update->price.decimals,
                  false, false,         pyth.price_id, price->expo};
    sources_.push_back(source);
    info_(name + ", expo " + std::to_string(price->expo) + ": " + describe_update(*update));
    observe(source, *update);
    return {};
}

chain::LogFilter OracleFeeds::log_filter() const {
    chain::LogFilter filter;
    for (const auto& s : sources_)
        if (std::find(filter.addresses.begin(), filter.addresses.end(), s.aggregator) == filter.addresses.end())
            filter.addresses.push_back(s.aggregator);
    filter.any_topic0 = chainlink::followed_topics();
    if (std::ranges::any_of(sources_, [](const Source& s) { return s.pyth_id.has_value(); }))
        filter.any_topic0.push_back(oracles::pyth::price_feed_update_topic());
    return filter;
}

void OracleFeeds::observe(const Source& source, const oracles::PriceUpdate& update) {
    if (source.second)
        sanity_.observe_second(update);
    else
        sanity_.observe_primary(update);
}

// A Pyth contract emits PriceFeedUpdate for every id pushed to it: only the
// configured ids are taken, the rest ignored without a word.
void OracleFeeds::apply_pyth(const chain::Log& log) {
    auto event = oracles::pyth::decode_event(log.topics, log.data);
    if (!event) {
        warn_("pyth log of " + log.address.checksummed() + " in block " + std::to_string(log.block_number.value_or(0)) +
              " ignored: " + event.error().message);
        return;
    }
    const std::optional<oracles::pyth::PriceFeedUpdate>& decoded = *event;
    if (!decoded.has_value()) return;
    const oracles::pyth::PriceFeedUpdate& pushed = *decoded;
    for (const auto& source : sources_) {
        if (source.aggregator != log.address || source.pyth_id != pushed.id) continue;
        auto update = oracles::pyth::to_price_update(
            pushed, oracles::pyth::FeedContext{source.asset, source.expo, source.aggregator, log.block_number});
        if (!update) continue;  // the expo was accepted at start: cannot happen
        info_("feed update for " + source.asset.checksummed() + ": " + describe_update(*update));
        observe(source, *update);
    }
}

void OracleFeeds::apply(std::span<const chain::Log> logs, const chain::BlockHeader& head) {
    for (const auto& log : logs) {
        if (log.removed) continue;
        if (!log.topics.empty() && log.topics.front() == oracles::pyth::price_feed_update_topic()) {
            apply_pyth(log);
            continue;
        }
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

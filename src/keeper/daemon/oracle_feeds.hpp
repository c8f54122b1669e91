#pragma once
// The price feeds of [[feeds]] at the keeper's edge: at start, each feed's
// aggregator (an EAC proxy's aggregator(), since only the aggregator emits
// logs), decimals() and latestRoundData() are read at the head, and each
// Pyth feed's getPriceUnsafe(id) (its price and expo); each round the logs
// the one shared follower fetched for the aggregators (AnswerUpdated,
// OCR1/OCR2 NewTransmission) and the Pyth contracts (PriceFeedUpdate of the
// configured ids) become PriceUpdates, and the
// pure FeedSanity judges every asset at the head block's timestamp (never
// the wall clock). A halted asset holds back every action whose position has
// it as collateral or debt. Halts and resumptions are logged once each.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/daemon/action_guard.hpp"
#include "oracles/feed_sanity.hpp"
#include "oracles/ocr2_transmit.hpp"
#include "protocols/action.hpp"

namespace keeper::app {

// One asset's feed after a round's evaluation: the status page, the age
// metric and the oracle_stale alert read it.
struct FeedStatus {
    Address asset;
    Address feed;                               // the [[feeds]] aggregator as configured (proxy or aggregator)
    Address aggregator;                         // the one whose logs are followed
    std::optional<std::uint64_t> updated_at_s;  // the price's observation time; nullopt: no price yet
    std::uint64_t age_s = 0;                    // head timestamp - updated_at (0 without a price)
    std::uint64_t max_age_s = 0;                // heartbeat + staleness margin
    oracles::FeedVerdict verdict = oracles::FeedVerdict::no_price;
    bool halted = true;
    std::string price;  // "2000.12345678"; empty without a price

    // "<asset> feed <configured aggregator>": the keeper_oracle_age_seconds
    // label, the oracle_stale subject and the status page's `feed`, one name.
    std::string name() const { return asset.checksummed() + " feed " + feed.checksummed(); }
};

// The metrics' `reason` label and the log's words for a held-back action.
Hold oracle_hold(oracles::FeedVerdict verdict, const Address& asset, const Address& feed);

class OracleFeeds {
public:
    using Log = std::function<void(const std::string&)>;

    // Resolves and reads every feed at `head`. An unreachable node, a feed
    // whose decimals() cannot be read (not an aggregator), or a Pyth id whose
    // getPriceUnsafe reverts (no price stored: its expo is unknown) fails; a
    // feed whose latestRoundData() reverts starts without a price (halted).
    static Result<std::unique_ptr<OracleFeeds>> open(chain::JsonRpcClient& client,
                                                     const std::vector<config::FeedSettings>& feeds,
                                                     const chain::BlockHeader& head, Log info, Log warn);

    // Every aggregator and Pyth contract followed (primary and second), the
    // Chainlink topic0s and, with a Pyth feed, PriceFeedUpdate's.
    chain::LogFilter log_filter() const;
    // The logs of the followed aggregators, mined up to `head` (OCR1, whose
    // event carries no time, is dated by the head's timestamp).
    void apply(std::span<const chain::Log> logs, const chain::BlockHeader& head);
    // Judges every asset at the head's timestamp, logs halts and resumptions,
    // and returns every asset's status in configuration order.
    std::vector<FeedStatus> evaluate(std::uint64_t head_timestamp_s);
    // A Hold when the action's collateral or debt token is halted.
    std::optional<Hold> hold(const protocols::Action& action) const;
    // The asset's latest on-chain price (its primary feed's), if any.
    const std::optional<oracles::PriceUpdate>& price(const Address& asset) const { return sanity_.primary(asset); }

    // Pending mode ([[feeds]] pending_transmissions): the aggregators whose
    // transmit calls in the mempool are watched (primary feeds only).
    std::vector<Address> pending_aggregators() const;
    // What a pending transmit to `aggregator` will set: its median as the
    // asset's price (logged, never fed to the sanity policy, which judges
    // mined rounds only). nullopt: not a watched aggregator.
    std::optional<oracles::PriceUpdate> pending_price(const Address& aggregator,
                                                      const oracles::chainlink::Ocr2Transmit& transmit) const;

private:
    struct Source {
        Address asset;
        Address configured;  // as in keeper.toml (aggregator or proxy; the Pyth contract)
        Address aggregator;  // whose logs and latestRoundData are read (a Pyth feed: the Pyth contract)
        std::uint8_t decimals = 0;
        bool second = false;   // the reference feed of the asset
        bool pending = false;  // pending_transmissions: its mempool transmits are watched
        // A Pyth feed: its id within the contract, and the expo read at start
        // (PriceFeedUpdate carries none). nullopt: a Chainlink aggregator.
        std::optional<Bytes32> pyth_id;
        std::int32_t expo = 0;
    };
    OracleFeeds(Log info, Log warn) : info_(std::move(info)), warn_(std::move(warn)) {}
    Result<void> open_chainlink(chain::JsonRpcClient& client, const Address& asset, const Address& configured,
                                bool second, bool pending, const chain::BlockHeader& head);
    Result<void> open_pyth(chain::JsonRpcClient& client, const Address& asset, const config::PythFeedSettings& pyth,
                           const chain::BlockHeader& head);
    void apply_pyth(const chain::Log& log);
    void observe(const Source& source, const oracles::PriceUpdate& update);

    std::vector<Source> sources_;  // primary and second feeds, in configuration order
    oracles::FeedSanity sanity_;
    Log info_, warn_;
};

}  // namespace keeper::app

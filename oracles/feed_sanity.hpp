#pragma once
// Whether an asset's price may be acted on: a feed that has not updated
// within its heartbeat plus a margin (stale), whose answer is not a price
// (zero or negative), or that deviates from a second source by more than a
// configured number of basis points, stops actions for that asset until it
// is sane again; every change (halted, resumed) is reported once. Pure: the
// time comes in as a parameter (DESIGN.md rule 6), nothing is read or sent.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles {

struct FeedSanitySettings {
    // The feed's heartbeat: it updates at least this often even when the
    // price does not move (Chainlink ETH / USD on mainnet: 3600 s).
    std::uint64_t heartbeat_s = 3600;
    // Slack on top of the heartbeat for block times and transmission delay.
    std::uint64_t staleness_margin_s = 60;
    // Largest accepted |primary - second| / second, in basis points; nullopt:
    // no second source is compared.
    std::optional<std::uint32_t> max_deviation_bps;
};

enum class FeedVerdict : std::uint8_t {
    sane,
    no_price,   // nothing observed yet, or an answer <= 0
    stale,      // older than heartbeat + margin
    deviating,  // further from the second source than max_deviation_bps
};
std::string_view to_string(FeedVerdict verdict);

struct FeedJudgement {
    FeedVerdict verdict = FeedVerdict::no_price;
    std::string reason;  // for the log: "updated 3700 s ago, heartbeat 3600 s + margin 60 s"
};

// One asset's feed at `now_s` (unix seconds). The second source counts only
// when it is itself fresh (within the same heartbeat + margin) and positive:
// a dead reference never halts a live feed.
FeedJudgement judge_feed(const FeedSanitySettings& settings, const std::optional<PriceUpdate>& primary,
                         const std::optional<PriceUpdate>& second, std::uint64_t now_s);

// |a - b| * 10'000 / b, rounded down, in wad terms (both rescaled to 18
// decimals); nullopt when either is not a positive price.
std::optional<U256> deviation_bps(const ScaledAnswer& a, const ScaledAnswer& b);

struct FeedTransition {
    Address asset;
    bool halted = false;  // true: actions on the asset stop; false: they resume
    FeedJudgement judgement;  // why (on resumption: sane, with the price's age)
};

// The sanity state of every tracked asset: which are halted. Assets not
// tracked are never halted (the gate covers only assets with a feed).
class FeedSanity {
public:
    void track(const Address& asset, FeedSanitySettings settings);
    // The asset's primary feed (the one its protocol's oracle reads) or the
    // second source it is compared with. Updates of untracked assets, and
    // older rounds than the one held, are ignored.
    void observe_primary(const PriceUpdate& update);
    void observe_second(const PriceUpdate& update);
    // Judges every tracked asset at `now_s`; returns the assets whose state
    // changed since the last call (a tracked asset starts halted: no price).
    std::vector<FeedTransition> evaluate(std::uint64_t now_s);

    bool halted(const Address& asset) const;
    bool tracked(const Address& asset) const { return assets_.contains(asset); }
    const std::optional<PriceUpdate>& primary(const Address& asset) const;
    // The last evaluate()'s judgement of the asset (why it is halted, which
    // kind of halt); null before the first evaluate() or for an untracked asset.
    const FeedJudgement* judgement(const Address& asset) const;
    const FeedSanitySettings* settings(const Address& asset) const;

private:
    struct AssetState {
        FeedSanitySettings settings;
        std::optional<PriceUpdate> primary;
        std::optional<PriceUpdate> second;
        std::optional<FeedJudgement> judgement;  // the last evaluate()'s
        std::optional<bool> halted;  // nullopt: not judged yet (halted; the first judgement is reported only if it halts)
    };
    static void keep_newer(std::optional<PriceUpdate>& held, const PriceUpdate& update);
    std::map<Address, AssetState> assets_;
};

}  // namespace keeper::oracles

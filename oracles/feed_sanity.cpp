#include "oracles/feed_sanity.hpp"

#include <string>

namespace keeper::oracles {
namespace {

bool fresh(const FeedSanitySettings& s, const PriceUpdate& u, std::uint64_t now_s, std::uint64_t& age_s) {
    age_s = now_s > u.observed_at_s ? now_s - u.observed_at_s : 0;  // a clock behind the chain's: age 0
    return age_s <= s.heartbeat_s + s.staleness_margin_s;
}

}  // namespace

std::string_view to_string(FeedVerdict verdict) {
    switch (verdict) {
        case FeedVerdict::sane: return "sane";
        case FeedVerdict::no_price: return "no price";
        case FeedVerdict::stale: return "stale";
        case FeedVerdict::deviating: return "deviating";
    }
    return "unknown";
}

std::optional<U256> deviation_bps(const ScaledAnswer& a, const ScaledAnswer& b) {
    const auto a_wad = a.to_wad();
    const auto b_wad = b.to_wad();
    if (!a_wad || !b_wad || b_wad->is_zero()) return std::nullopt;
    const U256 diff = *a_wad > *b_wad ? *a_wad - *b_wad : *b_wad - *a_wad;
    return mul_div_down(diff, U256(10'000), *b_wad);  // a 512-bit intermediate: never overflows here
}

FeedJudgement judge_feed(const FeedSanitySettings& settings, const std::optional<PriceUpdate>& primary,
                         const std::optional<PriceUpdate>& second, std::uint64_t now_s) {
    if (!primary) return {FeedVerdict::no_price, "no price observed yet"};
    if (!primary->price.positive())
        return {FeedVerdict::no_price, "answer " + primary->price.text() + " is not a price"};
    std::uint64_t age_s = 0;
    const std::string limits = "heartbeat " + std::to_string(settings.heartbeat_s) + " s + margin " +
                               std::to_string(settings.staleness_margin_s) + " s";
    if (!fresh(settings, *primary, now_s, age_s))
        return {FeedVerdict::stale, "updated " + std::to_string(age_s) + " s ago, " + limits};
    std::string fresh_text = "updated " + std::to_string(age_s) + " s ago (" + limits + ")";
    std::uint64_t second_age_s = 0;
    if (settings.max_deviation_bps && second && second->price.positive() &&
        fresh(settings, *second, now_s, second_age_s)) {
        const auto bps = deviation_bps(primary->price, second->price);
        if (bps && *bps > U256(*settings.max_deviation_bps))
            return {FeedVerdict::deviating, primary->price.text() + " is " + bps->to_dec() + " bps from the second source's " +
                                                second->price.text() + " (at most " +
                                                std::to_string(*settings.max_deviation_bps) + " bps)"};
        if (bps) fresh_text += ", " + bps->to_dec() + " bps from the second source";
    }
    return {FeedVerdict::sane, fresh_text};
}

void FeedSanity::track(const Address& asset, FeedSanitySettings settings) {
    assets_[asset].settings = settings;
}

void FeedSanity::keep_newer(std::optional<PriceUpdate>& held, const PriceUpdate& update) {
    // Within one aggregator rounds only grow; across a feed change (a proxy
    // pointed at a new aggregator) the observation time decides.
    const bool newer = !held ||
                       (held->feed == update.feed ? update.round_id >= held->round_id
                                                  : update.observed_at_s >= held->observed_at_s);
    if (newer) held = update;
}

void FeedSanity::observe_primary(const PriceUpdate& update) {
    if (auto it = assets_.find(update.asset); it != assets_.end()) keep_newer(it->second.primary, update);
}

void FeedSanity::observe_second(const PriceUpdate& update) {
    if (auto it = assets_.find(update.asset); it != assets_.end()) keep_newer(it->second.second, update);
}

std::vector<FeedTransition> FeedSanity::evaluate(std::uint64_t now_s) {
    std::vector<FeedTransition> changes;
    for (auto& [asset, state] : assets_) {
        FeedJudgement judgement = judge_feed(state.settings, state.primary, state.second, now_s);
        const bool halt = judgement.verdict != FeedVerdict::sane;
        const bool first = !state.halted.has_value();
        if ((first && halt) || (!first && *state.halted != halt))
            changes.push_back(FeedTransition{asset, halt, judgement});
        state.halted = halt;
        state.judgement = std::move(judgement);
    }
    return changes;
}

bool FeedSanity::halted(const Address& asset) const {
    const auto it = assets_.find(asset);
    if (it == assets_.end()) return false;
    return it->second.halted.value_or(true);
}

const FeedJudgement* FeedSanity::judgement(const Address& asset) const {
    const auto it = assets_.find(asset);
    return it == assets_.end() || !it->second.judgement ? nullptr : &*it->second.judgement;
}

const FeedSanitySettings* FeedSanity::settings(const Address& asset) const {
    const auto it = assets_.find(asset);
    return it == assets_.end() ? nullptr : &it->second.settings;
}

const std::optional<PriceUpdate>& FeedSanity::primary(const Address& asset) const {
    static const std::optional<PriceUpdate> none;
    const auto it = assets_.find(asset);
    return it == assets_.end() ? none : it->second.primary;
}

}  // namespace keeper::oracles

#include "margin/account_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace keeper::margin {

namespace {

// The band edges as multiples of the hot line (see the header).
constexpr std::array<double, AccountIndex::band_count - 1> band_multiples{1.005, 1.01, 1.02, 1.05, 1.1, 1.25, 1.5};

// Float screening rounds each health by a few ulps (~1e-6 relative); the
// move bound gets 100 times that as slack so rounding never hides a crossing.
constexpr double move_bound_slack = 1e-4;

// F of the header's bound, >= 1; +inf when a factor moved from or to 0.
double move_factor(float old_collateral, float new_collateral, float old_debt, float new_debt) {
    double down = 1.0;  // min(1, fc)
    if (old_collateral > 0.0f) {
        down = std::min(1.0, static_cast<double>(new_collateral) / static_cast<double>(old_collateral));
    }
    double up = 1.0;  // max(1, fd)
    if (old_debt > 0.0f) {
        up = std::max(1.0, static_cast<double>(new_debt) / static_cast<double>(old_debt));
    } else if (new_debt > 0.0f) {
        up = std::numeric_limits<double>::infinity();
    }
    if (down <= 0.0) {
        return std::numeric_limits<double>::infinity();
    }
    return up / down * (1.0 + move_bound_slack);
}

void append_crossings(ScreenTick& into, const ScreenTick& from) {
    into.newly_flagged.insert(into.newly_flagged.end(), from.newly_flagged.begin(), from.newly_flagged.end());
    into.cleared.insert(into.cleared.end(), from.cleared.begin(), from.cleared.end());
    into.nominated.insert(into.nominated.end(), from.nominated.begin(), from.nominated.end());
}

}  // namespace

AccountIndex::AccountIndex(std::uint16_t asset_count, double warning_distance)
    : asset_count_(asset_count < screen_max_assets ? asset_count : screen_max_assets),
      watch_line_(static_cast<float>(1.0 + warning_distance)),
      factors_(asset_count_),
      postings_(static_cast<std::size_t>(asset_count_) * band_count) {}

void AccountIndex::cut_bands(float hot_line) {
    for (std::size_t k = 0; k < band_edges_.size(); ++k) {
        band_edges_[k] = static_cast<float>(static_cast<double>(hot_line) * band_multiples[k]);
    }
}

void AccountIndex::set_nominate_line(double line) {
    settle_carrying();
    nominate_line_ = static_cast<float>(line);
    cut_bands(nominate_line_);
    for (std::uint32_t slot = 0; slot < alive_.size(); ++slot) {
        if (alive_[slot] != 0) {
            band_moves_.push_back(slot);
        }
    }
    apply_band_moves(true);  // new edges: every account to its health's band
}

Result<void> AccountIndex::set_asset(std::uint16_t asset, double price_usd, double liquidation_threshold) {
    if (asset >= asset_count_) {
        return fail("account index: unknown asset " + std::to_string(asset));
    }
    if (!std::isfinite(price_usd) || price_usd < 0.0 || !std::isfinite(liquidation_threshold) ||
        liquidation_threshold < 0.0) {
        return fail("account index: asset " + std::to_string(asset) + ": price and threshold must be finite and >= 0");
    }
    factors_.set_asset(asset, price_usd, liquidation_threshold);
    return {};
}

// Without a nominate line every account stays in band 0: one list per asset
// in insertion order, walked at memory speed by on_asset_update, as a full
// re-screen of each moved asset wants (bench_engine's incremental tick).
std::uint8_t AccountIndex::band_of(float health) const {
    std::uint8_t band = 0;
    if (nominate_line_ <= 0.0f) {
        return band;
    }
    for (const float edge : band_edges_) {
        band = static_cast<std::uint8_t>(band + (health >= edge ? 1 : 0));
    }
    return band;
}

float AccountIndex::compute_health(std::uint32_t slot) const {
    const std::size_t base = screen_slots * slot;
    return screen_health(keys_.data() + base, amounts_.data() + base, factors_.collateral_usd.data(),
                         factors_.debt_usd.data());
}

void AccountIndex::judge(std::uint32_t slot, float h, ScreenTick* tick, bool settling) {
    // settle() re-evaluates an account whose band moved in this window's hot
    // passes at the same prices: it was handed over then.
    const bool seen = settling && h == health_[slot];
    health_[slot] = h;
    ++evaluations_;
    if (h < nominate_line_ && tick != nullptr && !seen) {
        tick->nominated.push_back(RankedScreenAccount{ScreenAccountId{slot}, h});
    }
    const bool flagged = h < watch_line_;
    const bool was_flagged = candidates_.contains(slot);
    if (flagged && was_flagged) {
        candidates_.set_health(slot, h);
    } else if (flagged != was_flagged) {
        if (flagged) {
            candidates_.insert(slot, h);
            if (tick != nullptr) {
                tick->newly_flagged.push_back(ScreenAccountId{slot});
            }
        } else {
            candidates_.erase(slot);
            if (tick != nullptr) {
                tick->cleared.push_back(ScreenAccountId{slot});
            }
        }
    }
}

void AccountIndex::rescreen(std::uint32_t slot, ScreenTick* tick, bool settling) {
    const float h = compute_health(slot);
    judge(slot, h, tick, settling);
    if (needs_band_move(slot, h)) {
        band_moves_.push_back(slot);
    }
}

std::size_t AccountIndex::evaluate_bands(std::uint16_t asset, std::size_t first, std::size_t last, ScreenTick* tick,
                                         bool settling) {
    std::size_t evaluated = 0;
    for (std::size_t b = first; b < last; ++b) {
        const std::vector<std::uint32_t>& list = posting(asset, b);
        // A banded list's slots are scattered over the index (moves reorder
        // them): fetch the ones a few steps ahead so each evaluation finds
        // its lines in cache (about 2x on a 1M-account index). Unbanded
        // lists keep insertion order, which the hardware prefetches itself.
        constexpr std::size_t ahead = 8;
        const bool fetch_ahead = nominate_line_ > 0.0f;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (fetch_ahead && i + ahead < list.size()) {
                const std::uint32_t next = list[i + ahead];
                __builtin_prefetch(keys_.data() + screen_slots * next);
                __builtin_prefetch(amounts_.data() + screen_slots * next);
                __builtin_prefetch(health_.data() + next, 1);
                __builtin_prefetch(band_.data() + next);
                candidates_.prefetch(next);
            }
            rescreen(list[i], tick, settling);
        }
        evaluated += list.size();
    }
    return evaluated;
}

// Only the lower edge of an account's band matters to the bound: an account
// listed below its health's band costs an evaluation now and then, one listed
// above it could be missed. So a fall moves it at once; a rise only when it
// clears the band above too, so an account near an edge does not move (four
// list removals and insertions) on every tick.
bool AccountIndex::needs_band_move(std::uint32_t slot, float health) const {
    const std::uint8_t band = band_of(health);
    return band < band_[slot] || band > band_[slot] + 1;
}

// Moves each slot between its assets' band lists. Deferred to after a pass
// so no list is changed while it is walked; a slot evaluated twice before
// then (two moves of its assets) goes by its latest health.
void AccountIndex::apply_band_moves(bool exact) {
    for (const std::uint32_t slot : band_moves_) {
        const std::uint8_t band = band_of(health_[slot]);
        if (alive_[slot] == 0 || band_[slot] == band || (!exact && !needs_band_move(slot, health_[slot]))) {
            continue;
        }
        const std::size_t base = screen_slots * slot;
        const std::array<std::uint16_t, screen_slots> keys{keys_[base], keys_[base + 1], keys_[base + 2],
                                                           keys_[base + 3]};
        std::array<bool, screen_slots> posted{};
        for (std::size_t j = 0; j < screen_slots; ++j) {
            posted[j] = posting_at_[base + j] != not_posted;
        }
        unlink_slot(slot);
        band_[slot] = band;
        for (std::size_t j = 0; j < screen_slots; ++j) {
            if (posted[j]) {
                std::vector<std::uint32_t>& list = posting(static_cast<std::uint16_t>(keys[j] >> 1), band);
                posting_at_[base + j] = static_cast<std::uint32_t>(list.size());
                list.push_back(slot);
            }
        }
    }
    band_moves_.clear();
}

void AccountIndex::settle_carrying() {
    if (!settled()) {
        append_crossings(carried_, settle());
    }
}

ScreenTick AccountIndex::take_carried() {
    ScreenTick out;
    std::swap(out.newly_flagged, carried_.newly_flagged);
    std::swap(out.cleared, carried_.cleared);
    std::swap(out.nominated, carried_.nominated);
    return out;
}

Result<ScreenTick> AccountIndex::screen_price_move(std::uint16_t asset, double price_usd, double liquidation_threshold,
                                                   std::size_t first_bands) {
    if (asset >= asset_count_) {
        return fail("account index: unknown asset " + std::to_string(asset));
    }
    const float old_collateral = factors_.collateral_usd[screen_key(asset, false)];
    const float old_debt = factors_.debt_usd[screen_key(asset, true)];
    const auto set = set_asset(asset, price_usd, liquidation_threshold);
    if (!set.has_value()) {
        return std::unexpected(set.error());
    }
    unsettled_factor_ *= move_factor(old_collateral, factors_.collateral_usd[screen_key(asset, false)], old_debt,
                                     factors_.debt_usd[screen_key(asset, true)]);
    // Band 0 always (every account under the hot line L is in it), then each
    // band whose lower edge L x m lies below L x F.
    std::size_t hot = 1;
    while (hot < band_count && band_multiples[hot - 1] < unsettled_factor_) {
        ++hot;
    }
    const std::size_t now = std::min(hot, std::max<std::size_t>(first_bands, 1));
    ScreenTick tick = take_carried();
    tick.evaluated = evaluate_bands(asset, 0, now, &tick);
    if (now < band_count) {
        auto owed = std::find_if(deferred_.begin(), deferred_.end(), [&](const auto& d) { return d.first == asset; });
        if (owed == deferred_.end()) {
            deferred_.emplace_back(asset, static_cast<std::uint8_t>(now));
        } else {
            owed->second = std::min(owed->second, static_cast<std::uint8_t>(now));
        }
        if (now < hot) {
            unfinished_hot_.push_back(HotRest{asset, static_cast<std::uint8_t>(now), static_cast<std::uint8_t>(hot)});
        }
        for (std::size_t b = now; b < band_count; ++b) {
            tick.deferred += posting(asset, b).size();
        }
    } else if (deferred_.empty()) {
        apply_band_moves();
        unsettled_factor_ = 1.0;
    }
    return tick;
}

// settle() evaluates these bands once more (they stay owed): the accounts are
// found at the same health and not handed over twice.
ScreenTick AccountIndex::finish_hot(std::size_t bands) {
    ScreenTick tick;
    for (HotRest& rest : unfinished_hot_) {
        const auto to = static_cast<std::uint8_t>(
            std::min<std::size_t>(rest.to, rest.from + std::max<std::size_t>(bands, 1)));
        tick.evaluated += evaluate_bands(rest.asset, rest.from, to, &tick);
        rest.from = to;
    }
    std::erase_if(unfinished_hot_, [](const HotRest& rest) { return rest.from >= rest.to; });
    return tick;
}

ScreenTick AccountIndex::settle() {
    ScreenTick tick;
    unfinished_hot_.clear();
    // Band lists stay as they are until every owed pass is over: an account
    // is evaluated at most once per list it is in.
    for (const auto& [asset, first] : deferred_) {
        tick.evaluated += evaluate_bands(asset, first, band_count, &tick, true);
    }
    deferred_.clear();
    apply_band_moves();
    unsettled_factor_ = 1.0;
    return tick;
}

Result<ScreenTick> AccountIndex::on_asset_update(std::uint16_t asset, double price_usd, double liquidation_threshold) {
    settle_carrying();
    const ScreenTick before = take_carried();
    auto tick = screen_price_move(asset, price_usd, liquidation_threshold);
    if (!tick.has_value()) {
        return tick;
    }
    const ScreenTick rest = settle();
    append_crossings(*tick, before);
    append_crossings(*tick, rest);
    tick->evaluated += rest.evaluated;
    tick->deferred = 0;
    return tick;
}

ScreenTick AccountIndex::rescreen_all() {
    settle_carrying();
    ScreenTick tick = take_carried();
    for (std::uint32_t slot = 0; slot < alive_.size(); ++slot) {
        if (alive_[slot] != 0) {
            rescreen(slot, &tick, false);
            ++tick.evaluated;
        }
    }
    apply_band_moves();
    return tick;
}

Result<void> AccountIndex::validate(std::span<const ScreenPosition> positions) const {
    if (positions.size() > screen_slots) {
        return fail("account index: " + std::to_string(positions.size()) + " positions, at most 4");
    }
    for (const ScreenPosition& p : positions) {
        if (p.asset >= asset_count_) {
            return fail("account index: unknown asset " + std::to_string(p.asset));
        }
        if (!std::isfinite(p.amount_units) || p.amount_units < 0.0) {
            return fail("account index: amount must be finite and >= 0");
        }
    }
    return {};
}

// Writes the positions and posts the slot in the band lists of its health.
float AccountIndex::write_slot(std::uint32_t slot, std::span<const ScreenPosition> positions) {
    const std::size_t base = screen_slots * slot;
    for (std::size_t j = 0; j < screen_slots; ++j) {
        keys_[base + j] = 0;
        amounts_[base + j] = 0.0f;
        posting_at_[base + j] = not_posted;
    }
    for (std::size_t j = 0; j < positions.size(); ++j) {
        keys_[base + j] = screen_key(positions[j].asset, positions[j].side == PositionSide::debt);
        amounts_[base + j] = static_cast<float>(positions[j].amount_units);
    }
    const float h = compute_health(slot);
    band_[slot] = band_of(h);
    for (std::size_t j = 0; j < positions.size(); ++j) {
        const ScreenPosition& p = positions[j];
        // Post the slot once per asset even if it both supplies and borrows it.
        bool already = false;
        for (std::size_t i = 0; i < j; ++i) {
            already = already || positions[i].asset == p.asset;
        }
        if (!already) {
            std::vector<std::uint32_t>& list = posting(p.asset, band_[slot]);
            posting_at_[base + j] = static_cast<std::uint32_t>(list.size());
            list.push_back(slot);
        }
    }
    alive_[slot] = 1;
    return h;
}

void AccountIndex::unlink_slot(std::uint32_t slot) {
    const std::size_t base = screen_slots * slot;
    for (std::size_t j = 0; j < screen_slots; ++j) {
        const std::uint32_t at = posting_at_[base + j];
        if (at == not_posted) {
            continue;
        }
        const std::uint16_t asset = static_cast<std::uint16_t>(keys_[base + j] >> 1);
        std::vector<std::uint32_t>& list = posting(asset, band_[slot]);
        // Swap-remove, then repoint the moved slot's back pointer for this asset.
        const std::uint32_t moved = list.back();
        list[at] = moved;
        list.pop_back();
        if (moved != slot) {
            const std::size_t moved_base = screen_slots * moved;
            for (std::size_t m = 0; m < screen_slots; ++m) {
                if (posting_at_[moved_base + m] != not_posted && (keys_[moved_base + m] >> 1) == asset) {
                    posting_at_[moved_base + m] = at;
                }
            }
        }
        posting_at_[base + j] = not_posted;
    }
}

Result<ScreenAccountId> AccountIndex::add(std::span<const ScreenPosition> positions) {
    const auto ok = validate(positions);
    if (!ok.has_value()) {
        return std::unexpected(ok.error());
    }
    settle_carrying();
    std::uint32_t slot = 0;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(alive_.size());
        keys_.resize(keys_.size() + screen_slots, 0);
        amounts_.resize(amounts_.size() + screen_slots, 0.0f);
        posting_at_.resize(posting_at_.size() + screen_slots, not_posted);
        health_.push_back(0.0f);
        alive_.push_back(0);
        band_.push_back(0);
        candidates_.resize(alive_.size());
    }
    const float h = write_slot(slot, positions);
    ++live_count_;
    judge(slot, h, nullptr);
    return ScreenAccountId{slot};
}

Result<void> AccountIndex::update(ScreenAccountId id, std::span<const ScreenPosition> positions) {
    if (!contains(id)) {
        return fail("account index: no account " + std::to_string(id.value));
    }
    const auto ok = validate(positions);
    if (!ok.has_value()) {
        return ok;
    }
    settle_carrying();
    unlink_slot(id.value);
    const float h = write_slot(id.value, positions);
    judge(id.value, h, nullptr);
    return {};
}

Result<void> AccountIndex::remove(ScreenAccountId id) {
    if (!contains(id)) {
        return fail("account index: no account " + std::to_string(id.value));
    }
    settle_carrying();
    unlink_slot(id.value);
    const std::size_t base = screen_slots * id.value;
    for (std::size_t j = 0; j < screen_slots; ++j) {
        keys_[base + j] = 0;
        amounts_[base + j] = 0.0f;
    }
    alive_[id.value] = 0;
    health_[id.value] = 0.0f;
    candidates_.erase(id.value);
    free_slots_.push_back(id.value);
    --live_count_;
    return {};
}

std::vector<RankedScreenAccount> AccountIndex::riskiest(std::size_t k) const {
    const std::vector<RankedAccount> ranked = candidates_.lowest(k);
    std::vector<RankedScreenAccount> out;
    out.reserve(ranked.size());
    for (const RankedAccount& r : ranked) {
        out.push_back(RankedScreenAccount{ScreenAccountId{r.slot}, r.health});
    }
    return out;
}

std::size_t AccountIndex::footprint_bytes() const {
    std::size_t bytes = sizeof(*this);
    bytes += keys_.capacity() * sizeof(std::uint16_t);
    bytes += amounts_.capacity() * sizeof(float);
    bytes += health_.capacity() * sizeof(float);
    bytes += posting_at_.capacity() * sizeof(std::uint32_t);
    bytes += alive_.capacity() * sizeof(std::uint8_t);
    bytes += band_.capacity() * sizeof(std::uint8_t);
    bytes += free_slots_.capacity() * sizeof(std::uint32_t);
    bytes += factors_.collateral_usd.capacity() * sizeof(float) + factors_.debt_usd.capacity() * sizeof(float);
    bytes += postings_.capacity() * sizeof(std::vector<std::uint32_t>);
    for (const auto& list : postings_) {
        bytes += list.capacity() * sizeof(std::uint32_t);
    }
    bytes += candidates_.footprint_bytes();
    return bytes;
}

}  // namespace keeper::margin

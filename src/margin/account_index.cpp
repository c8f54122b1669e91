#include "margin/account_index.hpp"

#include <cmath>
#include <string>

namespace keeper::margin {

AccountIndex::AccountIndex(std::uint16_t asset_count, double warning_distance)
    : asset_count_(asset_count < screen_max_assets ? asset_count : screen_max_assets),
      watch_line_(static_cast<float>(1.0 + warning_distance)),
      factors_(asset_count_),
      postings_(asset_count_) {}

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

void AccountIndex::evaluate(std::uint32_t slot, ScreenTick* tick) {
    const std::size_t base = screen_slots * slot;
    const float h = screen_health(keys_.data() + base, amounts_.data() + base, factors_.collateral_usd.data(),
                                  factors_.debt_usd.data());
    health_[slot] = h;
    ++evaluations_;
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

Result<ScreenTick> AccountIndex::on_asset_update(std::uint16_t asset, double price_usd,
                                                 double liquidation_threshold) {
    const auto set = set_asset(asset, price_usd, liquidation_threshold);
    if (!set.has_value()) {
        return std::unexpected(set.error());
    }
    ScreenTick tick;
    for (const std::uint32_t slot : postings_[asset]) {
        evaluate(slot, &tick);
    }
    tick.evaluated = postings_[asset].size();
    return tick;
}

ScreenTick AccountIndex::rescreen_all() {
    ScreenTick tick;
    for (std::uint32_t slot = 0; slot < alive_.size(); ++slot) {
        if (alive_[slot] != 0) {
            evaluate(slot, &tick);
            ++tick.evaluated;
        }
    }
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

void AccountIndex::write_slot(std::uint32_t slot, std::span<const ScreenPosition> positions) {
    const std::size_t base = screen_slots * slot;
    for (std::size_t j = 0; j < screen_slots; ++j) {
        keys_[base + j] = 0;
        amounts_[base + j] = 0.0f;
        posting_at_[base + j] = not_posted;
    }
    for (std::size_t j = 0; j < positions.size(); ++j) {
        const ScreenPosition& p = positions[j];
        keys_[base + j] = screen_key(p.asset, p.side == PositionSide::debt);
        amounts_[base + j] = static_cast<float>(p.amount_units);
        // Post the slot once per asset even if it both supplies and borrows it.
        bool already = false;
        for (std::size_t i = 0; i < j; ++i) {
            already = already || positions[i].asset == p.asset;
        }
        if (!already) {
            posting_at_[base + j] = static_cast<std::uint32_t>(postings_[p.asset].size());
            postings_[p.asset].push_back(slot);
        }
    }
    alive_[slot] = 1;
}

void AccountIndex::unlink_slot(std::uint32_t slot) {
    const std::size_t base = screen_slots * slot;
    for (std::size_t j = 0; j < screen_slots; ++j) {
        const std::uint32_t at = posting_at_[base + j];
        if (at == not_posted) {
            continue;
        }
        const std::uint16_t asset = static_cast<std::uint16_t>(keys_[base + j] >> 1);
        std::vector<std::uint32_t>& list = postings_[asset];
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
        candidates_.resize(alive_.size());
    }
    write_slot(slot, positions);
    ++live_count_;
    evaluate(slot, nullptr);
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
    unlink_slot(id.value);
    write_slot(id.value, positions);
    evaluate(id.value, nullptr);
    return {};
}

Result<void> AccountIndex::remove(ScreenAccountId id) {
    if (!contains(id)) {
        return fail("account index: no account " + std::to_string(id.value));
    }
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

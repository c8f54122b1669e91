#pragma once
// Incremental screening index over lending accounts of up to 4 positions.
//
// Storage is structure-of-arrays by account slot: 4 keys (uint16), 4 amounts
// (float, asset units), a health (float). Each asset has a posting list of
// the slots that touch it, so a price update re-evaluates only those
// accounts and reports which crossed the watch line
//   flagged  <=>  screening health < 1 + warning_distance
// Flagged accounts are kept in a CandidateSet (ranking.hpp) for ranking and
// for the exact confirmation (screen_confirm.hpp).
//
// Ids are dense handles returned by add() and reused after remove(); callers
// map their own keys (protocol, market, borrower) to them.
// Single owner: not thread-safe; the engine's event loop mutates it between
// ticks. Memory: about 73 bytes per 4-position account (footprint_bytes()).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "margin/ranking.hpp"
#include "margin/screen_kernel.hpp"

namespace keeper::margin {

struct ScreenAccountId {
    std::uint32_t value = 0;
    friend bool operator==(ScreenAccountId, ScreenAccountId) = default;
};

enum class PositionSide : std::uint8_t { collateral, debt };

struct ScreenPosition {
    std::uint16_t asset = 0;
    PositionSide side = PositionSide::collateral;
    double amount_units = 0.0;  // asset units (1.5 = 1.5 WETH), not wei
};

struct ScreenTick {
    std::vector<ScreenAccountId> newly_flagged;  // crossed below the watch line
    std::vector<ScreenAccountId> cleared;        // crossed back above it
    std::size_t evaluated = 0;                   // accounts re-evaluated by this update
};

struct RankedScreenAccount {
    ScreenAccountId id;
    float health = 0.0f;
};

class AccountIndex {
public:
    // Every asset starts with price 0 and threshold 0: set them before adding
    // accounts. asset_count above 32,768 (15-bit asset ids) is clamped.
    AccountIndex(std::uint16_t asset_count, double warning_distance);

    // Initial or bulk setting of an asset's parameters without re-evaluating
    // accounts; follow with rescreen_all().
    Result<void> set_asset(std::uint16_t asset, double price_usd, double liquidation_threshold);

    // Price (or threshold) change of one asset: re-evaluates exactly the
    // accounts touching it and updates the candidate set.
    Result<ScreenTick> on_asset_update(std::uint16_t asset, double price_usd, double liquidation_threshold);

    // Full pass (after set_asset calls): re-evaluates every account.
    ScreenTick rescreen_all();

    // Fails on more than 4 positions, an unknown asset, or a negative or
    // non-finite amount.
    Result<ScreenAccountId> add(std::span<const ScreenPosition> positions);
    Result<void> update(ScreenAccountId id, std::span<const ScreenPosition> positions);
    Result<void> remove(ScreenAccountId id);

    bool contains(ScreenAccountId id) const { return id.value < alive_.size() && alive_[id.value] != 0; }
    float health(ScreenAccountId id) const { return health_[id.value]; }
    bool is_flagged(ScreenAccountId id) const { return candidates_.contains(id.value); }
    std::size_t flagged_count() const { return candidates_.size(); }
    std::size_t account_count() const { return live_count_; }
    double watch_line() const { return watch_line_; }

    // The k flagged accounts with the lowest screening health, lowest first.
    std::vector<RankedScreenAccount> riskiest(std::size_t k) const;

    // Accounts evaluated since construction (tests count them).
    std::uint64_t evaluations() const { return evaluations_; }

    // Heap bytes held by the index (capacities, not sizes) plus the object.
    std::size_t footprint_bytes() const;

private:
    Result<void> validate(std::span<const ScreenPosition> positions) const;
    void write_slot(std::uint32_t slot, std::span<const ScreenPosition> positions);
    void unlink_slot(std::uint32_t slot);
    void evaluate(std::uint32_t slot, ScreenTick* tick);

    static constexpr std::uint32_t not_posted = 0xffffffffu;

    std::uint16_t asset_count_;
    float watch_line_;
    ScreenFactors factors_;
    std::vector<std::uint16_t> keys_;          // 4 per slot
    std::vector<float> amounts_;               // 4 per slot
    std::vector<float> health_;                // 1 per slot
    std::vector<std::uint32_t> posting_at_;    // 4 per slot: index in postings_[asset], or not_posted
    std::vector<std::uint8_t> alive_;          // 1 per slot
    std::vector<std::vector<std::uint32_t>> postings_;  // per asset: slots touching it (once each)
    std::vector<std::uint32_t> free_slots_;
    CandidateSet candidates_;
    std::size_t live_count_ = 0;
    std::uint64_t evaluations_ = 0;
};

}  // namespace keeper::margin

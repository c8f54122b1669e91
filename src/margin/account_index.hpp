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
// Health bands make a price move cheap on the hot path. Health is
//   sum(collateral x price x threshold) / sum(debt x price),
// so when one asset's collateral factor moves by fc and its debt factor by
// fd, every term that holds it scales by that factor and the others stay:
//   health' >= health x min(1, fc) / max(1, fd)      (= health / F)
// An account can only cross the watch line w if its health was below w x F.
// Each asset's posting list is therefore split by the health band of its
// accounts (band edges at w x 1.02, 1.05, 1.1, 1.25, 1.5, 2, 4), and
// screen_price_move() re-evaluates only the bands that can cross (a 1 %
// move: the band below w x 1.02). The other bands are re-evaluated by
// settle(), which the caller runs after acting on the tick (add, update,
// remove, rescreen_all and on_asset_update run it first). Several moves may
// be screened before one settle() (one token priced in several markets):
// until then an account's stored health and band may be one move behind, so
// each hot pass bounds with the product of the unsettled moves' factors.
//
// Ids are dense handles returned by add() and reused after remove(); callers
// map their own keys (protocol, market, borrower) to them.
// Single owner: not thread-safe; the engine's event loop mutates it between
// ticks. Memory: about 74 bytes per 4-position account (footprint_bytes()).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
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
    std::size_t deferred = 0;                    // accounts of the moved asset left for settle()
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
    // accounts touching it and updates the candidate set
    // (screen_price_move() then settle(), one tick).
    Result<ScreenTick> on_asset_update(std::uint16_t asset, double price_usd, double liquidation_threshold);

    // The hot half of a price move: re-evaluates only the accounts touching
    // `asset` whose band can cross the watch line with this move, and
    // reports their crossings. The asset's other accounts wait for settle().
    Result<ScreenTick> screen_price_move(std::uint16_t asset, double price_usd, double liquidation_threshold);
    // Re-evaluates what the screen_price_move() calls since the last settle
    // deferred; returns their crossings (none, by the bound). A no-op when
    // nothing is deferred. Run by another mutating call, its crossings are
    // carried into that call's tick.
    ScreenTick settle();
    bool settled() const { return deferred_.empty(); }

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

    static constexpr std::size_t band_count = 8;
    // The health band an account sits in, 0 (below w x 1.02, every flagged
    // account) to 7 (w x 4 and above, or no debt).
    std::size_t band(ScreenAccountId id) const { return band_[id.value]; }

    // Heap bytes held by the index (capacities, not sizes) plus the object.
    std::size_t footprint_bytes() const;

private:
    Result<void> validate(std::span<const ScreenPosition> positions) const;
    float write_slot(std::uint32_t slot, std::span<const ScreenPosition> positions);  // the slot's health
    void unlink_slot(std::uint32_t slot);
    void link_slot(std::uint32_t slot);
    float compute_health(std::uint32_t slot) const;
    void judge(std::uint32_t slot, float health, ScreenTick* tick);
    // Re-evaluates the bands [first, last) of `asset`; band moves are applied after.
    std::size_t evaluate_bands(std::uint16_t asset, std::size_t first, std::size_t last, ScreenTick* tick);
    void apply_band_moves();
    std::uint8_t band_of(float health) const;
    std::vector<std::uint32_t>& posting(std::uint16_t asset, std::size_t band) {
        return postings_[asset * band_count + band];
    }
    std::size_t posted_count(std::uint16_t asset) const;
    void settle_carrying();     // settle(), its crossings kept for the next tick
    ScreenTick take_carried();  // those crossings, handed over

    static constexpr std::uint32_t not_posted = 0xffffffffu;

    std::uint16_t asset_count_;
    float watch_line_;
    ScreenFactors factors_;
    std::vector<std::uint16_t> keys_;          // 4 per slot
    std::vector<float> amounts_;               // 4 per slot
    std::vector<float> health_;                // 1 per slot
    std::vector<std::uint32_t> posting_at_;    // 4 per slot: index in its asset's band list, or not_posted
    std::vector<std::uint8_t> alive_;          // 1 per slot
    std::vector<std::uint8_t> band_;           // 1 per slot: the band lists it is posted in
    // Per (asset, band): the slots touching the asset in that band (once each).
    std::vector<std::vector<std::uint32_t>> postings_;
    std::array<float, band_count - 1> band_edges_{};  // w x 1.02 ... w x 4
    std::vector<std::uint32_t> band_moves_;           // slots whose band changed, moved after a pass
    // (asset, first band left): what settle() owes; and the product of the
    // factors F of the moves screened since the last settle.
    std::vector<std::pair<std::uint16_t, std::uint8_t>> deferred_;
    double unsettled_factor_ = 1.0;
    ScreenTick carried_;  // crossings of a settle() nobody asked for, reported with the next tick
    std::vector<std::uint32_t> free_slots_;
    CandidateSet candidates_;
    std::size_t live_count_ = 0;
    std::uint64_t evaluations_ = 0;
};

}  // namespace keeper::margin

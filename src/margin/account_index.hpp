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
// An account can only fall under a line L if its health was below L x F.
// With a nominate line L set (the line under which accounts go to the exact
// model: what the hot path is for), each asset's posting list is therefore
// split by the health band of its accounts, band edges at L x 1.005, 1.01,
// 1.02, 1.05, 1.1, 1.25, 1.5. screen_price_move() re-evaluates only the
// bands that can fall under L (a 0.5 % move: the band below L x 1.005).
// Without one, every account is in band 0 (every move screens everything,
// in insertion order: the cheapest full pass). The other bands
// are re-evaluated by settle(), which the caller runs after acting on the
// tick (add, update, remove, rescreen_all and on_asset_update run it first).
// With a nominate line set, settle() may still report watch-line crossings
// (an alert is not urgent); it never nominates. Several moves may
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

struct RankedScreenAccount {
    ScreenAccountId id;
    float health = 0.0f;
};

struct ScreenTick {
    std::vector<ScreenAccountId> newly_flagged;  // crossed below the watch line
    std::vector<ScreenAccountId> cleared;        // crossed back above it
    std::size_t evaluated = 0;                   // accounts re-evaluated by this update
    std::size_t deferred = 0;                    // accounts of the moved asset left for settle()
    // Accounts this update evaluated below the nominate line (set_nominate_line),
    // in evaluation order: the ones whose exact health may have just fallen
    // under 1.
    std::vector<RankedScreenAccount> nominated;
};

class AccountIndex {
public:
    static constexpr std::size_t band_count = 8;

    // Every asset starts with price 0 and threshold 0: set them before adding
    // accounts. asset_count above 32,768 (15-bit asset ids) is clamped.
    AccountIndex(std::uint16_t asset_count, double warning_distance);

    // Every account a pass evaluates below `line` goes into its tick's
    // `nominated` (default 0: none, and no bands), and the bands are cut
    // around it. Set it a little above 1 (the confirm line) so a price update
    // hands over exactly the accounts it may have made liquidatable, first.
    void set_nominate_line(double line);

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
    // `first_bands` caps this pass to the riskiest bands (band 0 first, at
    // least one); the rest of the hot bands wait for finish_hot(), which the
    // caller runs right after acting on these (settle() covers them if not).
    Result<ScreenTick> screen_price_move(std::uint16_t asset, double price_usd, double liquidation_threshold,
                                         std::size_t first_bands = band_count);
    // The hot bands the last moves' first_bands left out, `bands` more of
    // each move's at a time (riskiest first), until hot_finished().
    ScreenTick finish_hot(std::size_t bands = band_count);
    bool hot_finished() const { return unfinished_hot_.empty(); }
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

    // The health band an account is listed in, 0 (below L x 1.005, every
    // nominated account; every account without a nominate line) to 7
    // (L x 1.5 and above, or no debt): its health's band or, after a rise,
    // the one below it.
    std::size_t band(ScreenAccountId id) const { return band_[id.value]; }

    // Heap bytes held by the index (capacities, not sizes) plus the object.
    std::size_t footprint_bytes() const;

private:
    Result<void> validate(std::span<const ScreenPosition> positions) const;
    float write_slot(std::uint32_t slot, std::span<const ScreenPosition> positions);  // the slot's health
    void unlink_slot(std::uint32_t slot);
    void link_slot(std::uint32_t slot);
    float compute_health(std::uint32_t slot) const;
    // compute_health, judge, and a band move queued when needed.
    void rescreen(std::uint32_t slot, ScreenTick* tick, bool settling);
    void judge(std::uint32_t slot, float health, ScreenTick* tick, bool settling = false);
    // Re-evaluates the bands [first, last) of `asset`; band moves are applied after.
    std::size_t evaluate_bands(std::uint16_t asset, std::size_t first, std::size_t last, ScreenTick* tick,
                               bool settling = false);
    void apply_band_moves(bool exact = false);
    std::uint8_t band_of(float health) const;
    bool needs_band_move(std::uint32_t slot, float health) const;
    void cut_bands(float hot_line);
    std::vector<std::uint32_t>& posting(std::uint16_t asset, std::size_t band) {
        return postings_[asset * band_count + band];
    }
    void settle_carrying();     // settle(), its crossings kept for the next tick
    ScreenTick take_carried();  // those crossings, handed over

    static constexpr std::uint32_t not_posted = 0xffffffffu;

    std::uint16_t asset_count_;
    float watch_line_;
    float nominate_line_ = 0.0f;
    ScreenFactors factors_;
    std::vector<std::uint16_t> keys_;          // 4 per slot
    std::vector<float> amounts_;               // 4 per slot
    std::vector<float> health_;                // 1 per slot
    std::vector<std::uint32_t> posting_at_;    // 4 per slot: index in its asset's band list, or not_posted
    std::vector<std::uint8_t> alive_;          // 1 per slot
    std::vector<std::uint8_t> band_;           // 1 per slot: the band lists it is posted in
    // Per (asset, band): the slots touching the asset in that band (once each).
    std::vector<std::vector<std::uint32_t>> postings_;
    std::array<float, band_count - 1> band_edges_{};  // L x 1.005 ... L x 1.5
    std::vector<std::uint32_t> band_moves_;           // slots whose band changed, moved after a pass
    // (asset, first band left): what settle() owes; and the product of the
    // factors F of the moves screened since the last settle.
    std::vector<std::pair<std::uint16_t, std::uint8_t>> deferred_;
    struct HotRest {
        std::uint16_t asset;
        std::uint8_t from, to;  // bands [from, to)
    };
    std::vector<HotRest> unfinished_hot_;
    double unsettled_factor_ = 1.0;
    ScreenTick carried_;  // crossings of a settle() nobody asked for, reported with the next tick
    std::vector<std::uint32_t> free_slots_;
    CandidateSet candidates_;
    std::size_t live_count_ = 0;
    std::uint64_t evaluations_ = 0;
};

}  // namespace keeper::margin

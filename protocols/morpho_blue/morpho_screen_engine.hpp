#pragma once
// How `run` judges Morpho Blue positions each head without judging all of
// them (issue #18): a float screen (margin::AccountIndex) of every position
// with debt, and the contract's integer arithmetic only where the screen or
// an event says it matters.
//
// Each position is one index account of three screening positions:
//   collateral        amount = collateral units, price = oracle price / 1e36,
//                     threshold = LLTV                      (market asset)
//   borrow shares     amount = shares, price = loan units per share with the
//                     virtual shares and assets             (market asset)
//   rounding pad      3 loan units of debt, price 1         (asset 0, never moves)
// The pad makes the screen a bound on the contract's rounding: maxBorrow is
// rounded down twice (at most 2 units short) and the debt up once (at most 1
// unit over), so exact health h = maxBorrow / borrowed below W >= 1 implies
// real_max < W * real_debt + W + 2 <= W * (real_debt + 3), i.e. screen < W
// before float error. The float error of the screen (about ten float32
// roundings, < 1e-6 relative) is covered by a relative margin of 1e-4:
//   watch line = max(warning_health, 1) * (1 + 1e-4)
// So a position whose screen is at or above the watch line is neither
// liquidatable nor below [alerts] warning_health: alerts and `liquidatable`
// stay exact, and its row can be carried from its last exact judgement.
//
// A round judges exactly:
//   - the positions the screen flags (below the watch line),
//   - the positions this round's events or a rollback changed ("named"),
//   - the positions that left the flagged set this round (their alert resolves),
//   - the riskiest_rows_judged first rows of the last round (the status page's),
//   - positions the screen cannot bound: amounts of 2^120 or more, markets
//     whose prices or totals leave float's safe range (or beyond the index's
//     market capacity), positions whose last judgement failed,
//   - and every position on an audit round: the first, then every
//     audit_every_blocks blocks (0: every round). An audit that finds a
//     position liquidatable that the screen had not flagged counts it in
//     work.missed_by_screen (a bug, logged by the caller).
// Pure: no I/O, the markets come in read and accrued.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "margin/account_index.hpp"
#include "margin/morpho_book.hpp"
#include "margin/morpho_screen.hpp"
#include "protocols/morpho_blue/morpho_evaluation.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols::morpho_blue {

// The float screen's relative margin over the exact threshold (see above).
inline constexpr double kScreenFloatMargin = 1e-4;
// Loan units of debt added to each screened position for the contract's rounding.
inline constexpr double kScreenRoundingPadUnits = 3.0;

// max(warning_health, 1) * (1 + kScreenFloatMargin).
double screen_watch_line(const U256& warning_health_wad);

struct ScreenEngineSettings {
    U256 warning_health_wad = U256(1'050'000'000'000'000'000ULL);
    std::uint64_t audit_every_blocks = 100;  // 0: every round is an audit
    // The first rows of the last round's order (riskiest first) judged every
    // round too: what the status page shows is then this block's health.
    std::size_t riskiest_rows_judged = 0;
    // Markets the index has room for (two screening assets each); more are
    // judged in full every round.
    std::uint16_t max_markets = 8'191;
};

struct ScreenRound {
    std::vector<PositionHealth> positions;  // of the markets read this round, riskiest first
    std::vector<PositionRow> rows;          // rows[i] is positions[i]
    // Carried rows above the watch line beyond the first
    // riskiest_rows_judged: counted, not listed (Snapshot::rows_left_out).
    std::size_t rows_left_out = 0;
    std::vector<std::string> errors;        // positions whose exact judgement failed
    std::vector<std::string> warnings;      // audit misses, markets beyond capacity
    Snapshot::EngineWork work;
};

class MorphoScreenEngine {
public:
    explicit MorphoScreenEngine(ScreenEngineSettings settings);

    // Positions whose book entry changed (apply, rollback): re-screened and
    // judged exactly in the next round.
    void positions_changed(std::span<const morpho::PositionKey> keys);

    // One round at `block`: `markets` are those read and accrued at it (a
    // market left out could not be read: its positions are left out of the
    // round, as the full evaluation does).
    ScreenRound judge(const morpho::MorphoBook& book, std::span<const MarketAtBlock> markets, std::uint64_t block);

    const margin::AccountIndex& index() const { return index_; }
    double watch_line() const { return index_.watch_line(); }
    // The position's screen health, when the screen holds it (tests, logs).
    std::optional<float> screen_health(const morpho::PositionKey& key) const;

private:
    struct MarketScreen {
        margin::MorphoScreenAssets assets;
        bool has_assets = false;
        bool screenable = false;  // its last reading was inside float's safe range
        // The reading last screened: a change of any of them re-screens its accounts.
        std::optional<U256> price_1e36;
        U256 total_borrow_assets, total_borrow_shares;
    };
    struct Judged {
        PositionHealth health;
        PositionRow row;
        std::uint64_t round = 0;  // the round that judged it last
    };

    void forget_judgement(const morpho::PositionKey& key);
    MarketScreen& market_screen(const morpho::MarketId& id, std::vector<std::string>& warnings);
    // Adds, updates or removes the index account of one position; true when
    // it has debt (and so a row).
    bool sync_account(const morpho::MorphoBook& book, const morpho::PositionKey& key,
                      std::vector<std::string>& warnings);
    void drop_account(const morpho::PositionKey& key);
    bool screens(const morpho::PositionKey& key) const;

    ScreenEngineSettings settings_;
    margin::AccountIndex index_;
    std::unordered_map<morpho::PositionKey, margin::ScreenAccountId, morpho::PositionKeyHash> id_of_;
    std::vector<morpho::PositionKey> key_of_;  // by ScreenAccountId
    std::unordered_map<morpho::MarketId, MarketScreen> markets_;
    std::uint16_t markets_with_assets_ = 0;
    // Positions judged every round: amounts the screen cannot hold, last judgement failed.
    std::unordered_set<morpho::PositionKey, morpho::PositionKeyHash> unbounded_;
    std::unordered_set<morpho::PositionKey, morpho::PositionKeyHash> failed_;
    std::unordered_set<morpho::PositionKey, morpho::PositionKeyHash> changed_;
    std::unordered_map<morpho::PositionKey, Judged, morpho::PositionKeyHash> judged_;
    // Every judged_ entry, riskiest first, as of the last round: a round
    // re-sorts only what it judged and merges it in, instead of sorting all
    // (entries are map nodes: their addresses hold until erased, and erased
    // ones are kept out by address before anything reads them).
    std::vector<const Judged*> order_;
    std::unordered_set<const Judged*> erased_;  // this round's
    std::uint64_t round_ = 0;
    bool built_ = false;
    std::optional<std::uint64_t> last_audit_block_;
};

}  // namespace keeper::protocols::morpho_blue

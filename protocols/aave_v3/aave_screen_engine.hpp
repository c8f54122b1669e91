#pragma once
// How `run` judges Aave V3 accounts each head without judging all of them
// (issue #18): a float screen of every account with debt, and
// GenericLogic.calculateUserAccountData's integer arithmetic only where the
// screen or an event says it matters. Morpho Blue's twin is
// protocols/morpho_blue/morpho_screen_engine.hpp.
//
// Screening assets. Each (reserve, side, eMode category) an account touches
// is one screening asset:
//   supply  amount = (scaled aToken balance - 1 wei) / 10^decimals
//           price  = oracle price (base units) x liquidity index / 1e27
//           threshold = the liquidation threshold the account counts it with
//   debt    amount = (scaled variable debt + 1 wei) / 10^decimals
//           price  = oracle price x variable borrow index / 1e27
// "The threshold the account counts it with" is the eMode category's for a
// member of the account's category (EarlyV3: the reserve's category byte;
// later: the category's collateral bitmap), else the reserve's own; EarlyV3's
// eMode price source replaces the oracle price of every reserve of the
// category, supply and debt. So a category that changes either takes its own
// screening assets (category 0 for everyone else). A price move of one
// reserve, or a growth of one of its indexes, is then one asset update of the
// index: it re-screens exactly the accounts exposed to that reserve.
//
// The bound. Let R = scaled x index / 1e27 be a balance in real numbers.
// The pool's balances round by at most 1 wei (half-up rayMul up to v3.3,
// floor for aTokens and ceil for debt from v3.5), and an index is at least
// 1 ray (checked), so (scaled - 1) x index <= aToken balance and debt
// balance <= (scaled + 1) x index: the amounts above are on the safe side.
// Each collateral's value in base rounds down by less than 1 base unit and
// each debt's (floor, or ceil from v3.5) moves by less than 1. Then
//   from v3.5: hf = wadDiv(sum(base_i x lt_i), debt) / 1e4 (floored), so
//     hf >= sum(base_i x lt_i / 1e4) / debt - 1 wei;
//   up to v3.3: avgLt = floor(sum(base_i x lt_i) / collateral) loses less than
//     1 bps over the whole collateral, so percentMul(collateral, avgLt) >=
//     sum(base_i x (lt_i - 1) / 1e4) - 0.5: the screen counts lt_i - 1 bps.
//   (Up to v3.5 a collateral whose reserve threshold is 0 counts nothing.)
// With n_c collateral and n_d debt terms, exact hf < W (W >= 1) means
//   C - n_c - 0.5 < W x (D + n_d)  =>  C < W x (D + n_c + n_d + 1)
// where C and D are the screen's sums before float error. So each account
// carries a pad of n_c + n_d + 1 base units of debt (price 1, an asset that
// never moves): 4 for accounts of up to 3 reserve positions, which live in
// margin::AccountIndex (4 positions an account, the pad one of them). Wider
// accounts (4 or more reserve positions) are screened here in double with
// their own pad, through per-asset lists of the same shape. The float error
// of the screen (a few float32 roundings, < 1e-6 relative) and the final
// wad roundings (1 wei in 1e18) are covered by the relative margin 1e-4:
//   watch line = max(warning_health, 1) x (1 + 1e-4)
// An account whose screen health is at or above the watch line is exactly
// neither liquidatable nor below [alerts] warning_health; its row is carried
// from its last exact judgement. The unit test
// AaveScreenEngine.PropertyFailsWithoutThePadOrTheMargin shows that the bound
// is needed: without the pad, the 1 bps (EarlyV3) and the margin it breaks.
//
// A round judges exactly:
//   - the accounts the screen flags (below the watch line),
//   - the accounts this round's events (or a rollback) named: the adapter
//     re-read them,
//   - the accounts that left the flagged set this round (their alert resolves),
//   - the riskiest_rows_judged first rows of the last round,
//   - accounts the screen cannot bound: stable debt (EarlyV3; the adapter
//     re-reads them every head anyway), amounts or prices outside float's
//     safe range (2^60 token units, 2^60 base units a token), an index below
//     1 ray, a reserve not read, a screen beyond its asset capacity, a last
//     judgement that failed, or debt judged worth under kAaveDustDebtBase
//     (1e-6 $ on a 1e8 base; 0 base units: borrowing but no row),
//   - and every account on an audit round: the first, then every
//     audit_every_blocks blocks (0: every round). An audit that finds an
//     account liquidatable that the screen had not flagged counts it in
//     work.missed_by_screen (a bug, logged by the caller).
// A change of a reserve's decimals or eMode category byte, or of a category's
// collateral bitmap, re-sorts accounts into assets: every account is synced
// again and the round is an audit.
// Pure: no I/O; the reserves come in read and grown to the block.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chain/aave/aave_reader.hpp"
#include "margin/account_index.hpp"
#include "margin/aave_v3.hpp"
#include "protocols/aave_v3/aave_evaluation.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols::aave_v3 {

// The float screen's relative margin over the exact threshold (see above).
inline constexpr double kAaveScreenFloatMargin = 1e-4;
// Base units of debt added per rounding term, and once more for the
// percentMul half-up and slack (pad = terms + 1).
inline constexpr double kAaveScreenPadPerTerm = 1.0;
// Accounts whose total debt was judged below this many base units (or 0, so
// no row) are judged every round: whether their row exists turns on a base
// unit of rounding (EarlyV3 floors each debt's value), and only a fall of
// the debt's price by 99% in one head takes 100 base units to 0.
inline constexpr std::uint64_t kAaveDustDebtBase = 100;
// Reserve positions an AccountIndex account holds beside its pad.
inline constexpr std::size_t kAaveIndexPositions = 3;

// max(warning_health, 1) x (1 + margin).
double aave_screen_watch_line(const U256& warning_health_wad, double margin = kAaveScreenFloatMargin);

struct AaveScreenSettings {
    U256 warning_health_wad = U256(1'050'000'000'000'000'000ULL);
    std::uint64_t audit_every_blocks = 100;  // 0: every round is an audit
    // The first rows of the last round's order (riskiest first) judged every
    // round too (the status page's rows).
    std::size_t riskiest_rows_judged = 0;
    // Screening assets the index has room for (one is the pad).
    std::uint16_t max_assets = 4'096;
    // Tests only: the bound's parts, to show that each is needed.
    double float_margin = kAaveScreenFloatMargin;
    double pad_per_term = kAaveScreenPadPerTerm;
    bool early_threshold_bps_off = true;  // up to v3.3 the screen counts lt - 1 bps
};

struct AaveScreenRound {
    // With debt, riskiest first (as evaluate_aave_accounts): those under the
    // watch line, the first riskiest_rows_judged and those judged this round. input.reserves
    // is kept for liquidatable accounts only: a liquidation is quoted on it,
    // nothing else reads it in `run`.
    std::vector<AaveAccountHealth> accounts;
    std::vector<PositionRow> rows;  // rows[i] is accounts[i]'s, when a row maker is set
    // Carried accounts above the watch line beyond the first
    // riskiest_rows_judged: counted, not listed (Snapshot::rows_left_out).
    std::size_t rows_left_out = 0;
    std::vector<std::string> errors;    // accounts whose exact judgement failed
    std::vector<std::string> warnings;  // audit misses, capacity
    Snapshot::EngineWork work;
};

class AaveScreenEngine {
public:
    explicit AaveScreenEngine(AaveScreenSettings settings);

    // How a judged account becomes a row: made once per judgement and
    // carried with it, not rebuilt for every account every round.
    void set_row_maker(std::function<PositionRow(const AaveAccountHealth&)> make_row) {
        make_row_ = std::move(make_row);
    }

    // Accounts re-read this round (events, rollback, stable debt): synced
    // into the screen and judged exactly in the next judge().
    void accounts_changed(std::span<const Address> accounts);

    // One round at `block`: `users` are the adapter's readings (every known
    // account with a non-empty configuration), `reserves` the pool's, read
    // and grown to the block, `emodes` the categories the accounts use.
    AaveScreenRound judge(aave::PoolRules rules, const std::map<Address, chain::aave_v3::UserReading>& users,
                          std::span<const AaveReserveAtBlock> reserves,
                          const std::map<std::uint8_t, aave::EModeCategory>& emodes, std::uint64_t block);

    double watch_line() const { return watch_line_; }
    // The account's screen health, when the screen holds it (tests, logs).
    std::optional<double> screen_health(const Address& account) const;
    bool flagged(const Address& account) const;
    const margin::AccountIndex& index() const { return index_; }

private:
    struct AssetKey {
        std::uint16_t reserve = 0;
        bool debt = false;
        std::uint8_t category = 0;
        friend bool operator==(const AssetKey&, const AssetKey&) = default;
    };
    struct AssetKeyHash {
        std::size_t operator()(const AssetKey& k) const noexcept {
            return (std::size_t{k.reserve} << 9) | (std::size_t{k.debt} << 8) | k.category;
        }
    };
    struct AssetState {
        AssetKey key;
        double price = 0.0;
        double threshold = 0.0;
        bool screenable = false;
        std::size_t users = 0;  // tracked accounts touching it
    };
    struct WideAccount {
        Address account;
        std::vector<margin::ScreenPosition> positions;
        double pad = 0.0;
        double health = 0.0;
        bool flagged = false;
    };
    struct Tracked {
        std::vector<std::uint16_t> assets;          // every screening asset it touches
        std::optional<margin::ScreenAccountId> id;  // in the index, or
        std::optional<std::uint32_t> wide;          // in wide_
    };
    struct Judged {
        AaveAccountHealth health;
        PositionRow row;
        std::uint64_t round = 0;  // the round that judged it last
    };
    struct ReserveShape {
        std::uint8_t decimals = 0;
        std::uint8_t emode_category = 0;
    };

    // The asset's price and threshold at this round's readings; nullopt when
    // the screen cannot hold it.
    std::optional<std::pair<double, double>> asset_params(const AssetKey& key) const;
    std::optional<std::uint16_t> asset_for(const AssetKey& key);
    void update_asset(std::uint16_t asset, std::vector<Address>& cleared, std::size_t& screened);
    // Adds, updates or removes the account's screen; true when it borrows.
    bool sync_account(const Address& account, const chain::aave_v3::UserReading* user);
    void drop_screen(const Address& account);
    bool screens(const Address& account) const;
    double wide_health(const WideAccount& w) const;
    void forget_judgement(const Address& account);
    bool shape_changed(std::span<const AaveReserveAtBlock> reserves,
                       const std::map<std::uint8_t, aave::EModeCategory>& emodes);

    AaveScreenSettings settings_;
    double watch_line_;
    margin::AccountIndex index_;
    // This round's readings (valid during judge()).
    aave::PoolRules rules_ = aave::PoolRules::EarlyV3;
    std::unordered_map<unsigned, const AaveReserveAtBlock*> reserve_by_id_;
    const std::map<std::uint8_t, aave::EModeCategory>* emodes_ = nullptr;

    std::unordered_map<AssetKey, std::uint16_t, AssetKeyHash> asset_of_;
    std::vector<AssetState> assets_;                        // by asset id; 0 is the pad
    std::vector<std::vector<std::uint32_t>> wide_posting_;  // by asset id: wide_ slots touching it
    std::vector<WideAccount> wide_;
    std::vector<std::uint32_t> wide_free_;
    std::unordered_set<std::uint32_t> wide_flagged_;

    std::unordered_map<Address, Tracked> tracked_;
    std::vector<Address> key_of_;  // by ScreenAccountId
    std::unordered_set<Address> unbounded_, failed_, changed_, dust_;
    std::unordered_map<Address, Judged> judged_;
    // Every judged_ entry, riskiest first, as of the last round (entries are
    // map nodes: their addresses hold until erased; this round's erased ones
    // are kept out by address before anything reads them).
    std::vector<const Judged*> order_;
    std::unordered_set<const Judged*> erased_;
    std::function<PositionRow(const AaveAccountHealth&)> make_row_;
    std::vector<Address> last_riskiest_;  // the first riskiest_rows_judged rows of the last round
    std::unordered_map<unsigned, ReserveShape> shapes_;
    std::map<std::uint8_t, U256> bitmaps_;
    std::uint64_t round_ = 0;
    bool built_ = false;
    std::optional<std::uint64_t> last_audit_block_;
};

}  // namespace keeper::protocols::aave_v3

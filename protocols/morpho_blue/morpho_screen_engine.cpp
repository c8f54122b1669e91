#include "protocols/morpho_blue/morpho_screen_engine.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <utility>

#include "protocols/risk_order.hpp"

namespace keeper::protocols::morpho_blue {
namespace {

constexpr std::uint16_t kPadAsset = 0;  // also the key of the index's empty slots: its collateral factor stays 0

// Amounts at or above 2^120 units may not survive the float32 cast (2^128
// overflows): such positions are judged every round instead.
const U256& screen_amount_limit() {
    static const U256 limit = U256(1) << 120;
    return limit;
}

// A market's reading the screen can bound (morpho_screen_engine.hpp): both
// prices finite and below 2^100, so no product of a bounded amount and a
// price is NaN, and total borrow assets below 2^120, so the debt side stays
// finite and an overflowing collateral side (+inf) is truly healthy.
bool reading_in_float_range(const MarketAtBlock& m) {
    const double collateral = margin::morpho_collateral_screen_price(m.price_1e36) *
                              margin::morpho_lltv_screen_threshold(m.params.lltv_wad);
    const double share = margin::morpho_borrow_share_screen_price(m.accrued);
    const double limit = std::ldexp(1.0, 100);
    return std::isfinite(collateral) && collateral < limit && std::isfinite(share) && share < limit &&
           m.accrued.total_borrow_assets < screen_amount_limit();
}

}  // namespace

double screen_watch_line(const U256& warning_health_wad) {
    const double warning = warning_health_wad.to_double() / 1e18;
    return std::max(warning, 1.0) * (1.0 + kScreenFloatMargin);
}

MorphoScreenEngine::MorphoScreenEngine(ScreenEngineSettings settings)
    : settings_(std::move(settings)),
      index_(static_cast<std::uint16_t>(1u + 2u * settings_.max_markets),
             screen_watch_line(settings_.warning_health_wad) - 1.0) {
    (void)index_.set_asset(kPadAsset, 1.0, 0.0);  // price 1 loan unit, never collateral
}

void MorphoScreenEngine::positions_changed(std::span<const morpho::PositionKey> keys) {
    changed_.insert(keys.begin(), keys.end());
}

MorphoScreenEngine::MarketScreen& MorphoScreenEngine::market_screen(const morpho::MarketId& id,
                                                                    std::vector<std::string>& warnings) {
    auto [it, inserted] = markets_.try_emplace(id);
    MarketScreen& market = it->second;
    if (inserted) {
        if (markets_with_assets_ < settings_.max_markets) {
            const auto first = static_cast<std::uint16_t>(1u + 2u * markets_with_assets_);
            market.assets = margin::MorphoScreenAssets{first, static_cast<std::uint16_t>(first + 1u)};
            market.has_assets = true;
            ++markets_with_assets_;
        } else {
            warnings.push_back("market " + id.hex() + ": beyond the screen's " + std::to_string(settings_.max_markets) +
                               " markets; its positions are judged exactly every round");
        }
    }
    return market;
}

void MorphoScreenEngine::forget_judgement(const morpho::PositionKey& key) {
    if (const auto found = judged_.find(key); found != judged_.end()) {
        erased_.insert(&found->second);
        judged_.erase(found);
    }
}

void MorphoScreenEngine::drop_account(const morpho::PositionKey& key) {
    if (const auto found = id_of_.find(key); found != id_of_.end()) {
        (void)index_.remove(found->second);
        id_of_.erase(found);
    }
    forget_judgement(key);
    unbounded_.erase(key);
    failed_.erase(key);
}

bool MorphoScreenEngine::sync_account(const morpho::MorphoBook& book, const morpho::PositionKey& key,
                                      std::vector<std::string>& warnings) {
    const morpho::Position* position = book.position(key.market, key.account);
    if (position == nullptr || position->borrow_shares.is_zero()) {
        drop_account(key);
        return false;
    }
    const MarketScreen& market = market_screen(key.market, warnings);
    const bool bounded = market.has_assets && position->collateral < screen_amount_limit() &&
                         position->borrow_shares < screen_amount_limit();
    if (!bounded) {
        unbounded_.insert(key);
        if (const auto found = id_of_.find(key); found != id_of_.end()) {
            (void)index_.remove(found->second);
            id_of_.erase(found);
        }
        return true;
    }
    unbounded_.erase(key);
    const auto two = margin::morpho_screen_positions(market.assets, *position);
    const std::array<margin::ScreenPosition, 3> screened{
        two[0], two[1], margin::ScreenPosition{kPadAsset, margin::PositionSide::debt, kScreenRoundingPadUnits}};
    if (const auto found = id_of_.find(key); found != id_of_.end()) {
        if (!index_.update(found->second, screened)) unbounded_.insert(key);  // unreachable: amounts checked above
        return true;
    }
    auto added = index_.add(screened);
    if (!added) {
        unbounded_.insert(key);
        return true;
    }
    id_of_.emplace(key, *added);
    if (key_of_.size() <= added->value) key_of_.resize(added->value + 1u);
    key_of_[added->value] = key;
    return true;
}

bool MorphoScreenEngine::screens(const morpho::PositionKey& key) const {
    if (unbounded_.contains(key) || failed_.contains(key) || !id_of_.contains(key)) return false;
    const auto market = markets_.find(key.market);
    return market != markets_.end() && market->second.screenable;
}

std::optional<float> MorphoScreenEngine::screen_health(const morpho::PositionKey& key) const {
    const auto found = id_of_.find(key);
    if (found == id_of_.end()) return std::nullopt;
    return index_.health(found->second);
}

ScreenRound MorphoScreenEngine::judge(const morpho::MorphoBook& book, std::span<const MarketAtBlock> markets,
                                      std::uint64_t block) {
    ScreenRound out;
    ++round_;
    erased_.clear();
    std::unordered_map<morpho::MarketId, const MarketAtBlock*> read;
    for (const auto& m : markets) read.emplace(m.id, &m);

    const bool audit = !built_ || settings_.audit_every_blocks == 0 || !last_audit_block_ ||
                       block >= *last_audit_block_ + settings_.audit_every_blocks;
    if (!built_) {
        book.for_each_position([&](const morpho::MarketId& market, const Address& account, const morpho::Position&) {
            changed_.insert(morpho::PositionKey{market, account});
        });
        built_ = true;
    }

    std::unordered_set<morpho::PositionKey, morpho::PositionKeyHash> exact;
    // 1. Positions the events named: re-screened now, judged below.
    std::unordered_set<morpho::PositionKey, morpho::PositionKeyHash> named;
    std::swap(named, changed_);
    for (const auto& key : named) {
        if (!sync_account(book, key, out.warnings)) continue;
        exact.insert(key);
        ++out.work.named;
    }

    // 2. Markets whose price or accrued totals moved: one float re-screen of
    // their accounts each; those that rose back above the watch line are
    // judged once more so their rows (and alerts) resolve.
    std::unordered_set<morpho::MarketId> judged_in_full;
    for (const auto& m : markets) {
        MarketScreen& market = market_screen(m.id, out.warnings);
        if (!market.has_assets) continue;  // its positions are unbounded: judged below
        if (!reading_in_float_range(m)) {
            market.screenable = false;
            judged_in_full.insert(m.id);
            continue;
        }
        const bool moved = !market.screenable || market.price_1e36 != m.price_1e36 ||
                           market.total_borrow_assets != m.accrued.total_borrow_assets ||
                           market.total_borrow_shares != m.accrued.total_borrow_shares;
        if (!moved) continue;
        auto tick = margin::morpho_screen_market_update(index_, market.assets, m.params, m.accrued, m.price_1e36);
        if (!tick) {  // unreachable: the reading was checked above
            market.screenable = false;
            judged_in_full.insert(m.id);
            continue;
        }
        market.screenable = true;
        market.price_1e36 = m.price_1e36;
        market.total_borrow_assets = m.accrued.total_borrow_assets;
        market.total_borrow_shares = m.accrued.total_borrow_shares;
        out.work.screened += tick->evaluated;
        for (const auto id : tick->cleared) exact.insert(key_of_[id.value]);
    }

    // 3. Everything below the watch line, and what the screen cannot bound.
    for (const auto& flagged : index_.riskiest(index_.flagged_count())) exact.insert(key_of_[flagged.id.value]);
    out.work.flagged = index_.flagged_count();
    // The riskiest rows as last judged (the status page's), whatever the screen says.
    std::size_t riskiest = 0;
    for (const Judged* judged : order_) {
        if (riskiest >= settings_.riskiest_rows_judged) break;
        if (erased_.contains(judged)) continue;  // dropped this round: not to be read
        exact.insert(morpho::PositionKey{judged->health.market, judged->health.account});
        ++riskiest;
    }
    exact.insert(unbounded_.begin(), unbounded_.end());
    exact.insert(failed_.begin(), failed_.end());
    if (audit || !judged_in_full.empty()) {
        book.for_each_position([&](const morpho::MarketId& market, const Address& account, const morpho::Position& p) {
            if (!p.borrow_shares.is_zero() && (audit || judged_in_full.contains(market)))
                exact.insert(morpho::PositionKey{market, account});
        });
    }

    // 4. The contract's arithmetic on each of them.
    const auto judge_key = [&](const morpho::PositionKey& key, const MarketAtBlock& m) -> const Judged* {
        const morpho::Position* position = book.position(key.market, key.account);
        if (position == nullptr || position->borrow_shares.is_zero()) {
            drop_account(key);
            return nullptr;
        }
        const bool screened_above = screens(key) && !index_.is_flagged(id_of_.at(key));
        ++out.work.exact_evaluations;
        auto judged = judge_position(m, key.account, *position);
        if (!judged) {
            out.errors.push_back(judged.error().message);
            failed_.insert(key);
            forget_judgement(key);
            return nullptr;
        }
        failed_.erase(key);
        if (audit && judged->liquidatable && screened_above) {
            ++out.work.missed_by_screen;
            out.warnings.push_back("audit: market " + key.market.hex() + " account " + key.account.checksummed() +
                                   " is liquidatable but its screen health " +
                                   std::to_string(index_.health(id_of_.at(key))) + " was above the watch line " +
                                   std::to_string(index_.watch_line()) + " (a screening bug)");
        }
        PositionRow row = position_row(*judged);
        const auto entry = judged_.insert_or_assign(key, Judged{std::move(*judged), std::move(row), round_}).first;
        return &entry->second;
    };
    std::vector<const Judged*> judged_now;  // each entry judged this round, once
    for (const auto& key : exact) {
        const auto m = read.find(key.market);
        if (m == read.end()) {
            if (named.contains(key)) changed_.insert(key);  // not readable this round: next round
            continue;
        }
        if (const Judged* judged = judge_key(key, *m->second)) judged_now.push_back(judged);
    }
    if (audit) last_audit_block_ = block;
    out.work.audit = audit;

    // 5. The round's rows: judged now or carried from their last judgement,
    // riskiest first (protocols/risk_order.hpp: carried entries are never read).
    // (An address in erased_ may have been reused by an entry judged this
    // round: those come in through judged_now, never through the old order.)
    const auto by_risk = [](const Judged* a, const Judged* b) { return riskier(a->health, b->health); };
    merge_judged_into(order_, judged_now, erased_, by_risk);

    // Markets not read this round leave their rows out (rare: skip the lookup otherwise).
    bool every_market_read = true;
    for (const auto& [id, params] : book.markets()) every_market_read = every_market_read && read.contains(id);
    const auto shown = [&](const Judged* entry) { return every_market_read || read.contains(entry->health.market); };

    // 6. The first riskiest_rows_judged rows are this block's: a carried row
    // that moved up among them (others above it rose or left) is judged now,
    // until none is left.
    for (;;) {
        std::vector<const Judged*> stale;
        std::size_t seen = 0;
        for (const Judged* entry : order_) {
            if (seen >= settings_.riskiest_rows_judged) break;
            if (!shown(entry)) continue;
            ++seen;
            if (entry->round != round_) stale.push_back(entry);
        }
        if (stale.empty()) break;
        for (const Judged* entry : stale) {
            const morpho::PositionKey key{entry->health.market, entry->health.account};
            const auto m = read.find(key.market);  // there: shown() above
            if (m == read.end()) continue;
            if (const Judged* judged = judge_key(key, *m->second)) judged_now.push_back(judged);  // same entry
        }
        merge_judged_into(order_, judged_now, erased_, by_risk);
    }

    // 7. The rows the keeper reads: every row under the watch line (the
    // liquidatable and alerting ones), the first riskiest_rows_judged, and
    // every row judged this round (a resolving alert names its new health).
    // The others are healthy and carried: counted, not copied (copying all
    // of them took 1.9 s a round at 1M positions).
    const double watch = index_.watch_line();
    std::vector<const Judged*> listed;
    std::unordered_set<const Judged*> is_listed;
    std::size_t seen = 0;
    for (const Judged* entry : order_) {
        if (!shown(entry)) continue;
        if (seen >= settings_.riskiest_rows_judged && entry->health.health_wad.to_double() / 1e18 >= watch) break;
        ++seen;
        listed.push_back(entry);
        is_listed.insert(entry);
    }
    for (const Judged* entry : judged_now)
        if (shown(entry) && is_listed.insert(entry).second) listed.push_back(entry);
    std::sort(listed.begin(), listed.end(), by_risk);
    std::size_t shown_total = order_.size();
    if (!every_market_read) shown_total = static_cast<std::size_t>(std::count_if(order_.begin(), order_.end(), shown));
    out.rows_left_out = shown_total - listed.size();
    out.positions.reserve(listed.size());
    out.rows.reserve(listed.size());
    for (const Judged* entry : listed) {
        out.positions.push_back(entry->health);
        out.rows.push_back(entry->row);
    }
    std::sort(out.errors.begin(), out.errors.end());
    return out;
}

}  // namespace keeper::protocols::morpho_blue

#include "protocols/aave_v3/aave_screen_engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <unordered_set>
#include <utility>

#include "protocols/risk_order.hpp"

namespace keeper::protocols::aave_v3 {
namespace aave_screen {

constexpr std::uint16_t kAavePadAsset = 0;  // never collateral, price 1 base unit

// Token amounts and prices (base units a token) at or above 2^60: the
// products of four stay far inside float32 (2^128), so no screen health is
// inf or NaN.
double aave_float_limit() { return std::ldexp(1.0, 60); }

bool bit_of(const U256& bitmap, unsigned id) { return id < 256 && !((bitmap >> id) & U256(1)).is_zero(); }

// GenericLogic's eMode membership of a reserve for an account of category `id`.
bool emode_member(aave::PoolRules rules, std::uint8_t id, const aave::EModeCategory& category,
                  const AaveReserveAtBlock& reserve) {
    if (id == 0) return false;
    if (rules == aave::PoolRules::EarlyV3) return reserve.config.emode_category == id;
    return bit_of(category.collateral_bitmap, reserve.data.id);
}

double ray_factor(const U256& ray) { return ray.to_double() / 1e27; }

}  // namespace aave_screen

double aave_screen_watch_line(const U256& warning_health_wad, double margin) {
    const double warning = warning_health_wad.to_double() / 1e18;
    return std::max(warning, 1.0) * (1.0 + margin);
}

AaveScreenEngine::AaveScreenEngine(AaveScreenSettings settings)
    : settings_(std::move(settings)),
      watch_line_(aave_screen_watch_line(settings_.warning_health_wad, settings_.float_margin)),
      index_(settings_.max_assets, watch_line_ - 1.0) {
    (void)index_.set_asset(aave_screen::kAavePadAsset, 1.0, 0.0);
    assets_.push_back(AssetState{AssetKey{}, 1.0, 0.0, true});
    wide_posting_.emplace_back();
}

void AaveScreenEngine::accounts_changed(std::span<const Address> accounts) {
    changed_.insert(accounts.begin(), accounts.end());
}

std::optional<std::pair<double, double>> AaveScreenEngine::asset_params(const AssetKey& key) const {
    const auto found = reserve_by_id_.find(key.reserve);
    if (found == reserve_by_id_.end()) return std::nullopt;
    const AaveReserveAtBlock& reserve = *found->second;
    double price = reserve.price.to_double();
    std::uint16_t lt = reserve.config.liquidation_threshold_bps;
    if (key.category != 0) {
        const auto category = emodes_->find(key.category);
        if (category == emodes_->end()) return std::nullopt;
        if (!key.debt) lt = category->second.liquidation_threshold_bps;
        if (rules_ == aave::PoolRules::EarlyV3 && !category->second.price_source_price.is_zero())
            price = category->second.price_source_price.to_double();
    }
    // Up to v3.5 a collateral whose reserve threshold is 0 is not counted at all.
    if (!aave::liquid_emode_ltv(rules_) && reserve.config.liquidation_threshold_bps == 0) lt = 0;
    double threshold = 0.0;
    if (!key.debt) {
        const bool floors_avg = !aave::rounds_for_protocol(rules_) && settings_.early_threshold_bps_off;
        threshold = (floors_avg ? std::max(0.0, double(lt) - 1.0) : double(lt)) / 1e4;
    }
    const U256& index = key.debt ? reserve.normalized_debt_ray : reserve.normalized_income_ray;
    if (index < U256::pow10(27)) return std::nullopt;  // the 1-wei bound needs index >= 1 ray
    const double screen_price = price * aave_screen::ray_factor(index);
    if (!std::isfinite(screen_price) || screen_price >= aave_screen::aave_float_limit()) return std::nullopt;
    return std::pair{screen_price, threshold};
}

std::optional<std::uint16_t> AaveScreenEngine::asset_for(const AssetKey& key) {
    if (const auto found = asset_of_.find(key); found != asset_of_.end()) return found->second;
    if (assets_.size() >= settings_.max_assets) return std::nullopt;
    const auto asset = static_cast<std::uint16_t>(assets_.size());
    AssetState state{key};
    if (const auto params = asset_params(key)) {
        state.price = params->first;
        state.threshold = params->second;
        state.screenable = index_.set_asset(asset, state.price, state.threshold).has_value();
    }
    assets_.push_back(state);
    wide_posting_.emplace_back();
    asset_of_.emplace(key, asset);
    return asset;
}

double AaveScreenEngine::wide_health(const WideAccount& w) const {
    double collateral = 0.0;
    double debt = w.pad;
    for (const auto& p : w.positions) {
        const AssetState& a = assets_[p.asset];
        if (p.side == margin::PositionSide::collateral)
            collateral += p.amount_units * a.price * a.threshold;
        else
            debt += p.amount_units * a.price;
    }
    return collateral / debt;  // debt >= pad > 0
}

void AaveScreenEngine::update_asset(std::uint16_t asset, std::vector<Address>& cleared, std::size_t& screened) {
    AssetState& state = assets_[asset];
    const auto params = asset_params(state.key);
    if (!params) {
        state.screenable = false;  // its accounts are judged in full while so
        return;
    }
    if (state.screenable && state.price == params->first && state.threshold == params->second) return;
    auto tick = index_.on_asset_update(asset, params->first, params->second);
    if (!tick) {
        state.screenable = false;
        return;
    }
    state.price = params->first;
    state.threshold = params->second;
    state.screenable = true;
    screened += tick->evaluated;
    for (const auto id : tick->cleared) cleared.push_back(key_of_[id.value]);
    for (const std::uint32_t slot : wide_posting_[asset]) {
        WideAccount& w = wide_[slot];
        w.health = wide_health(w);
        ++screened;
        const bool flagged = w.health < watch_line_;
        if (w.flagged && !flagged) cleared.push_back(w.account);
        w.flagged = flagged;
        if (flagged)
            wide_flagged_.insert(slot);
        else
            wide_flagged_.erase(slot);
    }
}

void AaveScreenEngine::forget_judgement(const Address& account) {
    if (const auto found = judged_.find(account); found != judged_.end()) {
        erased_.insert(&found->second);
        judged_.erase(found);
    }
}

void AaveScreenEngine::drop_screen(const Address& account) {
    const auto found = tracked_.find(account);
    if (found == tracked_.end()) return;
    Tracked& t = found->second;
    if (t.id) (void)index_.remove(*t.id);
    if (const auto* slot = t.wide ? &*t.wide : nullptr) {
        WideAccount& w = wide_[*slot];
        for (const auto& p : w.positions) {
            auto& list = wide_posting_[p.asset];
            if (const auto at = std::find(list.begin(), list.end(), *slot); at != list.end()) {
                *at = list.back();
                list.pop_back();
            }
        }
        w = WideAccount{};
        wide_flagged_.erase(*slot);
        wide_free_.push_back(*slot);
    }
    t.id.reset();
    t.wide.reset();
}

bool AaveScreenEngine::sync_account(const Address& account, const chain::aave_v3::UserReading* user) {
    const auto count_users = [&](const std::vector<std::uint16_t>& assets, bool add) {
        for (const auto asset : assets) {
            if (add)
                ++assets_[asset].users;
            else
                --assets_[asset].users;
        }
    };
    const auto forget = [&] {
        drop_screen(account);
        if (const auto found = tracked_.find(account); found != tracked_.end()) {
            count_users(found->second.assets, false);
            tracked_.erase(found);
        }
        unbounded_.erase(account);
        failed_.erase(account);
        dust_.erase(account);
        forget_judgement(account);
    };
    if (user == nullptr) {
        forget();
        return false;
    }
    const aave::UserConfig config(user->configuration);
    const std::uint8_t category_id = user->emode_category;
    const aave::EModeCategory* category = nullptr;
    bool bounded = true;
    if (category_id != 0) {
        const auto found = emodes_->find(category_id);
        if (found != emodes_->end())
            category = &found->second;
        else
            bounded = false;
    }
    bool borrows = false;
    std::vector<margin::ScreenPosition> positions;
    std::vector<std::uint16_t> assets;
    const auto add = [&](const AssetKey& key, margin::PositionSide side, double amount) {
        const auto asset = asset_for(key);
        if (!asset || !std::isfinite(amount) || amount >= aave_screen::aave_float_limit()) {
            bounded = false;
            return;
        }
        positions.push_back(margin::ScreenPosition{*asset, side, amount});
        if (std::find(assets.begin(), assets.end(), *asset) == assets.end()) assets.push_back(*asset);
    };
    for (const auto& b : user->balances) {
        const bool borrowing = config.is_borrowing(b.reserve_id);
        const bool collateral = config.is_using_as_collateral(b.reserve_id);
        borrows = borrows || borrowing;
        const auto found = reserve_by_id_.find(b.reserve_id);
        if (found == reserve_by_id_.end()) {
            bounded = false;
            continue;
        }
        const AaveReserveAtBlock& reserve = *found->second;
        const double unit = std::pow(10.0, reserve.config.decimals);
        const auto id = static_cast<std::uint16_t>(b.reserve_id);
        if (!b.stable_debt.is_zero()) bounded = false;  // its own compounding: judged every round
        if (collateral && !b.scaled_a_token.is_zero()) {
            const bool member = category != nullptr &&
                                aave_screen::emode_member(rules_, category_id, *category, reserve);
            // One wei less than the scaled balance: the pool's rounding of the balance (header).
            const double amount = std::max(0.0, b.scaled_a_token.to_double() - 1.0) / unit;
            add(AssetKey{id, false, member ? category_id : std::uint8_t{0}}, margin::PositionSide::collateral, amount);
        }
        if (borrowing) {
            const bool priced_by_category = rules_ == aave::PoolRules::EarlyV3 && category_id != 0 &&
                                            reserve.config.emode_category == category_id;
            const double amount = (b.scaled_variable_debt.to_double() + 1.0) / unit;
            add(AssetKey{id, true, priced_by_category ? category_id : std::uint8_t{0}}, margin::PositionSide::debt,
                amount);
        }
    }
    if (!borrows) {
        forget();
        return false;
    }
    Tracked& t = tracked_[account];
    count_users(t.assets, false);
    t.assets = std::move(assets);
    count_users(t.assets, true);
    if (!bounded) {
        drop_screen(account);
        unbounded_.insert(account);
        return true;
    }
    unbounded_.erase(account);
    const double pad = settings_.pad_per_term * double(positions.size() + 1);
    if (positions.size() <= kAaveIndexPositions) {
        if (t.wide) drop_screen(account);
        positions.push_back(margin::ScreenPosition{aave_screen::kAavePadAsset, margin::PositionSide::debt, pad});
        if (t.id) {
            if (index_.update(*t.id, positions)) return true;
            (void)index_.remove(*t.id);
            t.id.reset();
            unbounded_.insert(account);
            return true;
        }
        auto added = index_.add(positions);
        if (!added) {
            unbounded_.insert(account);
            return true;
        }
        t.id = *added;
        if (key_of_.size() <= added->value) key_of_.resize(added->value + 1u);
        key_of_[added->value] = account;
        return true;
    }
    drop_screen(account);  // from the index or its old wide slot
    std::uint32_t slot = 0;
    if (!wide_free_.empty()) {
        slot = wide_free_.back();
        wide_free_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(wide_.size());
        wide_.emplace_back();
    }
    WideAccount& w = wide_[slot];
    w.account = account;
    w.positions = std::move(positions);
    w.pad = pad;
    for (const auto asset : t.assets) wide_posting_[asset].push_back(slot);
    w.health = wide_health(w);
    w.flagged = w.health < watch_line_;
    if (w.flagged) wide_flagged_.insert(slot);
    t.wide = slot;
    return true;
}

bool AaveScreenEngine::screens(const Address& account) const {
    if (unbounded_.contains(account) || failed_.contains(account)) return false;
    const auto found = tracked_.find(account);
    if (found == tracked_.end() || (!found->second.id && !found->second.wide)) return false;
    return std::all_of(found->second.assets.begin(), found->second.assets.end(),
                       [&](std::uint16_t asset) { return assets_[asset].screenable; });
}

bool AaveScreenEngine::flagged(const Address& account) const {
    const auto found = tracked_.find(account);
    if (found == tracked_.end()) return false;
    const Tracked& t = found->second;
    if (t.id) return index_.is_flagged(*t.id);
    if (t.wide) return wide_[*t.wide].flagged;
    return false;
}

std::optional<double> AaveScreenEngine::screen_health(const Address& account) const {
    const auto found = tracked_.find(account);
    if (found == tracked_.end()) return std::nullopt;
    const Tracked& t = found->second;
    if (t.id) return double(index_.health(*t.id));
    if (t.wide) return wide_[*t.wide].health;
    return std::nullopt;
}

bool AaveScreenEngine::shape_changed(std::span<const AaveReserveAtBlock> reserves,
                                     const std::map<std::uint8_t, aave::EModeCategory>& emodes) {
    bool changed = false;
    for (const auto& r : reserves) {
        const ReserveShape shape{r.config.decimals, r.config.emode_category};
        auto [it, inserted] = shapes_.try_emplace(r.data.id, shape);
        if (!inserted && (it->second.decimals != shape.decimals || it->second.emode_category != shape.emode_category)) {
            changed = true;
            it->second = shape;
        }
    }
    for (const auto& [id, category] : emodes) {
        auto [it, inserted] = bitmaps_.try_emplace(id, category.collateral_bitmap);
        if (!inserted && it->second != category.collateral_bitmap) {
            changed = true;
            it->second = category.collateral_bitmap;
        }
    }
    return changed;
}

AaveScreenRound AaveScreenEngine::judge(aave::PoolRules rules,
                                        const std::map<Address, chain::aave_v3::UserReading>& users,
                                        std::span<const AaveReserveAtBlock> reserves,
                                        const std::map<std::uint8_t, aave::EModeCategory>& emodes,
                                        std::uint64_t block) {
    AaveScreenRound out;
    ++round_;
    erased_.clear();
    rules_ = rules;
    emodes_ = &emodes;
    reserve_by_id_.clear();
    for (const auto& r : reserves) reserve_by_id_.emplace(r.data.id, &r);

    bool audit = !built_ || settings_.audit_every_blocks == 0 || !last_audit_block_ ||
                 block >= *last_audit_block_ + settings_.audit_every_blocks;
    const bool reshaped = shape_changed(reserves, emodes);
    if (!built_ || reshaped) {
        // Every account (re)sorted into its screening assets; a reshaping is audited.
        for (const auto& [account, reading] : users) changed_.insert(account);
        for (const auto& [account, t] : tracked_) changed_.insert(account);
        audit = true;
        built_ = true;
    }

    // 1. Assets whose price, index or threshold moved: one re-screen of
    // their accounts each; those that rose back above the watch line are
    // judged once more so their rows (and alerts) resolve.
    std::vector<Address> cleared;
    for (std::size_t asset = 1; asset < assets_.size(); ++asset)
        update_asset(static_cast<std::uint16_t>(asset), cleared, out.work.screened);

    // 2. Accounts the events named: synced now, judged below.
    std::unordered_set<Address> exact;
    std::unordered_set<Address> named;
    std::swap(named, changed_);
    const auto user_of = [&](const Address& account) -> const chain::aave_v3::UserReading* {
        const auto found = users.find(account);
        return found == users.end() ? nullptr : &found->second;
    };
    for (const auto& account : named) {
        if (!sync_account(account, user_of(account))) continue;
        exact.insert(account);
        ++out.work.named;
    }
    for (const auto& account : cleared)
        if (tracked_.contains(account)) exact.insert(account);

    // 3. Everything below the watch line, and what the screen cannot bound.
    for (const auto& f : index_.riskiest(index_.flagged_count())) exact.insert(key_of_[f.id.value]);
    for (const std::uint32_t slot : wide_flagged_) exact.insert(wide_[slot].account);
    out.work.flagged = index_.flagged_count() + wide_flagged_.size();
    exact.insert(last_riskiest_.begin(), last_riskiest_.end());
    exact.insert(unbounded_.begin(), unbounded_.end());
    exact.insert(failed_.begin(), failed_.end());
    exact.insert(dust_.begin(), dust_.end());
    // (An asset nobody holds any more may stay unscreenable: its category is no longer read.)
    const bool some_unscreenable = std::any_of(assets_.begin(), assets_.end(),
                                               [](const AssetState& a) { return !a.screenable && a.users > 0; });
    if (audit || some_unscreenable) {
        for (const auto& [account, t] : tracked_)
            if (audit || !screens(account)) exact.insert(account);
    }

    // 4. The pool's arithmetic on each of them.
    const auto judge_one = [&](const Address& account) -> const Judged* {
        const chain::aave_v3::UserReading* user = user_of(account);
        if (user == nullptr) {
            (void)sync_account(account, nullptr);
            return nullptr;
        }
        const bool screened_above = screens(account) && !flagged(account);
        ++out.work.exact_evaluations;
        auto judged = judge_aave_account(rules, *user, reserves, emodes);
        if (!judged) {
            out.errors.push_back(judged.error().message);
            failed_.insert(account);
            forget_judgement(account);
            return nullptr;
        }
        failed_.erase(account);
        std::optional<AaveAccountHealth> health = std::move(*judged);
        // Debt worth (almost) nothing in base: whether it has a row at all
        // turns on one base unit of rounding, which the screen does not see.
        if (!health || health->data.total_debt_base < U256(kAaveDustDebtBase))
            dust_.insert(account);
        else
            dust_.erase(account);
        if (!health) {
            forget_judgement(account);
            return nullptr;
        }
        if (audit && health->liquidatable && screened_above) {
            ++out.work.missed_by_screen;
            out.warnings.push_back("audit: account " + account.checksummed() +
                                   " is liquidatable but its screen health " +
                                   std::to_string(screen_health(account).value_or(0.0)) + " was above the watch line " +
                                   std::to_string(watch_line_) + " (a screening bug)");
        }
        // Only a liquidation is quoted on the reserves' snapshots: a healthy
        // account keeps its numbers, not its inputs (a row carried for many
        // heads would otherwise hold every reserve of its first judgement).
        if (!health->liquidatable) {
            health->input.reserves.clear();
            health->input.reserves.shrink_to_fit();
        }
        PositionRow row = make_row_ ? make_row_(*health) : PositionRow{};
        const auto entry = judged_.insert_or_assign(account, Judged{std::move(*health), std::move(row), round_}).first;
        return &entry->second;
    };
    std::vector<const Judged*> judged_now;  // each entry judged this round, once
    for (const auto& account : exact)
        if (const Judged* j = judge_one(account)) judged_now.push_back(j);
    if (audit) last_audit_block_ = block;
    out.work.audit = audit;

    // 5. The round's rows, riskiest first: judged now or carried, merged as
    // protocols/risk_order.hpp says (carried entries are never read).
    const auto by_risk = [](const Judged* a, const Judged* b) { return riskier(a->health, b->health); };
    merge_judged_into(order_, judged_now, erased_, by_risk);
    // The first riskiest_rows_judged are this block's: a carried row that
    // moved up among them is judged now, until none is left.
    for (;;) {
        std::vector<Address> stale;
        for (std::size_t i = 0; i < order_.size() && i < settings_.riskiest_rows_judged; ++i)
            if (order_[i]->round != round_) stale.push_back(order_[i]->health.account);
        if (stale.empty()) break;
        for (const auto& account : stale)
            if (const Judged* j = judge_one(account)) judged_now.push_back(j);
        merge_judged_into(order_, judged_now, erased_, by_risk);
    }
    last_riskiest_.clear();
    for (std::size_t i = 0; i < order_.size() && i < settings_.riskiest_rows_judged; ++i)
        last_riskiest_.push_back(order_[i]->health.account);

    // 6. The rows the keeper reads: every row under the watch line (the
    // liquidatable and alerting ones), the first riskiest_rows_judged, and
    // every row judged this round (a resolving alert names its new health).
    // The others are healthy and carried: counted, not copied.
    std::vector<const Judged*> listed;
    std::unordered_set<const Judged*> is_listed;
    for (const Judged* entry : order_) {
        if (listed.size() >= settings_.riskiest_rows_judged &&
            entry->health.data.health_factor_wad.to_double() / 1e18 >= watch_line_)
            break;
        listed.push_back(entry);
        is_listed.insert(entry);
    }
    for (const Judged* entry : judged_now)
        if (is_listed.insert(entry).second) listed.push_back(entry);
    std::sort(listed.begin(), listed.end(), by_risk);
    out.rows_left_out = order_.size() - listed.size();
    out.accounts.reserve(listed.size());
    if (make_row_) out.rows.reserve(listed.size());
    for (const Judged* j : listed) {
        out.accounts.push_back(j->health);
        if (make_row_) out.rows.push_back(j->row);
    }
    std::sort(out.errors.begin(), out.errors.end());
    return out;
}

}  // namespace keeper::protocols::aave_v3

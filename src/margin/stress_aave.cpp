#include "margin/stress_aave.hpp"

#include <algorithm>
#include <optional>

namespace keeper::margin::stress {
namespace {

// The screen's margin: doubles carry ~1e-16 relative error; each reserve's
// base value and the health factor's roundings cost a few base units.
constexpr double kAaveScreenRelative = 1e-6;
constexpr double kAaveSlackPerReserve = 4.0;

}  // namespace

AavePoolStress::AavePoolStress(const AaveStressPool& pool, bool keep_accounts)
    : pool_(pool), where_(pool.pool.hex()), keep_accounts_(keep_accounts) {
    asset_of_id_.resize(aave::kMaxReserves);
    for (const auto& r : pool.reserves)
        if (r.id < aave::kMaxReserves) asset_of_id_[r.id] = r.asset;
    std::map<std::vector<unsigned>, std::vector<std::size_t>> by_reserves;
    for (std::size_t i = 0; i < pool.accounts.size(); ++i) {
        std::vector<unsigned> ids;
        for (const auto& r : pool.accounts[i].input.reserves) ids.push_back(r.id);
        std::sort(ids.begin(), ids.end());
        by_reserves[ids].push_back(i);
    }
    prepared_.reserve(pool.accounts.size());
    for (const auto& [ids, members] : by_reserves) {
        groups_.push_back(Group{ids, prepared_.size(), members.size(), {}});
        for (const std::size_t i : members) {
            const auto& account = pool.accounts[i];
            Prepared prep;
            prep.account = i;
            prep.first_value = values_.size();
            prep.screenable = account.input.emode_category_id == 0;
            for (const auto& r : account.input.reserves) {
                ReserveValue v;
                v.id = r.id;
                const double unit = U256::pow10(r.config.decimals).to_double();
                const double price = r.price.to_double();
                v.is_collateral = account.input.config.is_using_as_collateral(r.id);
                v.is_debt = account.input.config.is_borrowing(r.id);
                if (v.is_collateral) {
                    const auto balance = aave::atoken_balance(pool.rules, r);
                    if (!balance)
                        prep.screenable = false;
                    else
                        v.collateral_base = balance->to_double() * price / unit;
                    v.threshold = r.config.liquidation_threshold_bps / 10'000.0;
                }
                if (v.is_debt) {
                    const auto debt = aave::debt_balance(pool.rules, r);
                    if (!debt)
                        prep.screenable = false;
                    else
                        v.debt_base = debt->to_double() * price / unit;
                }
                values_.push_back(v);
            }
            prep.value_count = values_.size() - prep.first_value;
            prepared_.push_back(prep);
        }
    }
}

void AavePoolStress::under(const StressScenario& scenario, std::vector<const PartOutcome*>& parts) {
    std::vector<std::int32_t> moves(aave::kMaxReserves, 0);
    for (const auto& r : pool_.reserves)
        if (r.id < aave::kMaxReserves) moves[r.id] = scenario.move_bps_of(r.asset);
    for (auto& group : groups_) {
        std::vector<std::int32_t> key;
        key.reserve(group.ids.size());
        for (unsigned id : group.ids) key.push_back(id < moves.size() ? moves[id] : 0);
        auto it = group.memo.find(key);
        if (it == group.memo.end()) it = group.memo.emplace(key, evaluate(group, moves)).first;
        parts.push_back(&it->second);
    }
}

PartOutcome AavePoolStress::evaluate(const Group& group, const std::vector<std::int32_t>& moves) const {
    PartOutcome out;
    out.protocol = pool_.protocol;
    out.kind = "aave-v3";
    out.keep_accounts = keep_accounts_;
    out.where = where_;
    aave::UserAccount shocked;  // reused: its reserves keep their capacity
    for (std::size_t k = group.first; k < group.first + group.count; ++k) {
        const Prepared& prep = prepared_[k];
        bool certainly_liquidatable = false;
        // The pair one liquidationCall takes: the largest debt against the
        // largest collateral by value at the shocked prices (estimated in doubles;
        // the first listed on a tie). The call's amounts are exact.
        std::optional<unsigned> debt_id, collateral_id;
        double debt_best = -1.0, collateral_best = -1.0;
        double weighted = 0.0, debt = 0.0;
        for (std::size_t j = prep.first_value; j < prep.first_value + prep.value_count; ++j) {
            const ReserveValue& v = values_[j];
            const double m = (10'000.0 + moves[v.id]) / 10'000.0;
            weighted += v.collateral_base * m * v.threshold;
            debt += v.debt_base * m;
            if (v.is_debt && v.debt_base * m > debt_best) {
                debt_id = v.id;
                debt_best = v.debt_base * m;
            }
            if (v.is_collateral && v.collateral_base * m > collateral_best) {
                collateral_id = v.id;
                collateral_best = v.collateral_base * m;
            }
        }
        if (prep.screenable) {
            const double slack = kAaveSlackPerReserve * static_cast<double>(prep.value_count + 1);
            // Certainly healthy: the health factor is above 1 by more than every rounding.
            if (weighted - slack > (debt + slack) * (1.0 + kAaveScreenRelative)) continue;
            certainly_liquidatable = weighted + slack < (debt - slack) * (1.0 - kAaveScreenRelative);
        }
        const auto& account = pool_.accounts[prep.account];
        shocked.config = account.input.config;
        shocked.emode_category_id = account.input.emode_category_id;
        shocked.emode = account.input.emode;
        shocked.reserves.assign(account.input.reserves.begin(), account.input.reserves.end());
        for (auto& r : shocked.reserves)
            if (r.id < moves.size()) r.price = shocked_price(r.price, moves[r.id]);
        StressedPosition s;
        s.account = account.account;
        std::optional<aave::AccountData> data;
        if (!certainly_liquidatable) {
            auto exact = aave::calculate_user_account_data(pool_.rules, shocked);
            if (!exact) {
                s.error = exact.error().message;
                out.add(std::move(s));
                continue;
            }
            if (!exact->liquidatable()) continue;
            data = *exact;
        }
        if (!debt_id || !collateral_id) {
            s.error = "no collateral or no debt to liquidate";
        } else {
            s.debt_asset = asset_of_id_[*debt_id];
            s.collateral_asset = asset_of_id_[*collateral_id];
            const auto quote = aave::quote_liquidation(
                pool_.rules, shocked, aave::LiquidationCall{*collateral_id, *debt_id, U256::max(), false});
            if (quote) {
                data = quote->account;
                s.debt_repaid = quote->amounts.debt_to_repay;
                s.collateral_seized = quote->amounts.collateral_to_liquidator;
                for (const auto& d : quote->deficits)
                    if (!d.amount.is_zero() && d.reserve_id < asset_of_id_.size())
                        s.bad_debt.push_back({asset_of_id_[d.reserve_id], d.amount});
            } else {
                s.error = quote.error().message;
            }
        }
        if (!data) {  // the screen was sure, the quote reverted: the health factor for the report
            auto exact = aave::calculate_user_account_data(pool_.rules, shocked);
            if (exact) data = *exact;
        }
        if (data) {
            s.health_wad = data->health_factor_wad;
            s.insolvent = data->total_collateral_base < data->total_debt_base;
        }
        out.add(std::move(s));
    }
    return out;
}

}  // namespace keeper::margin::stress

#include "margin/stress_aave.hpp"

#include <optional>

namespace keeper::margin::stress {
namespace {

// The screen's margin: doubles carry ~1e-16 relative error; each reserve's
// base value and the health factor's roundings cost a few base units.
constexpr double kAaveScreenRelative = 1e-6;
constexpr double kAaveSlackPerReserve = 4.0;

U256 base_value(const U256& amount, const U256& price, std::uint8_t decimals) {
    return mul_div_down(amount, price, U256::pow10(decimals)).value_or(U256::max());
}

}  // namespace

AavePoolStress::AavePoolStress(const AaveStressPool& pool) : pool_(pool), where_(pool.pool.hex()) {
    asset_of_id_.resize(aave::kMaxReserves);
    for (const auto& r : pool.reserves)
        if (r.id < aave::kMaxReserves) asset_of_id_[r.id] = r.asset;
    prepared_.reserve(pool.accounts.size());
    for (const auto& account : pool.accounts) {
        Prepared prep;
        prep.screenable = account.input.emode_category_id == 0;
        for (const auto& r : account.input.reserves) {
            ReserveValue v;
            v.id = r.id;
            const double unit = U256::pow10(r.config.decimals).to_double();
            const double price = r.price.to_double();
            if (account.input.config.is_using_as_collateral(r.id)) {
                const auto balance = aave::atoken_balance(pool.rules, r);
                if (!balance)
                    prep.screenable = false;
                else
                    v.collateral_base = balance->to_double() * price / unit;
                v.threshold = r.config.liquidation_threshold_bps / 10'000.0;
            }
            if (account.input.config.is_borrowing(r.id)) {
                const auto debt = aave::debt_balance(pool.rules, r);
                if (!debt)
                    prep.screenable = false;
                else
                    v.debt_base = debt->to_double() * price / unit;
            }
            prep.reserves.push_back(v);
        }
        prepared_.push_back(std::move(prep));
    }
}

const PartOutcome& AavePoolStress::under(const StressScenario& scenario) {
    std::vector<std::int32_t> moves(aave::kMaxReserves, 0);
    for (const auto& r : pool_.reserves)
        if (r.id < aave::kMaxReserves) moves[r.id] = scenario.move_bps_of(r.asset);
    auto it = memo_.find(moves);
    if (it == memo_.end()) it = memo_.emplace(moves, evaluate(moves)).first;
    return it->second;
}

PartOutcome AavePoolStress::evaluate(const std::vector<std::int32_t>& moves) const {
    PartOutcome out;
    for (std::size_t i = 0; i < pool_.accounts.size(); ++i) {
        const Prepared& prep = prepared_[i];
        if (prep.screenable) {
            double weighted = 0.0, debt = 0.0;
            for (const auto& v : prep.reserves) {
                const double m = (10'000.0 + moves[v.id]) / 10'000.0;
                weighted += v.collateral_base * m * v.threshold;
                debt += v.debt_base * m;
            }
            const double slack = kAaveSlackPerReserve * static_cast<double>(prep.reserves.size() + 1);
            // Certainly healthy: the health factor is above 1 by more than every rounding.
            if (weighted - slack > (debt + slack) * (1.0 + kAaveScreenRelative)) continue;
        }
        const auto& account = pool_.accounts[i];
        aave::UserAccount shocked = account.input;
        for (auto& r : shocked.reserves)
            if (r.id < moves.size()) r.price = shocked_price(r.price, moves[r.id]);
        const auto data = aave::calculate_user_account_data(pool_.rules, shocked);
        if (data && !data->liquidatable()) continue;
        if (!data) {
            StressedPosition s;
            s.protocol = pool_.protocol;
            s.kind = "aave-v3";
            s.where = where_;
            s.account = account.account;
            s.error = data.error().message;
            out.add(std::move(s));
            continue;
        }
        out.add(liquidation(account, shocked, *data));
    }
    return out;
}

StressedPosition AavePoolStress::liquidation(const AaveStressAccount& account, const aave::UserAccount& shocked,
                                             const aave::AccountData& data) const {
    StressedPosition s;
    s.protocol = pool_.protocol;
    s.kind = "aave-v3";
    s.where = where_;
    s.account = account.account;
    s.health_wad = data.health_factor_wad;
    s.insolvent = data.total_collateral_base < data.total_debt_base;
    // The pair one liquidationCall takes: the largest debt against the largest
    // collateral, by value at the shocked prices (lowest id on a tie).
    std::optional<unsigned> debt_id, collateral_id;
    U256 debt_best, collateral_best;
    for (const auto& r : shocked.reserves) {
        if (shocked.config.is_borrowing(r.id)) {
            const auto debt = aave::debt_balance(pool_.rules, r);
            const U256 value = debt ? base_value(*debt, r.price, r.config.decimals) : U256();
            if (!debt_id || value > debt_best || (value == debt_best && r.id < *debt_id)) {
                debt_id = r.id;
                debt_best = value;
            }
        }
        if (shocked.config.is_using_as_collateral(r.id)) {
            const auto balance = aave::atoken_balance(pool_.rules, r);
            const U256 value = balance ? base_value(*balance, r.price, r.config.decimals) : U256();
            if (!collateral_id || value > collateral_best || (value == collateral_best && r.id < *collateral_id)) {
                collateral_id = r.id;
                collateral_best = value;
            }
        }
    }
    if (!debt_id || !collateral_id) {
        s.error = "no collateral or no debt to liquidate";
        return s;
    }
    s.debt_asset = asset_of_id_[*debt_id];
    s.collateral_asset = asset_of_id_[*collateral_id];
    const auto quote = aave::quote_liquidation(pool_.rules, shocked,
                                               aave::LiquidationCall{*collateral_id, *debt_id, U256::max(), false});
    if (!quote) {
        s.error = quote.error().message;
        return s;
    }
    s.debt_repaid = quote->amounts.debt_to_repay;
    s.collateral_seized = quote->amounts.collateral_to_liquidator;
    for (const auto& d : quote->deficits)
        if (!d.amount.is_zero() && d.reserve_id < asset_of_id_.size())
            s.bad_debt.push_back({asset_of_id_[d.reserve_id], d.amount});
    return s;
}

}  // namespace keeper::margin::stress

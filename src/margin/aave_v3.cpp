#include "margin/aave_v3.hpp"

#include <string>

#include "core/fixed_point.hpp"

namespace keeper::aave {
namespace {

const U256 kWad = fixed_point::wad();

Error reverted(const std::string& what) { return Error{"aave: " + what}; }

// 10 ** decimals is computed unchecked on chain; beyond 77 it would wrap,
// which no listed reserve does, so treat it as bad input.
Result<U256> asset_unit(std::uint8_t decimals) {
    if (decimals > 77) return fail("aave: reserve decimals above 77");
    return U256::pow10(decimals);
}

// value of `amount` in base currency: amount * price / unit, rounded down
// (or up for debt from v3.5). Overflow of amount * price reverts.
Result<U256> to_base(const U256& amount, const U256& price, const U256& unit, bool round_up) {
    if (round_up) {
        const auto v = mul_div_ceil(amount, price, unit);
        if (!v) return fail("aave: amount * price overflows");
        return *v;
    }
    const auto product = checked_mul(amount, price);
    if (!product) return fail("aave: amount * price overflows");
    return *product / unit;
}

const ReserveSnapshot* find_reserve(const UserAccount& account, unsigned id) {
    for (const ReserveSnapshot& r : account.reserves)
        if (r.id == id) return &r;
    return nullptr;
}

bool bit_set(const U256& bitmap, unsigned id) { return id < 256 && !((bitmap >> id) & U256(1)).is_zero(); }

bool in_emode(PoolRules rules, const UserAccount& account, const ReserveSnapshot& reserve) {
    if (account.emode_category_id == 0) return false;
    if (rules == PoolRules::EarlyV3) return reserve.config.emode_category == account.emode_category_id;
    return bit_set(account.emode.collateral_bitmap, reserve.id);
}

// The LTV a collateral counts with. Up to v3.5: 0 when the reserve's own is 0,
// else the category's for a member. v3.6 (ValidationLogic.getUserReserveLtv):
// a member takes the category's LTV, or 0 if the category's ltvzero bitmap
// names it, whatever the reserve's own; v3.7 adds: in an isolated category a
// non-member has LTV 0.
U256 user_reserve_ltv(PoolRules rules, const UserAccount& account, const ReserveSnapshot& reserve, bool member) {
    if (!liquid_emode_ltv(rules)) {
        if (reserve.config.ltv_bps == 0) return U256();
        return member ? U256(account.emode.ltv_bps) : U256(reserve.config.ltv_bps);
    }
    if (member) return bit_set(account.emode.ltvzero_bitmap, reserve.id) ? U256() : U256(account.emode.ltv_bps);
    if (rules == PoolRules::V3_7 && account.emode_category_id != 0 && account.emode.isolated) return U256();
    return U256(reserve.config.ltv_bps);
}

// EarlyV3: an eMode category with a price source prices its own assets.
U256 account_price(PoolRules rules, const UserAccount& account, const ReserveSnapshot& reserve) {
    if (rules == PoolRules::EarlyV3 && account.emode_category_id != 0 && !account.emode.price_source_price.is_zero() &&
        reserve.config.emode_category == account.emode_category_id)
        return account.emode.price_source_price;
    return reserve.price;
}

}  // namespace

Result<PoolRules> rules_for_pool_revision(std::uint64_t revision) {
    switch (revision) {
        case 1:
        case 2: return PoolRules::EarlyV3;
        case 10: return PoolRules::V3_6;
        case 11: return PoolRules::V3_7;
        default:
            return fail("Aave pool revision " + std::to_string(revision) +
                        " is not supported (supported: 1 and 2 = Aave v3.0.x, 10 = v3.6, 11 = v3.7)");
    }
}

U256 health_factor_liquidation_threshold_wad() { return kWad; }
U256 close_factor_hf_threshold_wad() { return U256(950'000'000'000'000'000ULL); }
U256 min_base_max_close_factor_threshold() { return U256(200'000'000'000ULL); }  // 2000e8
U256 min_leftover_base() { return U256(100'000'000'000ULL); }                    // 1000e8

bool AccountData::liquidatable() const { return health_factor_wad < health_factor_liquidation_threshold_wad(); }

Result<U256> atoken_balance(PoolRules rules, const ReserveSnapshot& reserve) {
    const auto v = rounds_for_protocol(rules) ? ray_mul_floor(reserve.scaled_atoken_balance, reserve.normalized_income_ray)
                                            : ray_mul(reserve.scaled_atoken_balance, reserve.normalized_income_ray);
    if (!v) return fail("aave: aToken balance overflow");
    return *v;
}

Result<U256> debt_balance(PoolRules rules, const ReserveSnapshot& reserve) {
    const auto variable = rounds_for_protocol(rules)
                              ? ray_mul_ceil(reserve.scaled_variable_debt, reserve.normalized_debt_ray)
                              : ray_mul(reserve.scaled_variable_debt, reserve.normalized_debt_ray);
    if (!variable) return fail("aave: variable debt balance overflow");
    if (rules != PoolRules::EarlyV3) return *variable;
    const auto total = checked_add(*variable, reserve.stable_debt);
    if (!total) return fail("aave: total debt overflow");
    return *total;
}

Result<AccountData> calculate_user_account_data(PoolRules rules, const UserAccount& account) {
    AccountData out;
    if (account.config.empty()) {
        out.health_factor_wad = U256::max();
        return out;
    }
    U256 ltv_weighted;  // sum(collateral_base_i * ltv_i)
    U256 lt_weighted;   // sum(collateral_base_i * lt_i)
    for (unsigned i = 0; i < kMaxReserves; ++i) {
        if (!account.config.is_using_as_collateral_or_borrowing(i)) continue;
        const ReserveSnapshot* reserve = find_reserve(account, i);
        if (reserve == nullptr) return fail("aave: user config flags reserve " + std::to_string(i) + " but no snapshot");
        const auto unit = asset_unit(reserve->config.decimals);
        if (!unit) return std::unexpected(unit.error());
        const U256 price = account_price(rules, account, *reserve);
        const ReserveConfig& cfg = reserve->config;

        // Up to v3.5 a collateral with threshold 0 is skipped; from v3.6 every
        // reserve flagged as collateral counts (it adds 0 to the threshold sum).
        const bool counts_as_collateral =
            account.config.is_using_as_collateral(i) && (liquid_emode_ltv(rules) || cfg.liquidation_threshold_bps != 0);
        if (counts_as_collateral) {
            const auto balance = atoken_balance(rules, *reserve);
            if (!balance) return std::unexpected(balance.error());
            const auto base = to_base(*balance, price, *unit, false);
            if (!base) return std::unexpected(base.error());
            const auto total = checked_add(out.total_collateral_base, *base);
            if (!total) return fail("aave: total collateral overflow");
            out.total_collateral_base = *total;

            const bool member = in_emode(rules, account, *reserve);
            const U256 ltv = user_reserve_ltv(rules, account, *reserve, member);
            if (!ltv.is_zero()) {
                const auto term = checked_mul(*base, ltv);
                const auto sum = term ? checked_add(ltv_weighted, *term) : std::nullopt;
                if (!sum) return fail("aave: avgLtv overflow");
                ltv_weighted = *sum;
            } else {
                out.has_zero_ltv_collateral = true;
            }
            const U256 lt = member ? U256(account.emode.liquidation_threshold_bps) : U256(cfg.liquidation_threshold_bps);
            const auto term = checked_mul(*base, lt);
            const auto sum = term ? checked_add(lt_weighted, *term) : std::nullopt;
            if (!sum) return fail("aave: avgLiquidationThreshold overflow");
            lt_weighted = *sum;
        }

        if (account.config.is_borrowing(i)) {
            const auto debt = debt_balance(rules, *reserve);
            if (!debt) return std::unexpected(debt.error());
            const auto base = to_base(*debt, price, *unit, rounds_for_protocol(rules));
            if (!base) return std::unexpected(base.error());
            const auto total = checked_add(out.total_debt_base, *base);
            if (!total) return fail("aave: total debt overflow");
            out.total_debt_base = *total;
        }
    }

    if (!out.total_collateral_base.is_zero()) {
        out.avg_ltv_bps = ltv_weighted / out.total_collateral_base;
        out.avg_liquidation_threshold_bps = lt_weighted / out.total_collateral_base;
    }

    if (out.total_debt_base.is_zero()) {
        out.health_factor_wad = U256::max();
    } else if (rounds_for_protocol(rules)) {
        // sum(base_i * lt_i) has 8 + 4 decimals; wadDiv by debt (8) leaves 18 + 4.
        const auto hf = wad_div(lt_weighted, out.total_debt_base);
        if (!hf) return fail("aave: health factor overflow");
        out.health_factor_wad = *hf / fixed_point::percentage_factor();
    } else {
        const auto adjusted = percent_mul(out.total_collateral_base, out.avg_liquidation_threshold_bps);
        if (!adjusted) return fail("aave: percentMul overflow");
        const auto hf = wad_div(*adjusted, out.total_debt_base);
        if (!hf) return fail("aave: health factor overflow");
        out.health_factor_wad = *hf;
    }
    return out;
}

Result<CollateralToLiquidate> calculate_available_collateral_to_liquidate(
    PoolRules rules, const U256& collateral_price, std::uint8_t collateral_decimals, const U256& debt_price,
    std::uint8_t debt_decimals, const U256& debt_to_cover, const U256& user_collateral_balance,
    std::uint16_t liquidation_bonus_bps, std::uint16_t liquidation_protocol_fee_bps) {
    const auto collateral_unit = asset_unit(collateral_decimals);
    const auto debt_unit = asset_unit(debt_decimals);
    if (!collateral_unit || !debt_unit) return fail("aave: reserve decimals above 77");
    const U256 bonus(liquidation_bonus_bps);

    // baseCollateral = debtPrice * debtToCover * collateralUnit / (collateralPrice * debtUnit)
    const auto num1 = checked_mul(debt_price, debt_to_cover);
    const auto num = num1 ? checked_mul(*num1, *collateral_unit) : std::nullopt;
    const auto den = checked_mul(collateral_price, *debt_unit);
    if (!num || !den || den->is_zero()) return std::unexpected(reverted("base collateral overflow or zero price"));
    const bool v37 = rules == PoolRules::V3_7;
    const auto max_collateral = v37 ? percent_mul_floor(*num / *den, bonus) : percent_mul(*num / *den, bonus);
    if (!max_collateral) return std::unexpected(reverted("percentMul overflow"));

    CollateralToLiquidate out;
    U256 collateral_amount;
    if (*max_collateral > user_collateral_balance) {
        collateral_amount = user_collateral_balance;
        // debtAmountNeeded = (collateralPrice * amount * debtUnit) / (debtPrice * collateralUnit) percentDiv bonus
        const auto n1 = checked_mul(collateral_price, collateral_amount);
        const auto n2 = n1 ? checked_mul(*n1, *debt_unit) : std::nullopt;
        const auto d2 = checked_mul(debt_price, *collateral_unit);
        if (!n2 || !d2 || d2->is_zero()) return std::unexpected(reverted("debt needed overflow or zero price"));
        const U256 value = *n2 / *d2;
        const auto needed = rounds_for_protocol(rules) ? percent_div_ceil(value, bonus) : percent_div(value, bonus);
        if (!needed) return std::unexpected(reverted("percentDiv overflow or zero bonus"));
        out.debt_to_repay = *needed;
    } else {
        collateral_amount = *max_collateral;
        out.debt_to_repay = debt_to_cover;
    }

    if (rules != PoolRules::EarlyV3) {
        const auto base = to_base(collateral_amount, collateral_price, *collateral_unit, false);
        if (!base) return std::unexpected(base.error());
        out.collateral_base = *base;
    }

    if (liquidation_protocol_fee_bps != 0) {
        // The fee is a share of the bonus part only: amount - amount / bonus.
        const auto without_bonus = v37 ? percent_div_floor(collateral_amount, bonus) : percent_div(collateral_amount, bonus);
        if (!without_bonus) return std::unexpected(reverted("percentDiv overflow or zero bonus"));
        const auto bonus_collateral = checked_sub(collateral_amount, *without_bonus);
        if (!bonus_collateral) return std::unexpected(reverted("bonus below 100%"));
        const U256 fee_bps(liquidation_protocol_fee_bps);
        const auto fee = v37 ? percent_mul_ceil(*bonus_collateral, fee_bps) : percent_mul(*bonus_collateral, fee_bps);
        if (!fee) return std::unexpected(reverted("percentMul overflow"));
        const auto remaining = checked_sub(collateral_amount, *fee);
        if (!remaining) return std::unexpected(reverted("protocol fee above collateral"));
        out.protocol_fee = *fee;
        collateral_amount = *remaining;
    }
    out.collateral_to_liquidator = collateral_amount;
    return out;
}

namespace {

// Up to v3.3 (and in EarlyV3) ScaledBalanceTokenBase._burn refuses an amount
// that scales to zero at half-up rounding: the debt burn (variable debt
// first) and, unless the liquidator takes aTokens, the collateral burn. Dust
// left by an earlier liquidation (interest accrued while it was pending)
// ends here.
Result<void> check_early_burns(const LiquidationQuote& q, const ReserveSnapshot& debt,
                               const ReserveSnapshot& collateral, bool receive_a_token) {
    const auto burn_scaled = [](const U256& amount, const U256& index) {
        const auto scaled = ray_div(amount, index);
        return scaled && !scaled->is_zero();
    };
    // A zero repayment (collateral worth less than one debt unit) burns 0 of
    // the variable debt token, whatever the user's debt mix.
    if (q.amounts.debt_to_repay.is_zero()) return fail("aave: INVALID_BURN_AMOUNT (debt)");
    const auto variable_debt = ray_mul(debt.scaled_variable_debt, debt.normalized_debt_ray);
    if (variable_debt && !variable_debt->is_zero()) {
        const U256 burned = min(*variable_debt, q.amounts.debt_to_repay);
        if (!burn_scaled(burned, debt.normalized_debt_ray)) return fail("aave: INVALID_BURN_AMOUNT (debt)");
    }
    if (!receive_a_token && !burn_scaled(q.amounts.collateral_to_liquidator, collateral.normalized_income_ray))
        return fail("aave: INVALID_BURN_AMOUNT (collateral)");
    return {};
}

// hasNoCollateralLeft. v3.3-v3.6: the collateral liquidated (fee included),
// valued in base rounded down, equals the user's whole collateral in base.
// v3.7: the scaled aTokens the burn (ceil) and the fee transfer (ceil)
// consume, capped at the scaled balance, valued back (floor) in base.
Result<bool> takes_last_collateral(PoolRules rules, const LiquidationQuote& q, const ReserveSnapshot& collateral,
                                   const U256& collateral_unit) {
    if (!tracks_deficit(rules)) return false;
    if (rules != PoolRules::V3_7) return q.account.total_collateral_base == q.amounts.collateral_base;
    const auto burnt = ray_div_ceil(q.amounts.collateral_to_liquidator, collateral.normalized_income_ray);
    const auto fee = ray_div_ceil(q.amounts.protocol_fee, collateral.normalized_income_ray);
    if (!burnt || !fee) return fail("aave: scaled collateral consumed overflows");
    const auto sum = checked_add(*burnt, *fee);
    if (!sum) return fail("aave: scaled collateral consumed overflows");
    const U256 consumed = min(*sum, collateral.scaled_atoken_balance);
    const auto balance = ray_mul_floor(consumed, collateral.normalized_income_ray);
    if (!balance) return fail("aave: collateral consumed overflows");
    const auto base = to_base(*balance, q.collateral_price, collateral_unit, false);
    if (!base) return std::unexpected(base.error());
    return *base == q.account.total_collateral_base;
}

}  // namespace

Result<LiquidationQuote> quote_liquidation(PoolRules rules, const UserAccount& account, const LiquidationCall& call) {
    const ReserveSnapshot* collateral = find_reserve(account, call.collateral_reserve_id);
    const ReserveSnapshot* debt = find_reserve(account, call.debt_reserve_id);
    if (collateral == nullptr || debt == nullptr) return fail("aave: liquidation: reserve snapshot missing");

    LiquidationQuote q;
    const auto data = calculate_user_account_data(rules, account);
    if (!data) return std::unexpected(data.error());
    q.account = *data;

    const auto collateral_balance = atoken_balance(rules, *collateral);
    const auto debt_total = debt_balance(rules, *debt);
    if (!collateral_balance) return std::unexpected(collateral_balance.error());
    if (!debt_total) return std::unexpected(debt_total.error());
    q.user_collateral_balance = *collateral_balance;
    q.user_debt_balance = account.config.is_borrowing(debt->id) ? *debt_total : U256();

    // ValidationLogic.validateLiquidationCall, in the contract's order.
    if (!collateral->config.active || !debt->config.active) return fail("aave: RESERVE_INACTIVE");
    if (collateral->config.paused || debt->config.paused) return fail("aave: RESERVE_PAUSED");
    if (!q.account.liquidatable()) return fail("aave: HEALTH_FACTOR_NOT_BELOW_THRESHOLD");
    // Up to v3.5 a collateral with threshold 0 cannot be liquidated; v3.6
    // checks only the user's collateral flag.
    const bool threshold_blocks = !liquid_emode_ltv(rules) && collateral->config.liquidation_threshold_bps == 0;
    if (threshold_blocks || !account.config.is_using_as_collateral(collateral->id))
        return fail("aave: COLLATERAL_CANNOT_BE_LIQUIDATED");
    if (q.user_debt_balance.is_zero()) return fail("aave: SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER");

    const bool collateral_in_emode = in_emode(rules, account, *collateral);
    q.liquidation_bonus_bps =
        collateral_in_emode ? account.emode.liquidation_bonus_bps : collateral->config.liquidation_bonus_bps;
    q.collateral_price = collateral->price;
    q.debt_price = debt->price;
    if (rules == PoolRules::EarlyV3 && account.emode_category_id != 0 && !account.emode.price_source_price.is_zero()) {
        // _getConfigurationData: the eMode oracle prices the collateral only if
        // it is in the category, the debt always (it must be in the category).
        if (collateral_in_emode) q.collateral_price = account.emode.price_source_price;
        q.debt_price = account.emode.price_source_price;
    }
    const auto collateral_unit = asset_unit(collateral->config.decimals);
    const auto debt_unit = asset_unit(debt->config.decimals);
    if (!collateral_unit || !debt_unit) return fail("aave: reserve decimals above 77");

    if (rules == PoolRules::EarlyV3) {
        const U256 close_factor = q.account.health_factor_wad > close_factor_hf_threshold_wad() ? U256(5'000) : U256(10'000);
        const auto max = percent_mul(q.user_debt_balance, close_factor);
        if (!max) return fail("aave: close factor overflow");
        q.max_liquidatable_debt = *max;
    } else {
        q.max_liquidatable_debt = q.user_debt_balance;
        const auto debt_base = to_base(q.user_debt_balance, q.debt_price, *debt_unit, rounds_for_protocol(rules));
        const auto collateral_base = to_base(q.user_collateral_balance, q.collateral_price, *collateral_unit, false);
        if (!debt_base) return std::unexpected(debt_base.error());
        if (!collateral_base) return std::unexpected(collateral_base.error());
        if (*collateral_base >= min_base_max_close_factor_threshold() &&
            *debt_base >= min_base_max_close_factor_threshold() &&
            q.account.health_factor_wad > close_factor_hf_threshold_wad()) {
            const auto half_of_total = percent_mul(q.account.total_debt_base, U256(5'000));
            if (!half_of_total) return fail("aave: close factor overflow");
            if (*debt_base > *half_of_total) {
                const auto scaled = checked_mul(*half_of_total, *debt_unit);
                if (!scaled || q.debt_price.is_zero()) return fail("aave: close factor overflow or zero price");
                q.max_liquidatable_debt = *scaled / q.debt_price;
            }
        }
    }
    const U256 debt_to_cover = min(call.debt_to_cover, q.max_liquidatable_debt);

    const auto amounts = calculate_available_collateral_to_liquidate(
        rules, q.collateral_price, collateral->config.decimals, q.debt_price, debt->config.decimals, debt_to_cover,
        q.user_collateral_balance, q.liquidation_bonus_bps, collateral->config.liquidation_protocol_fee_bps);
    if (!amounts) return std::unexpected(amounts.error());
    q.amounts = *amounts;

    if (rules == PoolRules::EarlyV3) {
        if (auto burns = check_early_burns(q, *debt, *collateral, call.receive_a_token); !burns) return std::unexpected(burns.error());
        return q;
    }

    // Dust rule: either all debt, all collateral, or >= MIN_LEFTOVER_BASE of both stays.
    const U256 collateral_taken = q.amounts.collateral_to_liquidator + q.amounts.protocol_fee;
    if (q.amounts.debt_to_repay < q.user_debt_balance && collateral_taken < q.user_collateral_balance) {
        const auto debt_left = to_base(q.user_debt_balance - q.amounts.debt_to_repay, q.debt_price, *debt_unit,
                                       rounds_for_protocol(rules));
        const auto collateral_left =
            to_base(q.user_collateral_balance - collateral_taken, q.collateral_price, *collateral_unit, false);
        if (!debt_left || !collateral_left) return fail("aave: leftover overflow");
        if (*debt_left < min_leftover_base() || *collateral_left < min_leftover_base())
            return std::unexpected(Error{"aave: MUST_NOT_LEAVE_DUST", ErrorKind::leaves_dust});
    }

    const auto no_collateral_left = takes_last_collateral(rules, q, *collateral, *collateral_unit);
    if (!no_collateral_left) return std::unexpected(no_collateral_left.error());
    q.has_no_collateral_left = *no_collateral_left;

    if (rules == PoolRules::V3_3) {
        if (auto burns = check_early_burns(q, *debt, *collateral, call.receive_a_token); !burns) return std::unexpected(burns.error());
    } else {
        // TokenMath: the debt burn scales down (floor), the collateral burn up
        // (ceil, so only an amount of 0 burns 0). With no collateral left the
        // whole debt of the reserve is burnt, not only the repaid part.
        const U256 burn_amount = q.has_no_collateral_left ? q.user_debt_balance : q.amounts.debt_to_repay;
        const auto burn_scaled = ray_div_floor(burn_amount, debt->normalized_debt_ray);
        if (!burn_scaled || burn_scaled->is_zero()) return fail("aave: INVALID_BURN_AMOUNT (debt)");
        if (!call.receive_a_token && q.amounts.collateral_to_liquidator.is_zero())
            return fail("aave: INVALID_BURN_AMOUNT (collateral)");
    }

    if (q.has_no_collateral_left) {
        // LiquidationLogic._burnDebtTokens, then _burnBadDebt over the user's
        // other debts in id order (inactive reserves are left alone).
        if (q.user_debt_balance > q.amounts.debt_to_repay)
            q.deficits.push_back(Deficit{debt->id, q.user_debt_balance - q.amounts.debt_to_repay});
        for (unsigned i = 0; i < kMaxReserves; ++i) {
            if (i == debt->id || !account.config.is_borrowing(i)) continue;
            const ReserveSnapshot* other = find_reserve(account, i);
            if (other == nullptr || !other->config.active) continue;
            const auto owed = debt_balance(rules, *other);
            if (!owed) return std::unexpected(owed.error());
            if (!owed->is_zero()) q.deficits.push_back(Deficit{i, *owed});
        }
    }
    return q;
}

}  // namespace keeper::aave

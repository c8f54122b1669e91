#include "protocols/aave_v3/aave_evaluation.hpp"

#include <algorithm>

#include "margin/aave_interest.hpp"

namespace keeper::protocols::aave_v3 {

Result<AaveReserveAtBlock> reserve_at_block(const chain::aave_v3::ReserveReading& reading, std::uint64_t timestamp,
                                            aave::PoolRules rules) {
    AaveReserveAtBlock out;
    out.asset = reading.asset;
    out.data = reading.data;
    out.config = aave::ReserveConfig::decode(reading.data.configuration);
    out.price = reading.price;
    const auto& d = reading.data;
    auto income = aave::normalized_income_ray(d.liquidity_index_ray, d.current_liquidity_rate_ray,
                                              d.last_update_timestamp, timestamp);
    if (!income) return std::unexpected(context("reserve " + reading.asset.checksummed() + ": income index", Error(income.error())));
    auto debt = aave::normalized_variable_debt_ray(d.variable_borrow_index_ray, d.current_variable_borrow_rate_ray,
                                                   d.last_update_timestamp, timestamp, aave::compounding_for(rules));
    if (!debt) return std::unexpected(context("reserve " + reading.asset.checksummed() + ": debt index", Error(debt.error())));
    out.normalized_income_ray = *income;
    out.normalized_debt_ray = *debt;
    return out;
}

Result<aave::UserAccount> account_at_block(const chain::aave_v3::UserReading& user,
                                           std::span<const AaveReserveAtBlock> reserves,
                                           const std::map<std::uint8_t, aave::EModeCategory>& emodes) {
    aave::UserAccount account;
    account.config = aave::UserConfig(user.configuration);
    account.emode_category_id = user.emode_category;
    if (user.emode_category != 0) {
        const auto found = emodes.find(user.emode_category);
        if (found == emodes.end())
            return fail("account " + user.user.checksummed() + ": eMode category " +
                        std::to_string(user.emode_category) + " was not read");
        account.emode = found->second;
    }
    for (const auto& balance : user.balances) {
        const auto reserve = std::find_if(reserves.begin(), reserves.end(), [&](const AaveReserveAtBlock& r) {
            return r.data.id == balance.reserve_id;
        });
        if (reserve == reserves.end())
            return fail("account " + user.user.checksummed() + " flags reserve " + std::to_string(balance.reserve_id) +
                        " which the pool does not list");
        aave::ReserveSnapshot snapshot;
        snapshot.id = balance.reserve_id;
        snapshot.config = reserve->config;
        snapshot.price = reserve->price;
        snapshot.normalized_income_ray = reserve->normalized_income_ray;
        snapshot.normalized_debt_ray = reserve->normalized_debt_ray;
        snapshot.scaled_atoken_balance = balance.scaled_a_token;
        snapshot.scaled_variable_debt = balance.scaled_variable_debt;
        snapshot.stable_debt = balance.stable_debt;
        account.reserves.push_back(snapshot);
    }
    return account;
}

Result<std::optional<AaveAccountHealth>> judge_aave_account(aave::PoolRules rules,
                                                            const chain::aave_v3::UserReading& user,
                                                            std::span<const AaveReserveAtBlock> reserves,
                                                            const std::map<std::uint8_t, aave::EModeCategory>& emodes) {
    bool borrows = false;
    const aave::UserConfig config(user.configuration);
    for (const auto& b : user.balances) borrows = borrows || config.is_borrowing(b.reserve_id);
    if (!borrows) return std::optional<AaveAccountHealth>();
    auto input = account_at_block(user, reserves, emodes);
    if (!input) return std::unexpected(input.error());
    auto data = aave::calculate_user_account_data(rules, *input);
    if (!data) return fail("account " + user.user.checksummed() + ": " + data.error().message);
    if (data->total_debt_base.is_zero()) return std::optional<AaveAccountHealth>();
    return std::optional<AaveAccountHealth>(
        AaveAccountHealth{user.user, std::move(*input), *data, data->liquidatable()});
}

bool riskier(const AaveAccountHealth& a, const AaveAccountHealth& b) {
    if (a.data.health_factor_wad != b.data.health_factor_wad)
        return a.data.health_factor_wad < b.data.health_factor_wad;
    return a.account.bytes < b.account.bytes;
}

std::vector<AaveAccountHealth> evaluate_aave_accounts(aave::PoolRules rules,
                                                      const std::map<Address, chain::aave_v3::UserReading>& users,
                                                      std::span<const AaveReserveAtBlock> reserves,
                                                      const std::map<std::uint8_t, aave::EModeCategory>& emodes,
                                                      std::vector<std::string>* errors) {
    std::vector<AaveAccountHealth> rows;
    rows.reserve(users.size());
    for (const auto& entry : users) {
        auto judged = judge_aave_account(rules, entry.second, reserves, emodes);
        if (!judged) {
            if (errors != nullptr) errors->push_back(judged.error().message);
            continue;
        }
        std::optional<AaveAccountHealth> row = std::move(*judged);
        if (row) rows.push_back(std::move(*row));
    }
    std::sort(rows.begin(), rows.end(), riskier);
    return rows;
}

Result<aave::PoolRules> rules_for_revision(std::uint64_t revision) { return aave::rules_for_pool_revision(revision); }

}  // namespace keeper::protocols::aave_v3

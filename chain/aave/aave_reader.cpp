#include "chain/aave/aave_reader.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "chain/json_fields.hpp"
#include "chain/rpc_types.hpp"
#include "margin/aave_v3_config.hpp"

namespace keeper::chain::aave_v3 {
namespace {

using nlohmann::json;

// eth_calls pinned to one block, sent in batches of at most `max`; entry i
// of the answers is calls[i]'s.
class Batch {
public:
    Batch(std::uint64_t block, std::size_t max, bool pending = false)
        : block_(pending ? BlockId::pending() : BlockId::number(block)), max_(std::max<std::size_t>(1, max)) {}

    std::size_t add(const Address& to, Bytes data) {
        CallRequest request;
        request.to = to;
        request.data = std::move(data);
        calls_.push_back(RpcCall{"eth_call", json::array({request.to_json(), block_.to_json()})});
        return calls_.size() - 1;
    }
    bool empty() const { return calls_.empty(); }

    Result<std::vector<RpcResult<json>>> send(JsonRpcClient& client, std::string_view stage) const {
        std::vector<RpcResult<json>> out;
        out.reserve(calls_.size());
        for (std::size_t first = 0; first < calls_.size(); first += max_) {
            const std::size_t count = std::min(max_, calls_.size() - first);
            const std::vector<RpcCall> part(calls_.begin() + static_cast<std::ptrdiff_t>(first),
                                            calls_.begin() + static_cast<std::ptrdiff_t>(first + count));
            auto answers = client.batch(part);
            if (!answers) return std::unexpected(context(stage, answers.error()));
            for (auto& a : *answers) out.push_back(std::move(a));
        }
        return out;
    }

private:
    BlockId block_;
    std::size_t max_;
    std::vector<RpcCall> calls_;
};

// One eth_call answer, decoded; errors name the call.
template <class Decode>
auto answer(const RpcResult<json>& reply, std::string_view call, Decode decode) -> decltype(decode(ByteView{})) {
    if (!reply) return fail(std::string(call) + ": " + reply.error().message);
    auto data = field::data(*reply, "result");
    if (!data) return std::unexpected(context(call, data.error()));
    auto value = decode(ByteView(*data));
    if (!value) return std::unexpected(context(call, value.error()));
    return value;
}

std::string named(std::string_view what, const Address& a) { return std::string(what) + " " + a.checksummed(); }

Result<Address> nonzero(Result<Address> a, std::string_view call) {
    if (a && a->is_zero()) return fail(std::string(call) + ": the zero address");
    return a;
}

}  // namespace

Result<PoolAddresses> read_pool_addresses(JsonRpcClient& client, const Address& provider, std::uint64_t block) {
    constexpr std::string_view stage = "aave read_pool_addresses";
    Batch batch(block, 2);
    batch.add(provider, encode_get_pool());
    batch.add(provider, encode_get_price_oracle());
    auto answers = batch.send(client, stage);
    if (!answers) return std::unexpected(answers.error());
    auto pool = nonzero(answer((*answers)[0], "getPool()", decode_address), "getPool()");
    if (!pool) return std::unexpected(context(named(stage, provider), pool.error()));
    auto oracle = nonzero(answer((*answers)[1], "getPriceOracle()", decode_address), "getPriceOracle()");
    if (!oracle) return std::unexpected(context(named(stage, provider), oracle.error()));
    return PoolAddresses{*pool, *oracle};
}

Result<std::uint64_t> read_pool_revision(JsonRpcClient& client, const Address& pool, std::uint64_t block) {
    constexpr std::string_view stage = "aave read_pool_revision";
    Batch batch(block, 1);
    batch.add(pool, encode_pool_revision());
    auto answers = batch.send(client, stage);
    if (!answers) return std::unexpected(answers.error());
    auto revision = answer((*answers)[0], "POOL_REVISION()", decode_uint256);
    if (!revision) return std::unexpected(context(stage, revision.error()));
    if (!revision->fits_u64())
        return fail(std::string(stage) + ": POOL_REVISION() " + revision->to_dec() + " does not fit 64 bits");
    return revision->low64();
}

Result<std::vector<ReserveReading>> read_reserves(JsonRpcClient& client, const Address& pool, const Address& oracle,
                                                  std::uint64_t block, const ReadOptions& options) {
    constexpr std::string_view stage = "aave read_reserves";
    Batch list_batch(block, 1, options.at_pending);
    list_batch.add(pool, encode_get_reserves_list());
    auto list_answers = list_batch.send(client, stage);
    if (!list_answers) return std::unexpected(list_answers.error());
    auto list = answer((*list_answers)[0], "getReservesList()", decode_address_array);
    if (!list) return std::unexpected(context(stage, list.error()));
    std::vector<ReserveReading> out;
    if (list->empty()) return out;

    // One call per reserve at k*i (three with the indexes: k*i+1, k*i+2), then the prices of all.
    const std::size_t k = options.normalized_indexes ? 3 : 1;
    Batch batch(block, options.max_calls_per_batch, options.at_pending);
    for (const Address& asset : *list) {
        batch.add(pool, encode_get_reserve_data(asset));
        if (options.normalized_indexes) {
            batch.add(pool, encode_get_reserve_normalized_income(asset));
            batch.add(pool, encode_get_reserve_normalized_variable_debt(asset));
        }
    }
    const std::size_t prices_at = batch.add(oracle, encode_get_assets_prices(*list));
    auto answers = batch.send(client, stage);
    if (!answers) return std::unexpected(answers.error());

    const std::size_t n = list->size();
    auto prices = answer((*answers)[prices_at], "getAssetsPrices()",
                         [n](ByteView d) { return decode_uint256_array(d, n); });
    if (!prices) return std::unexpected(context(stage, prices.error()));

    // Whose each id is, to refuse two reserves claiming one bit pair.
    std::array<std::optional<Address>, aave::kMaxReserves> owner_of{};
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Address& asset = (*list)[i];
        const std::string name = std::string(stage) + ": " + named("reserve", asset);
        auto data = answer((*answers)[k * i], "getReserveData()", decode_reserve_data);
        if (!data) return std::unexpected(context(name, data.error()));
        // A listed reserve always has an aToken; all zeros is an asset the
        // pool does not know, i.e. not this pool's answer.
        if (data->a_token.is_zero()) return fail(name + ": getReserveData(): no aToken (not a reserve)");
        if (data->id >= aave::kMaxReserves)
            return fail(name + ": getReserveData(): id " + std::to_string(data->id) + " is beyond the " +
                        std::to_string(aave::kMaxReserves) + " reserves a pool holds");
        auto& owner = owner_of[data->id];
        if (owner)
            return fail(name + ": getReserveData(): id " + std::to_string(data->id) + " is also " +
                        named("reserve", *owner) + "'s");
        owner = asset;
        ReserveReading reading{asset, *data, (*prices)[i], std::nullopt, std::nullopt};
        if (options.normalized_indexes) {
            auto income = answer((*answers)[k * i + 1], "getReserveNormalizedIncome()", decode_uint256);
            if (!income) return std::unexpected(context(name, income.error()));
            auto debt = answer((*answers)[k * i + 2], "getReserveNormalizedVariableDebt()", decode_uint256);
            if (!debt) return std::unexpected(context(name, debt.error()));
            reading.normalized_income_ray = *income;
            reading.normalized_variable_debt_ray = *debt;
        }
        out.push_back(std::move(reading));
    }
    return out;
}

Result<std::vector<EModeReading>> read_emode_categories(JsonRpcClient& client, const Address& pool,
                                                        const Address& oracle, std::span<const std::uint8_t> ids,
                                                        std::uint64_t block, const ReadOptions& options) {
    constexpr std::string_view stage = "aave read_emode_categories";
    std::vector<EModeReading> out;
    if (ids.empty()) return out;
    Batch batch(block, options.max_calls_per_batch, options.at_pending);
    // Per category: its data, then (liquid eModes) its two bitmaps, then (v3.7) its isolation flag.
    const std::size_t per_id = 1 + (options.liquid_emodes ? 2 : 0) + (options.emode_isolation ? 1 : 0);
    for (const std::uint8_t id : ids) {
        batch.add(pool, encode_get_emode_category_data(id));
        if (options.liquid_emodes) {
            batch.add(pool, encode_get_emode_collateral_bitmap(id));
            batch.add(pool, encode_get_emode_ltvzero_bitmap(id));
        }
        if (options.emode_isolation) batch.add(pool, encode_get_emode_isolated(id));
    }
    auto answers = batch.send(client, stage);
    if (!answers) return std::unexpected(answers.error());

    Batch prices(block, options.max_calls_per_batch, options.at_pending);
    std::vector<std::size_t> price_of;  // prices' call k belongs to out[price_of[k]]
    out.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::size_t at = i * per_id;
        const std::string where = std::string(stage) + ": category " + std::to_string(ids[i]);
        auto category = answer((*answers)[at], "getEModeCategoryData()", decode_emode_category);
        if (!category) return std::unexpected(context(where, category.error()));
        EModeReading reading;
        reading.id = ids[i];
        reading.category = std::move(*category);
        if (options.liquid_emodes) {
            auto collateral = answer((*answers)[at + 1], "getEModeCategoryCollateralBitmap()", decode_uint256);
            auto ltvzero = answer((*answers)[at + 2], "getEModeCategoryLtvzeroBitmap()", decode_uint256);
            if (!collateral) return std::unexpected(context(where, collateral.error()));
            if (!ltvzero) return std::unexpected(context(where, ltvzero.error()));
            reading.collateral_bitmap = *collateral;
            reading.ltvzero_bitmap = *ltvzero;
        }
        if (options.emode_isolation) {
            auto isolated = answer((*answers)[per_id * i + per_id - 1], "getIsEModeCategoryIsolated()", decode_uint256);
            if (!isolated) return std::unexpected(context(where, isolated.error()));
            reading.isolated = !isolated->is_zero();
        }
        if (!reading.category.price_source.is_zero()) {
            prices.add(oracle, encode_get_asset_price(reading.category.price_source));
            price_of.push_back(i);
        }
        out.push_back(std::move(reading));
    }
    if (prices.empty()) return out;

    auto price_answers = prices.send(client, stage);
    if (!price_answers) return std::unexpected(price_answers.error());
    for (std::size_t k = 0; k < price_of.size(); ++k) {
        EModeReading& e = out[price_of[k]];
        auto price = answer((*price_answers)[k], "getAssetPrice(" + e.category.price_source.checksummed() + ")",
                            decode_uint256);
        if (!price)
            return std::unexpected(context(std::string(stage) + ": category " + std::to_string(e.id), price.error()));
        e.price_source_price = *price;
    }
    return out;
}

Result<std::vector<UserReading>> read_users(JsonRpcClient& client, const Address& pool,
                                            std::span<const ReserveReading> reserves, std::span<const Address> users,
                                            std::uint64_t block, const ReadOptions& options) {
    constexpr std::string_view stage = "aave read_users";
    std::vector<UserReading> out;
    if (users.empty()) return out;

    Batch first(block, options.max_calls_per_batch);
    for (const Address& user : users) {
        first.add(pool, encode_get_user_configuration(user));
        first.add(pool, encode_get_user_emode(user));
    }
    auto first_answers = first.send(client, stage);
    if (!first_answers) return std::unexpected(first_answers.error());

    std::array<const ReserveReading*, aave::kMaxReserves> reserve_of{};
    for (const ReserveReading& r : reserves)
        if (r.data.id < aave::kMaxReserves) reserve_of[r.data.id] = &r;

    // Where each balance's answers are in the second batch.
    struct Slot {
        std::size_t user, balance, a_token, variable_debt;
        std::optional<std::size_t> stable_debt;
    };
    Batch second(block, options.max_calls_per_batch);
    std::vector<Slot> slots;
    out.reserve(users.size());
    for (std::size_t u = 0; u < users.size(); ++u) {
        const Address& user = users[u];
        const std::string name = std::string(stage) + ": " + named("user", user);
        auto configuration = answer((*first_answers)[2 * u], "getUserConfiguration()", decode_uint256);
        if (!configuration) return std::unexpected(context(name, configuration.error()));
        auto emode = answer((*first_answers)[2 * u + 1], "getUserEMode()", decode_uint256);
        if (!emode) return std::unexpected(context(name, emode.error()));
        if (*emode > U256(255)) return fail(name + ": getUserEMode(): category " + emode->to_dec() + " exceeds 255");

        UserReading reading{user, *configuration, static_cast<std::uint8_t>(emode->low64()), {}};
        const aave::UserConfig config(*configuration);
        for (unsigned id = 0; id < aave::kMaxReserves; ++id) {
            if (!config.is_using_as_collateral_or_borrowing(id)) continue;
            const ReserveReading* r = reserve_of[id];
            if (r == nullptr)
                return fail(name + ": getUserConfiguration() flags reserve id " + std::to_string(id) +
                            ", which is not among the " + std::to_string(reserves.size()) + " reserves read");
            Slot slot{u, reading.balances.size(), second.add(r->data.a_token, encode_scaled_balance_of(user)),
                      second.add(r->data.variable_debt_token, encode_scaled_balance_of(user)), std::nullopt};
            if (!r->data.stable_debt_token.is_zero())
                slot.stable_debt = second.add(r->data.stable_debt_token, encode_balance_of(user));
            slots.push_back(slot);
            reading.balances.push_back(UserReserveBalance{static_cast<std::uint16_t>(id), U256(0), U256(0), U256(0)});
        }
        out.push_back(std::move(reading));
    }
    if (second.empty()) return out;

    auto second_answers = second.send(client, stage);
    if (!second_answers) return std::unexpected(second_answers.error());
    for (const Slot& slot : slots) {
        UserReading& reading = out[slot.user];
        UserReserveBalance& balance = reading.balances[slot.balance];
        const std::string name = std::string(stage) + ": " + named("user", reading.user) + ": reserve id " +
                                 std::to_string(balance.reserve_id);
        auto a_token = answer((*second_answers)[slot.a_token], "aToken scaledBalanceOf()", decode_uint256);
        if (!a_token) return std::unexpected(context(name, a_token.error()));
        auto variable = answer((*second_answers)[slot.variable_debt], "variableDebtToken scaledBalanceOf()",
                               decode_uint256);
        if (!variable) return std::unexpected(context(name, variable.error()));
        balance.scaled_a_token = *a_token;
        balance.scaled_variable_debt = *variable;
        if (slot.stable_debt) {
            auto stable = answer((*second_answers)[*slot.stable_debt], "stableDebtToken balanceOf()", decode_uint256);
            if (!stable) return std::unexpected(context(name, stable.error()));
            balance.stable_debt = *stable;
        }
    }
    return out;
}

}  // namespace keeper::chain::aave_v3

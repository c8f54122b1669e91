#include "chain/morpho/morpho_reader.hpp"

#include <string>

#include "chain/json_fields.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/rpc_types.hpp"

namespace keeper::chain::morpho_blue {
namespace {

RpcCall eth_call(const Address& to, Bytes data, const BlockId& block) {
    CallRequest request;
    request.to = to;
    request.data = std::move(data);
    return RpcCall{"eth_call", nlohmann::json::array({request.to_json(), block.to_json()})};
}

// All calls in batches of at most `max` calls; entry i answers calls[i].
RpcResult<std::vector<RpcResult<nlohmann::json>>> batched(JsonRpcClient& client, const std::vector<RpcCall>& calls,
                                                          std::size_t max) {
    std::vector<RpcResult<nlohmann::json>> out;
    out.reserve(calls.size());
    for (std::size_t first = 0; first < calls.size(); first += max) {
        const std::size_t count = std::min(max, calls.size() - first);
        const std::vector<RpcCall> part(calls.begin() + static_cast<std::ptrdiff_t>(first),
                                        calls.begin() + static_cast<std::ptrdiff_t>(first + count));
        auto answers = client.batch(part);
        if (!answers) return rpc_fail(rpc_context("morpho read_markets", answers.error()));
        for (auto& a : *answers) out.push_back(std::move(a));
    }
    return out;
}

// One eth_call answer, decoded; errors name the call.
template <class T>
Result<T> answer(const RpcResult<nlohmann::json>& reply, const char* call, Result<T> (*decode)(ByteView)) {
    if (!reply) return fail(std::string(call) + ": " + reply.error().message);
    auto data = field::data(*reply, "result");
    if (!data) return std::unexpected(context(call, data.error()));
    auto value = decode(*data);
    if (!value) return std::unexpected(context(call, value.error()));
    return value;
}

}  // namespace

RpcResult<std::vector<Result<MarketReading>>> read_markets(
    JsonRpcClient& client, const Address& morpho,
    std::span<const std::pair<morpho::MarketId, morpho::MarketParams>> markets, std::uint64_t block,
    const ReadOptions& options) {
    return read_markets(client, morpho, markets, BlockId::number(block), options);
}

RpcResult<std::vector<Result<MarketReading>>> read_markets(
    JsonRpcClient& client, const Address& morpho,
    std::span<const std::pair<morpho::MarketId, morpho::MarketParams>> markets, const BlockId& at,
    const ReadOptions& options) {
    std::vector<Result<MarketReading>> out;
    if (markets.empty()) return out;
    const std::size_t max = std::max<std::size_t>(1, options.max_calls_per_batch);

    std::vector<RpcCall> first;
    first.reserve(2 * markets.size());
    for (const auto& [id, params] : markets) {
        first.push_back(eth_call(morpho, encode_market(id), at));
        first.push_back(eth_call(params.oracle, encode_oracle_price(), at));
    }
    auto first_answers = batched(client, first, max);
    if (!first_answers) return rpc_fail(first_answers.error());

    out.reserve(markets.size());
    std::vector<RpcCall> rates;
    std::vector<std::size_t> rate_of;  // rates[k] belongs to markets[rate_of[k]]
    for (std::size_t i = 0; i < markets.size(); ++i) {
        const auto& [id, params] = markets[i];
        const std::string name = "market " + id.hex();
        auto state = answer<morpho::MarketState>((*first_answers)[2 * i], "market(id)", decode_market);
        if (state && state->last_update == 0) state = fail("market(id): not created (lastUpdate is 0)");
        auto price = answer<U256>((*first_answers)[2 * i + 1], "oracle price()", decode_uint256);
        if (!state) {
            out.push_back(std::unexpected(context(name, state.error())));
        } else if (!price) {
            out.push_back(std::unexpected(context(name, price.error())));
        } else {
            out.push_back(MarketReading{*state, *price, U256(0)});
            if (!params.irm.is_zero()) {
                rates.push_back(eth_call(params.irm, encode_borrow_rate_view(params, *state), at));
                rate_of.push_back(i);
            }
        }
    }
    if (rates.empty()) return out;

    auto rate_answers = batched(client, rates, max);
    if (!rate_answers) return rpc_fail(rate_answers.error());
    for (std::size_t k = 0; k < rates.size(); ++k) {
        const std::size_t i = rate_of[k];
        auto rate = answer<U256>((*rate_answers)[k], "irm borrowRateView()", decode_uint256);
        if (rate)
            out[i]->borrow_rate_wad = *rate;
        else
            out[i] = std::unexpected(context("market " + markets[i].first.hex(), rate.error()));
    }
    return out;
}

}  // namespace keeper::chain::morpho_blue

#include "chain/morpho/morpho_calls.hpp"

#include <string>
#include <string_view>

#include "core/abi_signature.hpp"
#include "core/abi_static_call.hpp"
#include "core/abi_words.hpp"
#include "core/keccak.hpp"

namespace keeper::chain::morpho_blue {
namespace {

constexpr std::size_t kWord = 32;

// A MarketParams tuple: all static, so one word per field, in place.
abi::StaticCall& with_params(abi::StaticCall& call, const morpho::MarketParams& p) {
    return call.address(p.loan_token).address(p.collateral_token).address(p.oracle).address(p.irm).uint(p.lltv_wad);
}

constexpr std::string_view kParamsTuple = "(address,address,address,address,uint256)";

Result<void> expect_words(ByteView data, std::size_t words, std::string_view what) {
    if (data.size() != words * kWord)
        return fail(std::string(what) + ": expected " + std::to_string(words * kWord) + " bytes of return data, found " +
                    std::to_string(data.size()));
    return {};
}

}  // namespace

Bytes encode_liquidate(const morpho::MarketParams& params, const Address& borrower, const U256& seized_assets,
                       const U256& repaid_shares, ByteView data) {
    static const abi::Function liquidate =
        abi::parse_function("liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)")
            .value();
    const abi::Value::List market{abi::Value(params.loan_token), abi::Value(params.collateral_token),
                                  abi::Value(params.oracle), abi::Value(params.irm), abi::Value(params.lltv_wad)};
    const abi::Value args[] = {abi::Value(market), abi::Value(borrower), abi::Value(seized_assets),
                               abi::Value(repaid_shares), abi::Value(Bytes(data.begin(), data.end()))};
    // Every value matches its type by construction: a failure is a bug.
    return abi::encode_call(liquidate, args).value();
}

Bytes encode_market(const morpho::MarketId& id) { return abi::StaticCall("market(bytes32)").fixed(id.view()).take(); }

Result<morpho::MarketState> decode_market(ByteView data) {
    if (auto ok = expect_words(data, 6, "market"); !ok) return std::unexpected(ok.error());
    U256 fields[6];
    for (std::size_t i = 0; i < 6; ++i) {
        auto v = abi::read_uint(data, i, 128);
        if (!v) return std::unexpected(context("market: word " + std::to_string(i), v.error()));
        fields[i] = *v;
    }
    if (!fields[4].fits_u64()) return fail("market: lastUpdate " + fields[4].to_dec() + " does not fit 64 bits");
    morpho::MarketState m;
    m.total_supply_assets = fields[0];
    m.total_supply_shares = fields[1];
    m.total_borrow_assets = fields[2];
    m.total_borrow_shares = fields[3];
    m.last_update = fields[4].low64();
    m.fee_wad = fields[5];
    return m;
}

Bytes encode_position(const morpho::MarketId& id, const Address& user) {
    return abi::StaticCall("position(bytes32,address)").fixed(id.view()).address(user).take();
}

Result<morpho::Position> decode_position(ByteView data) {
    if (auto ok = expect_words(data, 3, "position"); !ok) return std::unexpected(ok.error());
    auto supply = abi::read_uint(data, 0, 256);
    auto borrow = abi::read_uint(data, 1, 128);
    auto collateral = abi::read_uint(data, 2, 128);
    if (!supply) return std::unexpected(context("position: supplyShares", supply.error()));
    if (!borrow) return std::unexpected(context("position: borrowShares", borrow.error()));
    if (!collateral) return std::unexpected(context("position: collateral", collateral.error()));
    return morpho::Position{*supply, *borrow, *collateral};
}

Bytes encode_id_to_market_params(const morpho::MarketId& id) {
    return abi::StaticCall("idToMarketParams(bytes32)").fixed(id.view()).take();
}

Result<morpho::MarketParams> decode_market_params(ByteView data) {
    if (auto ok = expect_words(data, 5, "idToMarketParams"); !ok) return std::unexpected(ok.error());
    Address addresses[4];
    for (std::size_t i = 0; i < 4; ++i) {
        auto a = abi::read_address(data, i);
        if (!a) return std::unexpected(context("idToMarketParams: word " + std::to_string(i), a.error()));
        addresses[i] = *a;
    }
    auto lltv = abi::read_uint256(data, 4);
    if (!lltv) return std::unexpected(context("idToMarketParams: lltv", lltv.error()));
    return morpho::MarketParams{addresses[0], addresses[1], addresses[2], addresses[3], *lltv};
}

Bytes encode_oracle_price() { return abi::StaticCall("price()").take(); }

Bytes encode_borrow_rate_view(const morpho::MarketParams& params, const morpho::MarketState& market) {
    static const std::string signature = "borrowRateView(" + std::string(kParamsTuple) +
                                         ",(uint128,uint128,uint128,uint128,uint128,uint128))";
    abi::StaticCall call(signature);
    return with_params(call, params)
        .uint(market.total_supply_assets)
        .uint(market.total_supply_shares)
        .uint(market.total_borrow_assets)
        .uint(market.total_borrow_shares)
        .uint(U256(market.last_update))
        .uint(market.fee_wad)
        .take();
}

Bytes encode_accrue_interest(const morpho::MarketParams& params) {
    static const std::string signature = "accrueInterest(" + std::string(kParamsTuple) + ")";
    abi::StaticCall call(signature);
    return with_params(call, params).take();
}

Bytes encode_erc20_balance_of(const Address& account) {
    return abi::StaticCall("balanceOf(address)").address(account).take();
}

Bytes encode_erc20_allowance(const Address& owner, const Address& spender) {
    return abi::StaticCall("allowance(address,address)").address(owner).address(spender).take();
}

Bytes encode_erc20_approve(const Address& spender, const U256& amount) {
    return abi::StaticCall("approve(address,uint256)").address(spender).uint(amount).take();
}

Result<U256> decode_uint256(ByteView data) {
    if (auto ok = expect_words(data, 1, "uint256"); !ok) return std::unexpected(ok.error());
    return U256::from_be(data);
}

}  // namespace keeper::chain::morpho_blue

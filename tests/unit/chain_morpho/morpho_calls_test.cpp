// Morpho Blue calldata against `cast calldata "<signature>" <args>` and the
// return-data decoders against `cast abi-encode`. Market: WETH/USDC at 86%,
// id 0x9cd7...a194 (unit/margin_morpho); alice 0x..0a11ce, bob 0x..000b0b.
#include <gtest/gtest.h>

#include <string>

#include "chain/morpho/morpho_calls.hpp"
#include "core/hex.hpp"

namespace keeper::chain::morpho_blue {
namespace morpho_calls_test {

using morpho::MarketParams;
using morpho::MarketState;
using morpho::Position;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }
Bytes bytes(const std::string& hex_text) { return hex::decode(hex_text).value(); }
std::string hex_of(const Bytes& b) { return hex::encode(b); }

const Bytes32 kId = Bytes32::from_hex("0x9cd7e77c4da7cb0216f7525af26271a2281f5fca5f16f78b83f36043d6e0a194").value();
const Address kAlice = addr("0x00000000000000000000000000000000000a11ce");
const Address kBob = addr("0x0000000000000000000000000000000000000b0b");

MarketParams weth_usdc() {
    return MarketParams{addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
                        addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"),
                        addr("0xDddd770BADd886dF3864029e4B377B5F6a2B6b83"),
                        addr("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC"), n("860000000000000000")};
}

// The five words of weth_usdc(), as every call taking MarketParams carries them.
const std::string kParamsWords =
    "000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
    "000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
    "000000000000000000000000dddd770badd886df3864029e4b377b5f6a2b6b83"
    "000000000000000000000000870ac11d48b15db9a138cf899d20f13f79ba00bc"
    "0000000000000000000000000000000000000000000000000bef55718ad60000";

TEST(MorphoCalls, LiquidateBySeizedAssetsMatchesCast) {
    // cast calldata "liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)"
    //   "(<weth_usdc>)" 0x..0b0b 400000000000000000 0 0x
    EXPECT_EQ(hex_of(encode_liquidate(weth_usdc(), kBob, n("400000000000000000"), 0)),
              "0xd8eabcb8" + kParamsWords +
                  "0000000000000000000000000000000000000000000000000000000000000b0b"
                  "000000000000000000000000000000000000000000000000058d15e176280000"
                  "0000000000000000000000000000000000000000000000000000000000000000"
                  "0000000000000000000000000000000000000000000000000000000000000120"  // offset of data: 9 words
                  "0000000000000000000000000000000000000000000000000000000000000000");
}

TEST(MorphoCalls, LiquidateByRepaidSharesWithCallbackDataMatchesCast) {
    // ... 0x..0b0b 0 300000000000000000 0xdeadbeef
    const Bytes data = bytes("0xdeadbeef");
    EXPECT_EQ(hex_of(encode_liquidate(weth_usdc(), kBob, 0, n("300000000000000000"), data)),
              "0xd8eabcb8" + kParamsWords +
                  "0000000000000000000000000000000000000000000000000000000000000b0b"
                  "0000000000000000000000000000000000000000000000000000000000000000"
                  "0000000000000000000000000000000000000000000000000429d069189e0000"
                  "0000000000000000000000000000000000000000000000000000000000000120"
                  "0000000000000000000000000000000000000000000000000000000000000004"
                  "deadbeef00000000000000000000000000000000000000000000000000000000");
}

TEST(MorphoCalls, ViewCallsMatchCast) {
    EXPECT_EQ(hex_of(encode_market(kId)), "0x5c60e39a9cd7e77c4da7cb0216f7525af26271a2281f5fca5f16f78b83f36043d6e0a194");
    EXPECT_EQ(hex_of(encode_position(kId, kAlice)),
              "0x93c520629cd7e77c4da7cb0216f7525af26271a2281f5fca5f16f78b83f36043d6e0a194"
              "00000000000000000000000000000000000000000000000000000000000a11ce");
    EXPECT_EQ(hex_of(encode_id_to_market_params(kId)),
              "0x2c3c91579cd7e77c4da7cb0216f7525af26271a2281f5fca5f16f78b83f36043d6e0a194");
    EXPECT_EQ(hex_of(encode_oracle_price()), "0xa035b1fe");
    EXPECT_EQ(hex_of(encode_accrue_interest(weth_usdc())), "0x151c1ade" + kParamsWords);
}

TEST(MorphoCalls, BorrowRateViewCarriesParamsThenTheSixMarketFields) {
    // cast calldata "borrowRateView((address,address,address,address,uint256),(uint128,uint128,uint128,uint128,uint128,uint128))"
    //   "(<weth_usdc>)" "(20000000000,20000000000000000,10000000000,10000000000000000,1700000000,100000000000000000)"
    MarketState m;
    m.total_supply_assets = n("20000000000");
    m.total_supply_shares = n("20000000000000000");
    m.total_borrow_assets = n("10000000000");
    m.total_borrow_shares = n("10000000000000000");
    m.last_update = 1'700'000'000;
    m.fee_wad = n("100000000000000000");
    EXPECT_EQ(hex_of(encode_borrow_rate_view(weth_usdc(), m)),
              "0x8c00bf6b" + kParamsWords +
                  "00000000000000000000000000000000000000000000000000000004a817c800"
                  "00000000000000000000000000000000000000000000000000470de4df820000"
                  "00000000000000000000000000000000000000000000000000000002540be400"
                  "000000000000000000000000000000000000000000000000002386f26fc10000"
                  "000000000000000000000000000000000000000000000000000000006553f100"
                  "000000000000000000000000000000000000000000000000016345785d8a0000");
}

TEST(MorphoCalls, Erc20CallsMatchCast) {
    EXPECT_EQ(hex_of(encode_erc20_balance_of(kAlice)),
              "0x70a0823100000000000000000000000000000000000000000000000000000000000a11ce");
    EXPECT_EQ(hex_of(encode_erc20_allowance(kAlice, kBob)),
              "0xdd62ed3e00000000000000000000000000000000000000000000000000000000000a11ce"
              "0000000000000000000000000000000000000000000000000000000000000b0b");
    EXPECT_EQ(hex_of(encode_erc20_approve(kBob, U256::max())),
              "0x095ea7b30000000000000000000000000000000000000000000000000000000000000b0b"
              "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

TEST(MorphoReturnData, MarketIsSixUint128Words) {
    // cast abi-encode "f(uint128,uint128,uint128,uint128,uint128,uint128)" 20000000000 20000000000000000
    //   10000000000 10000000000000000 1700000000 100000000000000000
    const Bytes data = bytes(
        "0x00000000000000000000000000000000000000000000000000000004a817c800"
        "00000000000000000000000000000000000000000000000000470de4df820000"
        "00000000000000000000000000000000000000000000000000000002540be400"
        "000000000000000000000000000000000000000000000000002386f26fc10000"
        "000000000000000000000000000000000000000000000000000000006553f100"
        "000000000000000000000000000000000000000000000000016345785d8a0000");
    auto m = decode_market(data);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->total_supply_assets, n("20000000000"));
    EXPECT_EQ(m->total_supply_shares, n("20000000000000000"));
    EXPECT_EQ(m->total_borrow_assets, n("10000000000"));
    EXPECT_EQ(m->total_borrow_shares, n("10000000000000000"));
    EXPECT_EQ(m->last_update, 1'700'000'000u);
    EXPECT_EQ(m->fee_wad, n("100000000000000000"));

    Bytes dirty = data;
    dirty[32 * 3 + 15] = 1;  // totalBorrowShares with a bit above 128
    auto bad = decode_market(dirty);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().message.rfind("market: word 3", 0), 0u) << bad.error().message;

    auto short_data = decode_market(ByteView(data).first(160));
    ASSERT_FALSE(short_data.has_value());
    EXPECT_EQ(short_data.error().message, "market: expected 192 bytes of return data, found 160");

    // lastUpdate is uint128 on chain but seconds here: beyond 64 bits is refused, not truncated.
    Bytes far_future = data;
    far_future[32 * 4 + 23] = 1;
    auto late = decode_market(far_future);
    ASSERT_FALSE(late.has_value());
    EXPECT_NE(late.error().message.find("lastUpdate"), std::string::npos);
}

TEST(MorphoReturnData, PositionIsUint256ThenTwoUint128) {
    // cast abi-encode "f(uint256,uint128,uint128)" 1000000000000000000000000 499999999999999 1000000000000000000
    const Bytes data = bytes(
        "0x00000000000000000000000000000000000000000000d3c21bcecceda1000000"
        "0000000000000000000000000000000000000000000000000001c6bf52633fff"
        "0000000000000000000000000000000000000000000000000de0b6b3a7640000");
    auto p = decode_position(data);
    ASSERT_TRUE(p.has_value()) << p.error().message;
    EXPECT_EQ(*p, (Position{n("1000000000000000000000000"), n("499999999999999"), n("1000000000000000000")}));

    Bytes dirty = data;
    dirty[32 * 2] = 0x80;  // collateral above uint128
    auto bad = decode_position(dirty);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().message.rfind("position: collateral", 0), 0u) << bad.error().message;
    EXPECT_FALSE(decode_position(ByteView(data).first(64)).has_value());
}

TEST(MorphoReturnData, MarketParamsRoundTripsTheFiveWords) {
    auto p = decode_market_params(bytes("0x" + kParamsWords));
    ASSERT_TRUE(p.has_value()) << p.error().message;
    EXPECT_TRUE(morpho::same_params(*p, weth_usdc()));
    EXPECT_EQ(morpho::market_id(*p), kId);

    Bytes dirty = bytes("0x" + kParamsWords);
    dirty[32 * 2 + 11] = 1;  // oracle word with a non-zero byte above the address
    EXPECT_FALSE(decode_market_params(dirty).has_value());
    EXPECT_FALSE(decode_market_params(Bytes{}).has_value());
}

TEST(MorphoReturnData, Uint256IsExactlyOneWord) {
    // 2000 USDC per WETH: 2000e6 * 1e36 / 1e18 = 2e27.
    auto price = decode_uint256(bytes("0x000000000000000000000000000000000000000006765c793fa10079d0000000"));
    ASSERT_TRUE(price.has_value());
    EXPECT_EQ(*price, n("2000000000000000000000000000"));
    auto empty = decode_uint256(Bytes{});  // what an eth_call to an account without code returns
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().message, "uint256: expected 32 bytes of return data, found 0");
    EXPECT_FALSE(decode_uint256(Bytes(33, 0)).has_value());
}

}  // namespace morpho_calls_test
}  // namespace keeper::chain::morpho_blue

// Aave V3 calldata against `cast calldata "<signature>" <args>` (cast 1.7.1)
// and the return-data decoders against `cast abi-encode`. WETH
// 0xC02a...6Cc2 is the collateral, USDC 0xA0b8...eB48 the debt; alice
// 0x..0a11ce, bob 0x..000b0b is the borrower.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain/aave/aave_calls.hpp"
#include "core/hex.hpp"
#include "margin/aave_v3_config.hpp"

namespace keeper::chain::aave_v3 {
namespace aave_calls_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }
Bytes bytes(const std::string& hex_text) { return hex::decode(hex_text).value(); }
std::string hex_of(const Bytes& b) { return hex::encode(b); }

const Address kWeth = addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
const Address kUsdc = addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
const Address kAlice = addr("0x00000000000000000000000000000000000a11ce");
const Address kBob = addr("0x0000000000000000000000000000000000000b0b");

const std::string kAliceWord = "00000000000000000000000000000000000000000000000000000000000a11ce";
const std::string kWethWord = "000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";
const std::string kUsdcWord = "000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
const std::string kZeroWord(64, '0');

std::string word_of(std::uint64_t v) { return hex::encode(U256(v).to_be(), false); }

TEST(AaveCalls, LiquidationCallMatchesCast) {
    // cast calldata "liquidationCall(address,address,address,uint256,bool)" <WETH> <USDC> 0x..0b0b 1500000000 true
    EXPECT_EQ(hex_of(encode_liquidation_call(kWeth, kUsdc, kBob, n("1500000000"), true)),
              "0x00a718a9" + kWethWord + kUsdcWord +
                  "0000000000000000000000000000000000000000000000000000000000000b0b"
                  "0000000000000000000000000000000000000000000000000000000059682f00"
                  "0000000000000000000000000000000000000000000000000000000000000001");
    // ... 115792089237316195423570985008687907853269984665640564039457584007913129639935 false
    EXPECT_EQ(hex_of(encode_liquidation_call(kWeth, kUsdc, kBob, U256::max(), false)),
              "0x00a718a9" + kWethWord + kUsdcWord +
                  "0000000000000000000000000000000000000000000000000000000000000b0b"
                  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
                  kZeroWord);
}

TEST(AaveCalls, OneAddressViewCallsMatchCast) {
    // cast calldata "<signature>" 0x00000000000000000000000000000000000a11ce
    struct Vector {
        const char* signature;
        Bytes calldata;
        const char* selector;
    };
    const Vector vectors[] = {
        {"getUserAccountData(address)", encode_get_user_account_data(kAlice), "0xbf92857c"},
        {"getReserveData(address)", encode_get_reserve_data(kAlice), "0x35ea6a75"},
        {"getUserConfiguration(address)", encode_get_user_configuration(kAlice), "0x4417a583"},
        {"getUserEMode(address)", encode_get_user_emode(kAlice), "0xeddf1b79"},
        {"getReserveNormalizedIncome(address)", encode_get_reserve_normalized_income(kAlice), "0xd15e0053"},
        {"getReserveNormalizedVariableDebt(address)", encode_get_reserve_normalized_variable_debt(kAlice),
         "0x386497fd"},
        {"scaledBalanceOf(address)", encode_scaled_balance_of(kAlice), "0x1da24f3e"},
        {"balanceOf(address)", encode_balance_of(kAlice), "0x70a08231"},
        {"getAssetPrice(address)", encode_get_asset_price(kAlice), "0xb3596f07"},
    };
    for (const auto& v : vectors) EXPECT_EQ(hex_of(v.calldata), v.selector + kAliceWord) << v.signature;
}

TEST(AaveCalls, ArgumentlessCallsAndEModeMatchCast) {
    EXPECT_EQ(hex_of(encode_get_reserves_list()), "0xd1946dbc");  // cast calldata "getReservesList()"
    EXPECT_EQ(hex_of(encode_pool_revision()), "0x0148170e");      // "POOL_REVISION()"
    EXPECT_EQ(hex_of(encode_get_pool()), "0x026b1d5f");           // "getPool()"
    EXPECT_EQ(hex_of(encode_get_price_oracle()), "0xfca513a8");   // "getPriceOracle()"
    // cast calldata "getEModeCategoryData(uint8)" 1
    EXPECT_EQ(hex_of(encode_get_emode_category_data(1)), "0x6c6f6ae1" + word_of(1));
    EXPECT_EQ(hex_of(encode_get_emode_category_data(255)), "0x6c6f6ae1" + word_of(255));
}

TEST(AaveCalls, GetAssetsPricesCarriesADynamicAddressArray) {
    // cast calldata "getAssetsPrices(address[])" "[<USDC>,<WETH>]": offset 0x20, length 2, the addresses.
    const Address assets[] = {kUsdc, kWeth};
    EXPECT_EQ(hex_of(encode_get_assets_prices(assets)),
              "0x9d23d9f2" + word_of(32) + word_of(2) + kUsdcWord + kWethWord);
    // cast calldata "getAssetsPrices(address[])" "[]"
    EXPECT_EQ(hex_of(encode_get_assets_prices({})), "0x9d23d9f2" + word_of(32) + word_of(0));
}

TEST(AaveReturnData, UserAccountDataIsSixUint256) {
    // cast abi-encode "f(uint256,uint256,uint256,uint256,uint256,uint256)" 300000000000 200000000000
    //   40000000000 8300 8000 1245000000000000000
    // ($3,000 collateral, $2,000 debt in 1e8 base units, HF 1.245.)
    const Bytes data = bytes(
        "0x00000000000000000000000000000000000000000000000000000045d964b800"
        "0000000000000000000000000000000000000000000000000000002e90edd000"
        "00000000000000000000000000000000000000000000000000000009502f9000"
        "000000000000000000000000000000000000000000000000000000000000206c"
        "0000000000000000000000000000000000000000000000000000000000001f40"
        "000000000000000000000000000000000000000000000000114720e7595c8000");
    auto d = decode_user_account_data(data);
    ASSERT_TRUE(d.has_value()) << d.error().message;
    EXPECT_EQ(d->total_collateral_base, n("300000000000"));
    EXPECT_EQ(d->total_debt_base, n("200000000000"));
    EXPECT_EQ(d->available_borrows_base, n("40000000000"));
    EXPECT_EQ(d->current_liquidation_threshold, U256(8300));
    EXPECT_EQ(d->ltv, U256(8000));
    EXPECT_EQ(d->health_factor, n("1245000000000000000"));

    // Without debt the pool answers type(uint256).max: a full word, no padding to check.
    Bytes no_debt = data;
    std::fill(no_debt.begin() + 160, no_debt.end(), 0xff);
    EXPECT_EQ(decode_user_account_data(no_debt)->health_factor, U256::max());

    EXPECT_EQ(decode_user_account_data(ByteView(data).first(160)).error().message,
              "getUserAccountData: expected 192 bytes of return data, found 160");
    Bytes longer = data;
    longer.resize(224, 0);
    EXPECT_EQ(decode_user_account_data(longer).error().message,
              "getUserAccountData: expected 192 bytes of return data, found 224");
}

// cast abi-encode "f(uint256,uint128,uint128,uint128,uint128,uint128,uint40,uint16,address,address,address,address,uint128,uint128,uint128)"
//   0x103e80001b7740000155cc005dc85122904206c1f72 1012345678901234567890123456 23456789012345678901234567
//   1034567890123456789012345678 31234567890123456789012345 65432109876543210987654321 1700000000 3
//   0x4d5F47FA6A74757f35C14fD3a6Ef8E3C9BC514E8 0x102633152313C81cD80419b6EcF66d14Ad68949A
//   0xeA51d7853EEFb32b6ee06b1C12E6dcCA88Be0fFE 0x76884cAFeCf1f7d4146DA6C4053B18B76bf6ED14 123456789012345678 0 0
// The configuration is WETH-like: LTV 80.5%, threshold 83%, bonus 5%, 18
// decimals, active, borrowable, flash loans, reserve factor 15%, borrow cap
// 1.4M, supply cap 1.8M, protocol fee 10%, eMode category 1.
const std::vector<std::string> kReserveWords = {
    "000000000000000000000103e80001b7740000155cc005dc85122904206c1f72",
    "00000000000000000000000000000000000000000345648937f2fee752dcbac0",
    "00000000000000000000000000000000000000000013672b1490e5d5489f4b87",
    "00000000000000000000000000000000000000000357c645b3e960ebf638f34e",
    "00000000000000000000000000000000000000000019d62d5172aa1d1be2df79",
    "000000000000000000000000000000000000000000361fc9c8af2c23d5c70cb1",
    "000000000000000000000000000000000000000000000000000000006553f100",
    "0000000000000000000000000000000000000000000000000000000000000003",
    "0000000000000000000000004d5f47fa6a74757f35c14fd3a6ef8e3c9bc514e8",
    "000000000000000000000000102633152313c81cd80419b6ecf66d14ad68949a",
    "000000000000000000000000ea51d7853eefb32b6ee06b1c12e6dcca88be0ffe",
    "00000000000000000000000076884cafecf1f7d4146da6c4053b18b76bf6ed14",
    "00000000000000000000000000000000000000000000000001b69b4ba630f34e",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
};
Bytes reserve_data() {
    std::string all;
    for (const auto& w : kReserveWords) all += w;
    return bytes(all);
}

TEST(AaveReturnData, ReserveDataIsFifteenWordsAndItsConfigurationFeedsTheEngine) {
    auto r = decode_reserve_data(reserve_data());
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->configuration, U256::from_hex("0x103e80001b7740000155cc005dc85122904206c1f72").value());
    EXPECT_EQ(r->liquidity_index_ray, n("1012345678901234567890123456"));
    EXPECT_EQ(r->current_liquidity_rate_ray, n("23456789012345678901234567"));
    EXPECT_EQ(r->variable_borrow_index_ray, n("1034567890123456789012345678"));
    EXPECT_EQ(r->current_variable_borrow_rate_ray, n("31234567890123456789012345"));
    EXPECT_EQ(r->current_stable_borrow_rate_ray, n("65432109876543210987654321"));
    EXPECT_EQ(r->last_update_timestamp, 1'700'000'000u);
    EXPECT_EQ(r->id, 3u);
    EXPECT_EQ(r->a_token, addr("0x4d5F47FA6A74757f35C14fD3a6Ef8E3C9BC514E8"));
    EXPECT_EQ(r->stable_debt_token, addr("0x102633152313C81cD80419b6EcF66d14Ad68949A"));
    EXPECT_EQ(r->variable_debt_token, addr("0xeA51d7853EEFb32b6ee06b1C12E6dcCA88Be0fFE"));
    EXPECT_EQ(r->interest_rate_strategy, addr("0x76884cAFeCf1f7d4146DA6C4053B18B76bf6ED14"));
    EXPECT_EQ(r->accrued_to_treasury, n("123456789012345678"));
    EXPECT_EQ(r->unbacked, U256(0));
    EXPECT_EQ(r->isolation_mode_total_debt, U256(0));

    const auto config = aave::ReserveConfig::decode(r->configuration);
    EXPECT_EQ(config.ltv_bps, 8050u);
    EXPECT_EQ(config.liquidation_threshold_bps, 8300u);
    EXPECT_EQ(config.liquidation_bonus_bps, 10500u);
    EXPECT_EQ(config.decimals, 18u);
    EXPECT_TRUE(config.active);
    EXPECT_TRUE(config.borrowing_enabled);
    EXPECT_TRUE(config.flash_loan_enabled);
    EXPECT_FALSE(config.frozen);
    EXPECT_EQ(config.reserve_factor_bps, 1500u);
    EXPECT_EQ(config.borrow_cap, 1'400'000u);
    EXPECT_EQ(config.supply_cap, 1'800'000u);
    EXPECT_EQ(config.liquidation_protocol_fee_bps, 1000u);
    EXPECT_EQ(config.emode_category, 1u);
}

TEST(AaveReturnData, ReserveDataRefusesDirtyPaddingInEveryNarrowWord) {
    // The byte just above each field's width: uint128 at byte 15, uint40 at
    // byte 26, uint16 at byte 29, addresses at byte 11 of their word.
    struct Case {
        std::size_t word, byte;
        const char* field;
    };
    const Case cases[] = {
        {1, 15, "liquidityIndex"},         {2, 15, "currentLiquidityRate"},
        {3, 15, "variableBorrowIndex"},    {4, 15, "currentVariableBorrowRate"},
        {5, 15, "currentStableBorrowRate"}, {6, 26, "lastUpdateTimestamp"},
        {7, 29, "id"},                     {8, 11, "aTokenAddress"},
        {9, 11, "stableDebtTokenAddress"}, {10, 11, "variableDebtTokenAddress"},
        {11, 11, "interestRateStrategyAddress"}, {12, 15, "accruedToTreasury"},
        {13, 15, "unbacked"},              {14, 15, "isolationModeTotalDebt"},
    };
    for (const auto& c : cases) {
        Bytes dirty = reserve_data();
        dirty[32 * c.word + c.byte] = 0x01;
        auto r = decode_reserve_data(dirty);
        ASSERT_FALSE(r.has_value()) << c.field;
        EXPECT_EQ(r.error().message.rfind(std::string("getReserveData: ") + c.field + ": abi: ", 0), 0u)
            << r.error().message;
    }
    // The configuration is a full uint256: its top byte is a value bit, not padding.
    Bytes top = reserve_data();
    top[0] = 0x10;
    EXPECT_TRUE(decode_reserve_data(top).has_value());

    EXPECT_EQ(decode_reserve_data(ByteView(reserve_data()).first(448)).error().message,
              "getReserveData: expected 480 bytes of return data, found 448");
    Bytes longer = reserve_data();
    longer.push_back(0);
    EXPECT_EQ(decode_reserve_data(longer).error().message,
              "getReserveData: expected 480 bytes of return data, found 481");
    EXPECT_FALSE(decode_reserve_data({}).has_value());
}

// cast abi-encode "f((uint16,uint16,uint16,address,string))" "(9000,9300,10100,0x0000000000000000000000000000000000000000,ETH correlated)"
const std::string kEthCorrelated =
    "0x0000000000000000000000000000000000000000000000000000000000000020"  // the tuple's offset
    "0000000000000000000000000000000000000000000000000000000000002328"    // ltv 9000
    "0000000000000000000000000000000000000000000000000000000000002454"    // threshold 9300
    "0000000000000000000000000000000000000000000000000000000000002774"    // bonus 10100
    "0000000000000000000000000000000000000000000000000000000000000000"    // no price source
    "00000000000000000000000000000000000000000000000000000000000000a0"    // label at tuple + 160
    "000000000000000000000000000000000000000000000000000000000000000e"    // 14 bytes
    "45544820636f7272656c61746564000000000000000000000000000000000000";

TEST(AaveReturnData, EModeCategoryIsADynamicTupleWithItsLabel) {
    auto c = decode_emode_category(bytes(kEthCorrelated));
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_EQ(c->ltv_bps, 9000u);
    EXPECT_EQ(c->liquidation_threshold_bps, 9300u);
    EXPECT_EQ(c->liquidation_bonus_bps, 10100u);
    EXPECT_TRUE(c->price_source.is_zero());
    EXPECT_EQ(c->label, "ETH correlated");

    // "(9700,9750,10100,0x00000000000000000000000000000000000000e5,Stablecoins in eMode with a long label over 32)":
    // a 46-byte label takes two words.
    auto stable = decode_emode_category(bytes(
        "0x0000000000000000000000000000000000000000000000000000000000000020"
        "00000000000000000000000000000000000000000000000000000000000025e4"
        "0000000000000000000000000000000000000000000000000000000000002616"
        "0000000000000000000000000000000000000000000000000000000000002774"
        "00000000000000000000000000000000000000000000000000000000000000e5"
        "00000000000000000000000000000000000000000000000000000000000000a0"
        "000000000000000000000000000000000000000000000000000000000000002e"
        "537461626c65636f696e7320696e20654d6f646520776974682061206c6f6e67"
        "206c6162656c206f766572203332000000000000000000000000000000000000"));
    ASSERT_TRUE(stable.has_value()) << stable.error().message;
    EXPECT_EQ(stable->ltv_bps, 9700u);
    EXPECT_EQ(stable->liquidation_threshold_bps, 9750u);
    EXPECT_EQ(stable->price_source, addr("0x00000000000000000000000000000000000000e5"));
    EXPECT_EQ(stable->label, "Stablecoins in eMode with a long label over 32");

    // '(0,0,0,0x0000000000000000000000000000000000000000,"")': category never configured, no label words.
    auto empty =
        decode_emode_category(bytes("0x" + word_of(32) + std::string(4 * 64, '0') + word_of(160) + word_of(0)));
    ASSERT_TRUE(empty.has_value()) << empty.error().message;
    EXPECT_EQ(*empty, EModeCategoryReading{});
}

TEST(AaveReturnData, EModeCategoryRefusesNonCanonicalOrHostileLayouts) {
    const Bytes good = bytes(kEthCorrelated);
    auto refused = [](Bytes data) {
        auto c = decode_emode_category(data);
        return c.has_value() ? std::string("accepted") : c.error().message;
    };
    auto with_word = [&](std::size_t index, const std::string& word) {
        Bytes b = good;
        const Bytes w = bytes(word);
        std::copy(w.begin(), w.end(), b.begin() + static_cast<std::ptrdiff_t>(32 * index));
        return b;
    };

    EXPECT_EQ(refused(with_word(0, word_of(64))), "getEModeCategoryData: offset 64 in word 0, expected 32");
    EXPECT_EQ(refused(with_word(5, word_of(192))),
              "getEModeCategoryData: label: offset 192 in word 4, expected 160");
    // A length far beyond the data (a hostile 2^255) must not wrap or allocate.
    EXPECT_EQ(refused(with_word(6, "8000000000000000000000000000000000000000000000000000000000000000")),
              "getEModeCategoryData: label length "
              "57896044618658097711785492504343953926634992332820282019728792003956564819968 exceeds the 32 "
              "bytes that follow it");
    EXPECT_EQ(refused(with_word(6, word_of(33))),
              "getEModeCategoryData: label length 33 exceeds the 32 bytes that follow it");
    // 13 bytes claimed, 14 present: the 14th is non-zero padding.
    EXPECT_EQ(refused(with_word(6, word_of(13))),
              "getEModeCategoryData: non-zero padding after the label at byte 237");
    // 0 bytes claimed but a whole label word follows.
    EXPECT_EQ(refused(with_word(6, word_of(0))),
              "getEModeCategoryData: label length 0 needs 224 bytes of return data, found 256");

    Bytes dirty_ltv = good;
    dirty_ltv[32 + 29] = 1;  // ltv above 16 bits
    EXPECT_EQ(refused(dirty_ltv).rfind("getEModeCategoryData: ltv: abi: ", 0), 0u) << refused(dirty_ltv);
    Bytes dirty_source = good;
    dirty_source[32 * 4 + 11] = 1;
    EXPECT_EQ(refused(dirty_source).rfind("getEModeCategoryData: priceSource: abi: ", 0), 0u);

    Bytes trailing = good;
    trailing.resize(trailing.size() + 32, 0);
    EXPECT_EQ(refused(trailing), "getEModeCategoryData: label length 14 needs 256 bytes of return data, found 288");
    EXPECT_EQ(refused(Bytes(good.begin(), good.begin() + 200)),
              "getEModeCategoryData: expected at least 224 bytes of return data, found 200");
}

TEST(AaveReturnData, AddressArrayIsBoundedAndExact) {
    // cast abi-encode "f(address[])" "[<WETH>,<USDC>]"
    const Bytes two = bytes("0x" + word_of(32) + word_of(2) + kWethWord + kUsdcWord);
    auto list = decode_address_array(two);
    ASSERT_TRUE(list.has_value()) << list.error().message;
    EXPECT_EQ(*list, (std::vector<Address>{kWeth, kUsdc}));
    // cast abi-encode "f(address[])" "[]"
    EXPECT_EQ(decode_address_array(bytes("0x" + word_of(32) + word_of(0)))->size(), 0u);

    // 128 entries, the pool's MAX_RESERVES_COUNT, is the most there can be.
    std::string full = word_of(32) + word_of(128);
    for (int i = 0; i < 128; ++i) full += kWethWord;
    EXPECT_EQ(decode_address_array(bytes(full))->size(), 128u);
    std::string over = word_of(32) + word_of(129);
    for (int i = 0; i < 129; ++i) over += kWethWord;
    EXPECT_EQ(decode_address_array(bytes(over)).error().message, "address[]: length 129, expected at most 128");
    EXPECT_EQ(decode_address_array(bytes(word_of(32) + std::string(64, 'f'))).error().message,
              "address[]: length "
              "115792089237316195423570985008687907853269984665640564039457584007913129639935, expected at most 128");

    EXPECT_EQ(decode_address_array(bytes(word_of(64) + word_of(0) + word_of(0))).error().message,
              "address[]: offset 64 in word 0, expected 32");
    EXPECT_EQ(decode_address_array(bytes(word_of(32) + word_of(2) + kWethWord)).error().message,
              "address[]: length 2 needs 128 bytes of return data, found 96");
    EXPECT_EQ(decode_address_array(bytes(word_of(32) + word_of(1) + kWethWord + kZeroWord)).error().message,
              "address[]: length 1 needs 96 bytes of return data, found 128");
    EXPECT_EQ(decode_address_array(bytes(word_of(32))).error().message,
              "address[]: expected at least 64 bytes of return data, found 32");
    Bytes dirty = two;
    dirty[64 + 32 + 0] = 1;  // entry 1's padding
    EXPECT_EQ(decode_address_array(dirty).error().message.rfind("address[]: entry 1: abi: address word 3", 0), 0u)
        << decode_address_array(dirty).error().message;
}

TEST(AaveReturnData, Uint256ArrayHasExactlyTheExpectedCount) {
    // cast abi-encode "f(uint256[])" "[200000000000,100000000]": WETH at $2,000 and USDC at $1 in 1e8 units.
    const Bytes prices = bytes(
        "0x0000000000000000000000000000000000000000000000000000000000000020"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "0000000000000000000000000000000000000000000000000000002e90edd000"
        "0000000000000000000000000000000000000000000000000000000005f5e100");
    auto p = decode_uint256_array(prices, 2);
    ASSERT_TRUE(p.has_value()) << p.error().message;
    EXPECT_EQ(*p, (std::vector<U256>{n("200000000000"), n("100000000")}));

    EXPECT_EQ(decode_uint256_array(prices, 3).error().message, "uint256[]: length 2, expected 3");
    EXPECT_EQ(decode_uint256_array(prices, 1).error().message, "uint256[]: length 2, expected 1");
    EXPECT_EQ(decode_uint256_array(ByteView(prices).first(96), 2).error().message,
              "uint256[]: length 2 needs 128 bytes of return data, found 96");
    EXPECT_EQ(decode_uint256_array(bytes(word_of(0) + word_of(0)), 0).error().message,
              "uint256[]: offset 0 in word 0, expected 32");
}

TEST(AaveReturnData, SingleWords) {
    EXPECT_EQ(*decode_address(bytes("0x" + kWethWord)), kWeth);
    EXPECT_EQ(decode_address(bytes("0x01" + kWethWord.substr(2))).error().message.rfind("abi: address word 0", 0), 0u);
    EXPECT_EQ(decode_address(bytes("0x" + kWethWord + kZeroWord)).error().message,
              "address: expected 32 bytes of return data, found 64");
    EXPECT_EQ(*decode_uint256(bytes("0x" + word_of(1))), U256(1));
    EXPECT_EQ(decode_uint256(bytes("0x00")).error().message, "uint256: expected 32 bytes of return data, found 1");
}

}  // namespace aave_calls_test
}  // namespace keeper::chain::aave_v3

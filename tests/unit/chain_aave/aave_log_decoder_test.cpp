// Aave V3 (core-v3 1.19.3) logs as the Pool and aToken emit them: topic0 is
// `cast keccak "<canonical signature>"`, then one topic per indexed parameter
// (left-padded words), and data is abi.encode of the non-indexed parameters
// in declaration order (IPool.sol, IAToken.sol). Reserve WETH, debt USDC;
// alice 0x..0a11ce supplies and borrows, bob 0x..000b0b acts for her, carol
// 0x..0ca201 liquidates.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain/aave/aave_log_decoder.hpp"
#include "core/hex.hpp"

namespace keeper::chain::aave_v3 {
namespace aave_log_decoder_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }
Bytes32 b32(const char* hex) { return Bytes32::from_hex(hex).value(); }

const Address kPool = addr("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
const Address kAWeth = addr("0x4d5F47FA6A74757f35C14fD3a6Ef8E3C9BC514E8");
const Address kWeth = addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
const Address kUsdc = addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
const Address kAlice = addr("0x00000000000000000000000000000000000a11ce");
const Address kBob = addr("0x0000000000000000000000000000000000000b0b");
const Address kCarol = addr("0x00000000000000000000000000000000000ca201");

// cast keccak "<signature>"
namespace topic0 {
const char* const supply = "0x2b627736bca15cd5381dcf80b0bf11fd197d01a037c52b927a881a10fb73ba61";
const char* const withdraw = "0x3115d1449a7b732c986cba18244e897a450f61e1bb8d589cd2e69e6c8924f9f7";
const char* const borrow = "0xb3d084820fb1a9decffb176436bd02558d15fac9b0ddfed8c465bc7359d7dce0";
const char* const repay = "0xa534c8dbe71f871f9f3530e97a74601fea17b426cae02e1c5aee42c96c784051";
const char* const liquidation_call = "0xe413a321e8681d831f4dbccbca790d2952b56f977908e45be37335533e005286";
const char* const reserve_data_updated = "0x804c9b842b2748a22bb64b345453a3de7ca54a6ca45ce00d415894979e22897a";
const char* const collateral_enabled = "0x00058a56ea94653cdf4f152d227ace22d4c00ad99e2a43f58cb7d9e3feb295f2";
const char* const collateral_disabled = "0x44c58d81365b66dd4b1a7f36c25aa97b8c71c361ee4937adc1a00000227db5dd";
const char* const user_emode_set = "0xd728da875fc88944cbf17638bcbe4af0eedaef63becd1d1c57cc097eb4608d84";
const char* const swap_borrow_rate_mode = "0x7962b394d85a534033ba2efcf43cd36de57b7ebeb3de0ca4428965d9b3ddc481";
const char* const rebalance_stable = "0x9f439ae0c81e41a04d3fdfe07aed54e6a179fb0db15be7702eb66fa8ef6f5300";
const char* const balance_transfer = "0x4beccb90f994c31aced7a23b5611020728a23d8ec5cddd1a3e9d97b96fda8666";
const char* const mint_unbacked = "0xf25af37b3d3ec226063dc9bdc103ece7eb110a50f340fe854bb7bc1b0676d7d0";
// A Pool event the keeper does not follow.
const char* const flash_loan = "0xefefaba5e921573100900a3ad9cf29f222d995fb3b6045797eaea7521bd8d6f0";
}  // namespace topic0

// One 32-byte word: an indexed value's topic, or a data word.
Bytes32 word(const U256& v) { return Bytes32(v.to_be()); }
Bytes32 word(const Address& a) {
    Bytes32 w;
    std::copy(a.bytes.begin(), a.bytes.end(), w.bytes.begin() + 12);
    return w;
}

Log make_log(const Address& emitter, const char* t0, std::vector<Bytes32> indexed, std::vector<Bytes32> data) {
    Log log;
    log.address = emitter;
    log.topics.push_back(b32(t0));
    for (const auto& t : indexed) log.topics.push_back(t);
    for (const auto& w : data) log.data.insert(log.data.end(), w.bytes.begin(), w.bytes.end());
    log.block_number = 19'000'000;
    return log;
}

struct Replay {
    const char* what;
    Log log;
    Event expected;
};

std::vector<Replay> replays() {
    const U256 ray_rate = n("23456789012345678901234567");
    return {
        // Supply(reserve WETH, user bob, onBehalfOf alice, 5 WETH, referral 7): bob supplies for alice.
        {"Supply", make_log(kPool, topic0::supply, {word(kWeth), word(kAlice), word(U256(7))},
                            {word(kBob), word(n("5000000000000000000"))}),
         SupplyEvent{kWeth, kBob, kAlice, n("5000000000000000000"), 7}},
        // Withdraw(WETH, alice, to bob, 1 WETH)
        {"Withdraw", make_log(kPool, topic0::withdraw, {word(kWeth), word(kAlice), word(kBob)},
                              {word(n("1000000000000000000"))}),
         WithdrawEvent{kWeth, kAlice, kBob, n("1000000000000000000")}},
        // Borrow(USDC, user bob, onBehalfOf alice, 2,000 USDC, VARIABLE, rate, referral 0)
        {"Borrow", make_log(kPool, topic0::borrow, {word(kUsdc), word(kAlice), word(U256(0))},
                            {word(kBob), word(n("2000000000")), word(U256(2)), word(ray_rate)}),
         BorrowEvent{kUsdc, kBob, kAlice, n("2000000000"), 2, ray_rate, 0}},
        // Repay(USDC, user alice, repayer bob, 500 USDC, useATokens false)
        {"Repay", make_log(kPool, topic0::repay, {word(kUsdc), word(kAlice), word(kBob)},
                           {word(n("500000000")), word(U256(0))}),
         RepayEvent{kUsdc, kAlice, kBob, n("500000000"), false}},
        // LiquidationCall(WETH, USDC, alice, 1,000 USDC, 0.525 WETH, carol, receiveAToken true)
        {"LiquidationCall",
         make_log(kPool, topic0::liquidation_call, {word(kWeth), word(kUsdc), word(kAlice)},
                  {word(n("1000000000")), word(n("525000000000000000")), word(kCarol), word(U256(1))}),
         LiquidationCallEvent{kWeth, kUsdc, kAlice, n("1000000000"), n("525000000000000000"), kCarol, true}},
        // ReserveDataUpdated(WETH, liquidityRate, stableBorrowRate, variableBorrowRate, liquidityIndex,
        //                    variableBorrowIndex)
        {"ReserveDataUpdated",
         make_log(kPool, topic0::reserve_data_updated, {word(kWeth)},
                  {word(ray_rate), word(n("65432109876543210987654321")), word(n("31234567890123456789012345")),
                   word(n("1012345678901234567890123456")), word(n("1034567890123456789012345678"))}),
         ReserveDataUpdatedEvent{kWeth, ray_rate, n("65432109876543210987654321"), n("31234567890123456789012345"),
                                 n("1012345678901234567890123456"), n("1034567890123456789012345678")}},
        {"ReserveUsedAsCollateralEnabled",
         make_log(kPool, topic0::collateral_enabled, {word(kWeth), word(kAlice)}, {}),
         CollateralEnabledEvent{kWeth, kAlice}},
        {"ReserveUsedAsCollateralDisabled",
         make_log(kPool, topic0::collateral_disabled, {word(kWeth), word(kAlice)}, {}),
         CollateralDisabledEvent{kWeth, kAlice}},
        // UserEModeSet(alice, category 1)
        {"UserEModeSet", make_log(kPool, topic0::user_emode_set, {word(kAlice)}, {word(U256(1))}),
         UserEModeSetEvent{kAlice, 1}},
        // SwapBorrowRateMode(USDC, alice, STABLE)
        {"SwapBorrowRateMode",
         make_log(kPool, topic0::swap_borrow_rate_mode, {word(kUsdc), word(kAlice)}, {word(U256(1))}),
         SwapBorrowRateModeEvent{kUsdc, kAlice, 1}},
        {"RebalanceStableBorrowRate", make_log(kPool, topic0::rebalance_stable, {word(kUsdc), word(kAlice)}, {}),
         RebalanceStableBorrowRateEvent{kUsdc, kAlice}},
        // MintUnbacked(reserve WETH, user bob (the portal), onBehalfOf alice, 1000 wei, referral 0).
        {"MintUnbacked", make_log(kPool, topic0::mint_unbacked, {word(kWeth), word(kAlice), word(U256(0))},
                                  {word(kBob), word(n("1000"))}),
         MintUnbackedEvent{kWeth, kBob, kAlice, n("1000"), 0}},
        // aWETH's BalanceTransfer(alice, carol, 0.5 scaled, index): token is the emitting aToken.
        {"BalanceTransfer",
         make_log(kAWeth, topic0::balance_transfer, {word(kAlice), word(kCarol)},
                  {word(n("500000000000000000")), word(n("1012345678901234567890123456"))}),
         BalanceTransferEvent{kAWeth, kAlice, kCarol, n("500000000000000000"), n("1012345678901234567890123456")}},
    };
}

TEST(AaveLogDecoder, TopicsAreTheCanonicalSignatureHashes) {
    EXPECT_EQ(pool_topics(),
              (std::vector<Bytes32>{b32(topic0::supply), b32(topic0::withdraw), b32(topic0::borrow),
                                    b32(topic0::repay), b32(topic0::liquidation_call),
                                    b32(topic0::reserve_data_updated), b32(topic0::collateral_enabled),
                                    b32(topic0::collateral_disabled), b32(topic0::user_emode_set),
                                    b32(topic0::swap_borrow_rate_mode), b32(topic0::rebalance_stable),
                                    b32(topic0::mint_unbacked)}));
    EXPECT_EQ(balance_transfer_topic(), b32(topic0::balance_transfer));
}

TEST(AaveLogDecoder, DecodesEveryFollowedEvent) {
    for (const auto& r : replays()) {
        auto e = decode_event(r.log);
        ASSERT_TRUE(e.has_value()) << r.what << ": " << e.error().message;
        ASSERT_TRUE(e->has_value()) << r.what;
        EXPECT_EQ(**e, r.expected) << r.what;
    }
}

TEST(AaveLogDecoder, EventsNotFollowedAreNullopt) {
    // FlashLoan(target, initiator, asset, amount, mode, premium, referral): a real Pool event we skip.
    const Log flash = make_log(kPool, topic0::flash_loan, {word(kBob), word(kWeth), word(U256(0))},
                               {word(kBob), word(n("1000")), word(U256(0)), word(n("1"))});
    auto e = decode_event(flash);
    ASSERT_TRUE(e.has_value()) << e.error().message;
    EXPECT_FALSE(e->has_value());

    Log anonymous;
    anonymous.data = Bytes(32, 0);
    EXPECT_FALSE(decode_event(anonymous)->has_value());
}

// A followed topic0 with the wrong layout is an error naming the event.
struct Hostile {
    const char* what;
    Log log;
    const char* message_prefix;
};

std::vector<Hostile> hostile() {
    const auto rs = replays();
    auto from = [&](std::size_t i) { return rs[i].log; };
    std::vector<Hostile> out;

    Log short_data = from(0);  // Supply's data is 2 words
    short_data.data.resize(32);
    out.push_back({"Supply data short", short_data, "aave log Supply: expected 64 bytes of data, found 32"});

    Log long_data = from(3);  // Repay: 2 words, a trailing one is not the Pool's
    long_data.data.resize(96, 0);
    out.push_back({"Repay data long", long_data, "aave log Repay: expected 64 bytes of data, found 96"});

    Log missing_topic = from(1);  // Withdraw has three indexed addresses
    missing_topic.topics.pop_back();
    out.push_back({"Withdraw three topics", missing_topic,
                   "aave log Withdraw: log Withdraw: expected 4 topics, found 3"});

    Log extra_topic = from(6);  // ReserveUsedAsCollateralEnabled has two
    extra_topic.topics.push_back(word(kBob));
    out.push_back({"CollateralEnabled four topics", extra_topic,
                   "aave log ReserveUsedAsCollateralEnabled: log ReserveUsedAsCollateralEnabled: expected 3 topics, "
                   "found 4"});

    Log dirty_address = from(4);  // LiquidationCall's user topic with a bit above 160
    dirty_address.topics[3].bytes[11] = 1;
    out.push_back({"LiquidationCall dirty user topic", dirty_address,
                   "aave log LiquidationCall: log LiquidationCall: topic 3: abi: [0]: address at byte 0: expected zero "
                   "padding in bytes 0..11, found 0x01 at byte 11"});

    Log dirty_liquidator = from(4);  // the liquidator, a data address
    dirty_liquidator.data[64 + 0] = 1;
    out.push_back({"LiquidationCall dirty liquidator", dirty_liquidator,
                   "aave log LiquidationCall: log LiquidationCall: data: abi: [2]: address at byte 64"});

    Log bool_two = from(4);  // receiveAToken = 2
    bool_two.data[127] = 2;
    out.push_back({"LiquidationCall bool 2", bool_two,
                   "aave log LiquidationCall: log LiquidationCall: data: abi: [3]: bool at byte 96: expected 0x00 or "
                   "0x01 in byte 127, found 0x02"});

    Log referral_wide = from(0);  // uint16 referralCode topic with bit 16 set
    referral_wide.topics[3] = word(U256(0x10000));
    out.push_back({"Supply referral over 16 bits", referral_wide,
                   "aave log Supply: log Supply: topic 3: abi: [0]: uint16 at byte 0"});

    Log mode_three = from(2);  // Borrow interestRateMode 3: outside DataTypes.InterestRateMode
    mode_three.data[95] = 3;
    out.push_back({"Borrow mode 3", mode_three,
                   "aave log Borrow: interestRateMode 3 is not an InterestRateMode (0-2)"});

    Log mode_wide = from(9);  // SwapBorrowRateMode with a bit above uint8
    mode_wide.data[30] = 1;
    out.push_back({"SwapBorrowRateMode mode over 8 bits", mode_wide,
                   "aave log SwapBorrowRateMode: log SwapBorrowRateMode: data: abi: [0]: uint8 at byte 0"});

    Log emode_wide = from(8);  // UserEModeSet categoryId 256
    const Bytes32 w256 = word(U256(256));
    emode_wide.data.assign(w256.bytes.begin(), w256.bytes.end());
    out.push_back({"UserEModeSet category 256", emode_wide,
                   "aave log UserEModeSet: log UserEModeSet: data: abi: [0]: uint8 at byte 0"});

    Log rebalance_data = from(10);  // RebalanceStableBorrowRate has no data
    rebalance_data.data = Bytes(32, 0);
    out.push_back({"RebalanceStableBorrowRate with data", rebalance_data,
                   "aave log RebalanceStableBorrowRate: expected 0 bytes of data, found 32"});

    Log transfer_short = from(12);
    transfer_short.data.resize(63);
    out.push_back({"BalanceTransfer data short", transfer_short,
                   "aave log BalanceTransfer: expected 64 bytes of data, found 63"});
    return out;
}

TEST(AaveLogDecoder, RefusesFollowedEventsWithTheWrongLayout) {
    for (const auto& h : hostile()) {
        auto e = decode_event(h.log);
        ASSERT_FALSE(e.has_value()) << h.what << " was accepted";
        EXPECT_EQ(e.error().message.rfind(h.message_prefix, 0), 0u) << h.what << ": " << e.error().message;
    }
}

TEST(AaveLogDecoder, TouchedAccounts) {
    using V = std::vector<Address>;
    struct Row {
        const char* what;
        Event event;
        V accounts;
    };
    const U256 one(1);
    const Row table[] = {
        {"Supply: the beneficiary, not the caller", SupplyEvent{kWeth, kBob, kAlice, one, 0}, V{kAlice}},
        {"Withdraw: the owner, not the recipient", WithdrawEvent{kWeth, kAlice, kBob, one}, V{kAlice}},
        {"Borrow: who gets the debt", BorrowEvent{kUsdc, kBob, kAlice, one, 2, one, 0}, V{kAlice}},
        {"Repay with the underlying: the debtor", RepayEvent{kUsdc, kAlice, kBob, one, false}, V{kAlice}},
        {"Repay with aTokens: the debtor and the repayer's aTokens", RepayEvent{kUsdc, kAlice, kBob, one, true},
         V{kAlice, kBob}},
        {"Repay with own aTokens: once", RepayEvent{kUsdc, kAlice, kAlice, one, true}, V{kAlice}},
        {"LiquidationCall, underlying to the liquidator", LiquidationCallEvent{kWeth, kUsdc, kAlice, one, one, kCarol,
                                                                               false},
         V{kAlice}},
        {"LiquidationCall, aTokens to the liquidator", LiquidationCallEvent{kWeth, kUsdc, kAlice, one, one, kCarol,
                                                                            true},
         V{kAlice, kCarol}},
        {"ReserveDataUpdated: nobody in particular", ReserveDataUpdatedEvent{kWeth, one, one, one, one, one}, V{}},
        {"CollateralEnabled", CollateralEnabledEvent{kWeth, kAlice}, V{kAlice}},
        {"CollateralDisabled", CollateralDisabledEvent{kWeth, kAlice}, V{kAlice}},
        {"UserEModeSet", UserEModeSetEvent{kAlice, 1}, V{kAlice}},
        {"BalanceTransfer: both sides", BalanceTransferEvent{kAWeth, kAlice, kCarol, one, one}, V{kAlice, kCarol}},
        {"BalanceTransfer to oneself: once", BalanceTransferEvent{kAWeth, kAlice, kAlice, one, one}, V{kAlice}},
        {"SwapBorrowRateMode", SwapBorrowRateModeEvent{kUsdc, kAlice, 1}, V{kAlice}},
        {"RebalanceStableBorrowRate", RebalanceStableBorrowRateEvent{kUsdc, kAlice}, V{kAlice}},
        {"MintUnbacked: the beneficiary, not the portal", MintUnbackedEvent{kWeth, kBob, kAlice, one, 0}, V{kAlice}},
    };
    for (const auto& row : table) EXPECT_EQ(touched_accounts(row.event), row.accounts) << row.what;
}

}  // namespace aave_log_decoder_test
}  // namespace keeper::chain::aave_v3

// Morpho Blue logs replayed as a node returns them. topic0 values are
// `cast keccak "<canonical signature>"`, data is `cast abi-encode "f(<data types>)" ...`.
// Market: WETH/USDC at 86% (id 0x9cd7...a194, see unit/margin_morpho);
// alice 0x..0a11ce supplies, bob 0x..000b0b borrows, carol 0x..0ca201 acts for them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain/morpho/morpho_log_decoder.hpp"
#include "core/hex.hpp"

namespace keeper::chain::morpho_blue {
namespace morpho_log_decoder_test {

using namespace keeper::morpho;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }
Bytes32 b32(const char* hex) { return Bytes32::from_hex(hex).value(); }

const char* const kId = "0x9cd7e77c4da7cb0216f7525af26271a2281f5fca5f16f78b83f36043d6e0a194";
const char* const kAliceTopic = "0x00000000000000000000000000000000000000000000000000000000000a11ce";
const char* const kBobTopic = "0x0000000000000000000000000000000000000000000000000000000000000b0b";
const char* const kCarolTopic = "0x00000000000000000000000000000000000000000000000000000000000ca201";
const Address kAlice = addr("0x00000000000000000000000000000000000a11ce");
const Address kBob = addr("0x0000000000000000000000000000000000000b0b");
const Address kCarol = addr("0x00000000000000000000000000000000000ca201");

namespace topic0 {
const char* const create_market = "0xac4b2400f169220b0c0afdde7a0b32e775ba727ea1cb30b35f935cdaab8683ac";
const char* const supply = "0xedf8870433c83823eb071d3df1caa8d008f12f6440918c20d75a3602cda30fe0";
const char* const withdraw = "0xa56fc0ad5702ec05ce63666221f796fb62437c32db1aa1aa075fc6484cf58fbf";
const char* const borrow = "0x570954540bed6b1304a87dfe815a5eda4a648f7097a16240dcd85c9b5fd42a43";
const char* const repay = "0x52acb05cebbd3cd39715469f22afbf5a17496295ef3bc9bb5944056c63ccaa09";
const char* const supply_collateral = "0xa3b9472a1399e17e123f3c2e6586c23e504184d504de59cdaa2b375e880c6184";
const char* const withdraw_collateral = "0xe80ebd7cc9223d7382aab2e0d1d6155c65651f83d53c8b9b06901d167e321142";
const char* const liquidate = "0xa4946ede45d0c6f06a0f5ce92c9ad3b4751452d2fe0e25010783bcab57a67e41";
const char* const accrue_interest = "0x9d9bd501d0657d7dfe415f779a620a62b78bc508ddc0891fbbd8b7ac0f8fce87";
const char* const set_fee = "0x139d6f58e9a127229667c8e3b36e88890a66cfc8ab1024ddc513e189e125b75b";
const char* const set_owner = "0x167d3e9c1016ab80e58802ca9da10ce5c6a0f4debc46a2e7a2cd9e56899a4fb5";
const char* const flash_loan = "0xc76f1b4fe4396ac07a9fa55a415d4ca430e72651d37d3401f3bed7cb13fc4f12";
}  // namespace topic0

Log make_log(std::vector<const char*> topics, const char* data_hex) {
    Log log;
    log.address = addr("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");
    for (const char* t : topics) log.topics.push_back(b32(t));
    log.data = hex::decode(data_hex).value();
    log.block_number = 18'883'124;
    return log;
}

MarketParams weth_usdc() {
    return MarketParams{addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
                        addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"),
                        addr("0xDddd770BADd886dF3864029e4B377B5F6a2B6b83"),
                        addr("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC"), n("860000000000000000")};
}

struct Replay {
    const char* what;
    Log log;
    Event expected;
};

std::vector<Replay> replays() {
    const Bytes32 id = b32(kId);
    return {
        {"CreateMarket", make_log({topic0::create_market, kId},
                                  "0x000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
                                  "000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
                                  "000000000000000000000000dddd770badd886df3864029e4b377b5f6a2b6b83"
                                  "000000000000000000000000870ac11d48b15db9a138cf899d20f13f79ba00bc"
                                  "0000000000000000000000000000000000000000000000000bef55718ad60000"),
         CreateMarketEvent{id, weth_usdc()}},
        // Supply(id, caller carol, onBehalf alice, 1000e6 assets, 1000e12 shares)
        {"Supply", make_log({topic0::supply, kId, kCarolTopic, kAliceTopic},
                            "0x000000000000000000000000000000000000000000000000000000003b9aca00"
                            "00000000000000000000000000000000000000000000000000038d7ea4c68000"),
         SupplyEvent{id, kAlice, n("1000000000"), n("1000000000000000")}},
        // Withdraw(id, caller carol [data], onBehalf alice, receiver carol, 250e6, 250e12)
        {"Withdraw", make_log({topic0::withdraw, kId, kAliceTopic, kCarolTopic},
                              "0x00000000000000000000000000000000000000000000000000000000000ca201"
                              "000000000000000000000000000000000000000000000000000000000ee6b280"
                              "0000000000000000000000000000000000000000000000000000e35fa931a000"),
         WithdrawEvent{id, kAlice, n("250000000"), n("250000000000000")}},
        // Borrow(id, caller bob [data], onBehalf bob, receiver bob, 500e6, 500e12 - 1)
        {"Borrow", make_log({topic0::borrow, kId, kBobTopic, kBobTopic},
                            "0x0000000000000000000000000000000000000000000000000000000000000b0b"
                            "000000000000000000000000000000000000000000000000000000001dcd6500"
                            "0000000000000000000000000000000000000000000000000001c6bf52633fff"),
         BorrowEvent{id, kBob, n("500000000"), n("499999999999999")}},
        // Repay(id, caller carol, onBehalf bob, 100e6 + 1, 100e12)
        {"Repay", make_log({topic0::repay, kId, kCarolTopic, kBobTopic},
                           "0x0000000000000000000000000000000000000000000000000000000005f5e101"
                           "00000000000000000000000000000000000000000000000000005af3107a4000"),
         RepayEvent{id, kBob, n("100000001"), n("100000000000000")}},
        // SupplyCollateral(id, caller bob, onBehalf bob, 1e18)
        {"SupplyCollateral", make_log({topic0::supply_collateral, kId, kBobTopic, kBobTopic},
                                      "0x0000000000000000000000000000000000000000000000000de0b6b3a7640000"),
         SupplyCollateralEvent{id, kBob, n("1000000000000000000")}},
        // WithdrawCollateral(id, caller bob [data], onBehalf bob, receiver carol, 0.1e18)
        {"WithdrawCollateral", make_log({topic0::withdraw_collateral, kId, kBobTopic, kCarolTopic},
                                        "0x0000000000000000000000000000000000000000000000000000000000000b0b"
                                        "000000000000000000000000000000000000000000000000016345785d8a0000"),
         WithdrawCollateralEvent{id, kBob, n("100000000000000000")}},
        // Liquidate(id, caller carol, borrower bob, 300e6, 300e12, 0.4e18, bad debt 7 assets, 6 shares)
        {"Liquidate", make_log({topic0::liquidate, kId, kCarolTopic, kBobTopic},
                               "0x0000000000000000000000000000000000000000000000000000000011e1a300"
                               "000000000000000000000000000000000000000000000000000110d9316ec000"
                               "000000000000000000000000000000000000000000000000058d15e176280000"
                               "0000000000000000000000000000000000000000000000000000000000000007"
                               "0000000000000000000000000000000000000000000000000000000000000006"),
         LiquidateEvent{id, kCarol, kBob, n("300000000"), n("300000000000000"), n("400000000000000000"), 7, 6}},
        // AccrueInterest(id, 1585489599 per second (~5% a year), 3e6 interest, 7e12 fee shares)
        {"AccrueInterest", make_log({topic0::accrue_interest, kId},
                                    "0x000000000000000000000000000000000000000000000000000000005e80a6bf"
                                    "00000000000000000000000000000000000000000000000000000000002dc6c0"
                                    "0000000000000000000000000000000000000000000000000000065dd0837000"),
         AccrueInterestEvent{id, n("1585489599"), n("3000000"), n("7000000000000")}},
        // SetFee(id, 10%)
        {"SetFee", make_log({topic0::set_fee, kId}, "0x000000000000000000000000000000000000000000000000016345785d8a0000"),
         SetFeeEvent{id, n("100000000000000000")}},
    };
}

TEST(MorphoLogDecoder, DecodesEveryFollowedEventFromItsReplayedLog) {
    for (const Replay& r : replays()) {
        auto decoded = decode_event(r.log);
        ASSERT_TRUE(decoded.has_value()) << r.what << ": " << decoded.error().message;
        ASSERT_TRUE(decoded->has_value()) << r.what << " was not recognised";
        EXPECT_EQ(**decoded, r.expected) << r.what;
        EXPECT_STREQ(event_name(**decoded), r.what);
    }
}

TEST(MorphoLogDecoder, FollowedTopicsAreTheTenEventSignaturesInVariantOrder) {
    const std::vector<Bytes32> expected{
        b32(topic0::create_market),     b32(topic0::supply),    b32(topic0::withdraw),
        b32(topic0::borrow),            b32(topic0::repay),     b32(topic0::supply_collateral),
        b32(topic0::withdraw_collateral), b32(topic0::liquidate), b32(topic0::accrue_interest),
        b32(topic0::set_fee)};
    EXPECT_EQ(followed_topics(), expected);
}

TEST(MorphoLogDecoder, EventsItDoesNotFollowAreNotAnError) {
    // SetOwner(address indexed newOwner)
    auto set_owner = decode_event(make_log({topic0::set_owner, kAliceTopic}, "0x"));
    ASSERT_TRUE(set_owner.has_value());
    EXPECT_FALSE(set_owner->has_value());
    // FlashLoan(address indexed caller, address indexed token, uint256 assets)
    auto flash = decode_event(make_log({topic0::flash_loan, kCarolTopic, kAliceTopic},
                                       "0x0000000000000000000000000000000000000000000000000de0b6b3a7640000"));
    ASSERT_TRUE(flash.has_value());
    EXPECT_FALSE(flash->has_value());
    // An anonymous log: no topics at all.
    auto anonymous = decode_event(make_log({}, "0x"));
    ASSERT_TRUE(anonymous.has_value());
    EXPECT_FALSE(anonymous->has_value());
}

TEST(MorphoLogDecoder, MalformedFollowedLogsAreErrorsNamingTheEvent) {
    const char* const two_words =
        "0x000000000000000000000000000000000000000000000000000000003b9aca00"
        "00000000000000000000000000000000000000000000000000038d7ea4c68000";
    struct Case {
        const char* what;
        Log log;
        const char* message_part;
    };
    const Case cases[] = {
        {"Supply missing its onBehalf topic", make_log({topic0::supply, kId, kCarolTopic}, two_words),
         "morpho log Supply: log Supply: expected 4 topics, found 3"},
        {"Supply with one topic too many", make_log({topic0::supply, kId, kCarolTopic, kAliceTopic, kBobTopic}, two_words),
         "expected 4 topics, found 5"},
        {"Supply with short data", make_log({topic0::supply, kId, kCarolTopic, kAliceTopic},
                                            "0x000000000000000000000000000000000000000000000000000000003b9aca00"),
         "morpho log Supply: expected 64 bytes of data, found 32"},
        {"Supply with trailing data", make_log({topic0::supply, kId, kCarolTopic, kAliceTopic},
                                               "0x000000000000000000000000000000000000000000000000000000003b9aca00"
                                               "00000000000000000000000000000000000000000000000000038d7ea4c68000"
                                               "00"),
         "expected 64 bytes of data, found 65"},
        {"Supply whose onBehalf topic is not an address",
         make_log({topic0::supply, kId, kCarolTopic, "0x01000000000000000000000000000000000000000000000000000000000a11ce"},
                  two_words),
         "morpho log Supply: log Supply: topic 3"},
        {"SetFee without data", make_log({topic0::set_fee, kId}, "0x"), "morpho log SetFee: expected 32 bytes"},
        {"CreateMarket with a dirty address word",
         make_log({topic0::create_market, kId},
                  "0x000000000000000000000001a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
                  "000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
                  "000000000000000000000000dddd770badd886df3864029e4b377b5f6a2b6b83"
                  "000000000000000000000000870ac11d48b15db9a138cf899d20f13f79ba00bc"
                  "0000000000000000000000000000000000000000000000000bef55718ad60000"),
         "morpho log CreateMarket: log CreateMarket: data"},
        {"AccrueInterest with no id topic", make_log({topic0::accrue_interest}, "0x"), "morpho log AccrueInterest"},
    };
    for (const Case& c : cases) {
        auto decoded = decode_event(c.log);
        ASSERT_FALSE(decoded.has_value()) << c.what;
        EXPECT_NE(decoded.error().message.find(c.message_part), std::string::npos)
            << c.what << ": " << decoded.error().message;
    }
}

}  // namespace morpho_log_decoder_test
}  // namespace keeper::chain::morpho_blue

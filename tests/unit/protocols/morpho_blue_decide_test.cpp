// Morpho Blue's pure decision: from a snapshot and the keeper's balances to
// typed actions, with no node. The worked market: 900 loan tokens borrowed as
// 900e24 shares (1e6 shares per asset), LLTV 86%, price 1:1; a borrower of
// 900 against 1000 collateral is over the 860 the LLTV allows.
#include <gtest/gtest.h>

#include "chain/morpho/morpho_calls.hpp"
#include "protocols/morpho_blue/morpho_blue_decide.hpp"

namespace keeper::protocols::morpho_blue {
namespace morpho_blue_decide_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kE18 = U256::pow10(18);
const U256 kE24 = U256::pow10(24);

const Address kMorpho = Address::parse("0x00000000000000000000000000000000000000aa").value();
const Address kLoan = Address::parse("0x00000000000000000000000000000000000000b1").value();
const Address kCollateral = Address::parse("0x00000000000000000000000000000000000000c1").value();
const Address kAlice = Address::parse("0x00000000000000000000000000000000000000d1").value();
const Address kBob = Address::parse("0x00000000000000000000000000000000000000d2").value();
const Bytes32 kMarket = Bytes32::from_bytes(Bytes(32, 0x11)).value();

MarketAtBlock market_900() {
    MarketAtBlock m;
    m.id = kMarket;
    m.params.loan_token = kLoan;
    m.params.collateral_token = kCollateral;
    m.params.lltv_wad = n("860000000000000000");
    m.accrued.total_supply_assets = 1000 * kE18;
    m.accrued.total_supply_shares = 1000 * kE24;
    m.accrued.total_borrow_assets = 900 * kE18;
    m.accrued.total_borrow_shares = 900 * kE24;
    m.accrued.last_update = 1'700'000'000;
    m.price_1e36 = U256::pow10(36);
    return m;
}

PositionHealth position(const Address& account, const U256& borrow_shares, const U256& collateral, bool liquidatable) {
    PositionHealth p;
    p.market = kMarket;
    p.account = account;
    p.position.borrow_shares = borrow_shares;
    p.position.collateral = collateral;
    p.liquidatable = liquidatable;
    return p;
}

MorphoSnapshot snapshot(std::vector<PositionHealth> positions) {
    MorphoSnapshot s;
    s.block = 100;
    s.markets = {market_900()};
    s.positions = std::move(positions);
    return s;
}

DecideSettings settings() {
    DecideSettings s;
    s.protocol_key = "morpho-blue@" + kMorpho.hex();
    s.morpho = kMorpho;
    s.native_price_1e36[kLoan] = U256(2000) * U256::pow10(36);
    return s;
}

DecisionInput funded(const U256& loan_balance) {
    DecisionInput in;
    in.head_block = 100;
    in.holdings.balance_of[kLoan] = loan_balance;
    return in;
}

TEST(MorphoBlueDecide, ALiquidatablePositionBecomesOneTypedLiquidation) {
    const auto decided = decide(snapshot({position(kAlice, 900 * kE24, 1000 * kE18, true)}), funded(10'000 * kE18),
                                settings());
    ASSERT_EQ(decided.actions.size(), 1u);
    const Action& a = decided.actions[0];
    EXPECT_EQ(a.kind, ActionKind::liquidate);
    EXPECT_EQ(a.work_key, "morpho-blue:" + kMarket.hex() + ":" + kAlice.hex());
    EXPECT_EQ(a.to, kMorpho);
    // Sized against all but one millionth of the shares: 899.9991 of the 900 debt.
    EXPECT_LE(a.prediction.debt_in, n("899999100000000000000"));
    EXPECT_GT(a.prediction.debt_in, n("899999000000000000000"));
    // Seized-assets mode, so the seize in the calldata is exact.
    EXPECT_EQ(a.calldata, chain::morpho_blue::encode_liquidate(market_900().params, kAlice, a.prediction.collateral_out,
                                                               U256()));
    // At 1:1 the profit before gas is the collateral over what is repaid (the incentive, ~4.38%).
    EXPECT_EQ(a.profit.before_gas + a.prediction.debt_in, a.prediction.collateral_out);
    EXPECT_GT(a.prediction.collateral_out, a.prediction.debt_in * U256(1043) / U256(1000));
    ASSERT_EQ(a.spends.size(), 1u);
    EXPECT_EQ(a.spends[0].token, kLoan);
    EXPECT_EQ(a.spends[0].spender, kMorpho);
    EXPECT_EQ(a.spends[0].amount, a.prediction.debt_in);
    // The Morpho gas rule: estimate + 20% + 30,000 for the landing block's accrual.
    EXPECT_EQ(a.gas.margin_percent, 20u);
    EXPECT_EQ(a.gas.extra_gas, 30'000u);
    EXPECT_EQ(a.profit.unit_per_wei_1e36, U256(2000) * U256::pow10(36));
    EXPECT_EQ(a.prediction.account, kAlice);
    EXPECT_EQ(a.prediction.position_id, kMarket);
    EXPECT_EQ(a.prediction.collateral_token, kCollateral);
    EXPECT_EQ(a.prediction.debt_token, kLoan);
}

TEST(MorphoBlueDecide, TheLoanBalanceCapsTheRepayAndOneRoundsPositionsShareIt) {
    // 100 loan tokens for two positions of 450 each (LTV 90% of 500 collateral).
    const auto decided = decide(snapshot({position(kAlice, 450 * kE24, 500 * kE18, true),
                                          position(kBob, 450 * kE24, 500 * kE18, true)}),
                                funded(100 * kE18), settings());
    ASSERT_FALSE(decided.actions.empty());
    EXPECT_LE(decided.actions[0].prediction.debt_in, 100 * kE18 - U256(1)) << "one wei of head-room";
    EXPECT_GT(decided.actions[0].prediction.debt_in, 99 * kE18);
    // Bob gets only what Alice's liquidation leaves of the 100: never both sized on the whole balance.
    U256 total;
    for (const auto& a : decided.actions) total = total + a.prediction.debt_in;
    EXPECT_LE(total, 100 * kE18);
    EXPECT_EQ(decided.actions.size() + decided.declined.size(), 2u);
}

TEST(MorphoBlueDecide, BusyHealthyAndUnfundedPositionsAreLeftOut) {
    const auto s = snapshot({position(kAlice, 900 * kE24, 1000 * kE18, true),
                             position(kBob, 100 * kE24, 1000 * kE18, false)});
    auto busy = funded(10'000 * kE18);
    busy.busy.insert("morpho-blue:" + kMarket.hex() + ":" + kAlice.hex());
    const auto while_busy = decide(s, busy, settings());
    EXPECT_TRUE(while_busy.actions.empty());
    EXPECT_TRUE(while_busy.declined.empty());
    EXPECT_TRUE(funding_tokens(s, busy).empty()) << "nothing to fund";

    DecisionInput unread;  // the loan token's balance could not be read
    const auto unfunded = decide(s, unread, settings());
    EXPECT_TRUE(unfunded.actions.empty());
    EXPECT_EQ(unfunded.skipped_unread, 1u);
    const auto tokens = funding_tokens(s, unread);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].token, kLoan);
    EXPECT_EQ(tokens[0].label, "market " + kMarket.hex() + ": loan token " + kLoan.checksummed());
}

}  // namespace morpho_blue_decide_test
}  // namespace keeper::protocols::morpho_blue

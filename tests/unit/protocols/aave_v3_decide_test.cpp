// Aave V3's pure decision, on the strategies' worked account: 10 WETH ($2000,
// LT 82.5%, bonus 5%, protocol fee 10%) against 17000 USDC ($1) of variable
// debt, indexes at 1 ray, base 1e8 = $1: HF 0.970588235294117647, close
// factor 50%, so one ppm inside 8500e6 is covered: 8499991499 USDC for
// 4.4412455582275 WETH, profit 38249961745 base ($382.50) before gas.
#include <gtest/gtest.h>

#include "chain/aave/aave_calls.hpp"
#include "protocols/aave_v3/aave_v3_decide.hpp"

namespace keeper::protocols::aave_v3 {
namespace aave_v3_decide_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kRay = U256::pow10(27);

const Address kPool = Address::parse("0x00000000000000000000000000000000000000aa").value();
const Address kWeth = Address::parse("0x00000000000000000000000000000000000000e0").value();
const Address kUsdc = Address::parse("0x00000000000000000000000000000000000000e1").value();
const Address kFlash = Address::parse("0x00000000000000000000000000000000000000f1").value();
const Address kUser = Address::parse("0x00000000000000000000000000000000000000d1").value();

aave::ReserveConfig cfg(std::uint16_t lt, std::uint16_t bonus, std::uint8_t decimals, std::uint16_t fee = 0) {
    aave::ReserveConfig c;
    c.ltv_bps = lt - 500;
    c.liquidation_threshold_bps = lt;
    c.liquidation_bonus_bps = bonus;
    c.decimals = decimals;
    c.active = true;
    c.borrowing_enabled = true;
    c.flash_loan_enabled = true;
    c.liquidation_protocol_fee_bps = fee;
    return c;
}

AaveReserveAtBlock reserve(const Address& asset, std::uint16_t id, const U256& price) {
    AaveReserveAtBlock r;
    r.asset = asset;
    r.data.id = id;
    r.price = price;
    r.normalized_income_ray = kRay;
    r.normalized_debt_ray = kRay;
    return r;
}

AaveSnapshot worked_snapshot() {
    AaveSnapshot s;
    s.block = 100;
    s.pool = kPool;
    s.reserves = {reserve(kWeth, 0, n("200000000000")), reserve(kUsdc, 1, n("100000000"))};
    AaveAccountHealth account;
    account.account = kUser;
    account.input.config = aave::UserConfig().with_collateral(0, true).with_borrowing(1, true);
    account.input.reserves = {
        aave::ReserveSnapshot{0, cfg(8250, 10500, 18, 1000), n("200000000000"), kRay, kRay, n("10000000000000000000"), 0, 0},
        aave::ReserveSnapshot{1, cfg(8000, 10450, 6), n("100000000"), kRay, kRay, 0, n("17000000000"), 0}};
    account.data.health_factor_wad = n("970588235294117647");
    account.liquidatable = true;
    s.accounts = {account};
    return s;
}

DecideSettings own_funds() {
    DecideSettings s;
    s.protocol_key = "aave-v3@0xprovider";
    s.native_token = kWeth;
    return s;
}

DecisionInput holding_usdc(const char* units) {
    DecisionInput in;
    in.head_block = 100;
    in.holdings.balance_of[kUsdc] = n(units);
    return in;
}

TEST(AaveV3Decide, TheWorkedAccountBecomesOneLiquidationCallOnePpmInsideTheCloseFactor) {
    const auto decided = decide(worked_snapshot(), holding_usdc("100000000000"), own_funds());
    ASSERT_EQ(decided.actions.size(), 1u);
    const Action& a = decided.actions[0];
    EXPECT_EQ(a.work_key, "aave-v3:" + kPool.hex() + ":" + kUser.hex());
    EXPECT_EQ(a.to, kPool);
    EXPECT_EQ(a.calldata, chain::aave_v3::encode_liquidation_call(kWeth, kUsdc, kUser, n("8499991499"), false));
    EXPECT_EQ(a.prediction.collateral_out, n("4441245558227500000"));
    EXPECT_EQ(a.prediction.debt_in, n("8499991499"));
    EXPECT_EQ(a.profit.before_gas, n("38249961745"));
    EXPECT_EQ(a.profit.unit, "base units");
    // WETH's oracle price (2000e8 base per 1e18 wei) x 1e18: base per wei x 1e36.
    EXPECT_EQ(a.profit.unit_per_wei_1e36, n("200000000000") * U256::pow10(18));
    ASSERT_EQ(a.spends.size(), 1u);
    EXPECT_EQ(a.spends[0].token, kUsdc);
    EXPECT_EQ(a.spends[0].spender, kPool);
    EXPECT_EQ(a.spends[0].amount, n("8499991499"));
    EXPECT_EQ(a.gas.margin_percent, 20u);
    EXPECT_EQ(a.gas.extra_gas, 0u) << "Aave: the estimate + 20%";
    EXPECT_EQ(a.subject, "Aave account " + kUser.checksummed());
}

TEST(AaveV3Decide, AFlashLiquidatorNeedsNoBalanceAndCallsItsOwnContract) {
    auto settings = own_funds();
    settings.flash_liquidator = kFlash;
    auto snapshot = worked_snapshot();
    DecisionInput nothing_held;
    EXPECT_TRUE(funding_tokens(snapshot, nothing_held, settings).empty());
    // Without FLASHLOAN_PREMIUM_TOTAL read, nothing is sized: counted as unread.
    EXPECT_EQ(decide(snapshot, nothing_held, settings).skipped_unread, 1u);
    snapshot.flash_premium_bps = 9;
    const auto decided = decide(snapshot, nothing_held, settings);
    ASSERT_EQ(decided.actions.size(), 1u);
    EXPECT_EQ(decided.actions[0].to, kFlash);
    EXPECT_TRUE(decided.actions[0].spends.empty());
    EXPECT_NE(decided.actions[0].summary.find("with a flash loan"), std::string::npos);
}

TEST(AaveV3Decide, AnUnreadDebtReserveIsASkipNotADecline) {
    const auto snapshot = worked_snapshot();
    DecisionInput unread;
    const auto tokens = funding_tokens(snapshot, unread, own_funds());
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].token, kUsdc);
    EXPECT_EQ(tokens[0].label, "reserve " + kUsdc.checksummed());
    const auto decided = decide(snapshot, unread, own_funds());
    EXPECT_TRUE(decided.actions.empty());
    EXPECT_TRUE(decided.declined.empty());
    EXPECT_EQ(decided.skipped_unread, 1u);

    auto busy = holding_usdc("100000000000");
    busy.busy.insert("aave-v3:" + kPool.hex() + ":" + kUser.hex());
    EXPECT_TRUE(decide(snapshot, busy, own_funds()).actions.empty());
}

}  // namespace aave_v3_decide_test
}  // namespace keeper::protocols::aave_v3

// decide_yield on hand-built snapshots shaped like the devnet's "big" vault:
// 1 ETH of collateral, 1200 USDC (6 decimals) of debt at a 150% ratio, ETH at
// 1500 USDC (level -300 USDC); the Witch's line: half the vault per auction,
// 75% of the collateral at the start rising to 100% over 3600 s, dust 100
// USDC, 1% to the starter; 12 s blocks.
#include "protocols/yield_v2/yield_decide.hpp"

#include <gtest/gtest.h>

#include "protocols/yield_v2/yield_calls.hpp"

namespace keeper::yield_v2 {
namespace yield_decide_test {

U256 usdc(std::uint64_t units) { return U256(units) * U256::pow10(6); }
U256 milli_eth(std::uint64_t m) { return U256(m) * U256::pow10(15); }
Address addr(std::uint8_t last) {
    Address a;
    a.bytes[19] = last;
    return a;
}

const Address kWitch = addr(0x01), kKeeper = addr(0x02), kOwner = addr(0x03);
const Address kUsdc = addr(0x10), kUsdcJoin = addr(0x11), kWeth = addr(0x12), kWethJoin = addr(0x13), kFy = addr(0x14);
const AssetId kBase = AssetId::from_hex("0x303200000000").value();
const AssetId kIlk = AssetId::from_hex("0x303000000000").value();
const SeriesId kSeries = SeriesId::from_hex("0x303230370000").value();
const VaultId kVault = VaultId::from_hex("0x0102030405060708090a0b0c").value();
constexpr std::uint64_t kT0 = 1'700'000'000;

VaultReading big_vault() {
    VaultReading v;
    v.id = kVault;
    v.vault = Vault{kOwner, kSeries, kIlk};
    v.balances = Balances{usdc(1200), milli_eth(1000)};
    v.series = Series{kFy, kBase, kT0 + 90 * 86400};
    v.debt = Debt{U256(1'000'000), 100, 6, usdc(1200)};
    v.spot = SpotOracle{addr(0x20), 1'500'000};
    v.ink_value = usdc(1500);
    v.line = Line{3600, U256(5) * U256::pow10(17), U256(75) * U256::pow10(16)};
    v.limits = Limits{milli_eth(1'000'000), U256()};
    v.auctioneer_reward_wad = U256::pow10(16);
    v.level = Level{true, usdc(300)};
    return v;
}

YieldSnapshot snapshot_of(VaultReading v) {
    YieldSnapshot s;
    s.addresses = YieldAddresses{addr(0x30), kWitch};
    s.assets[kBase] = AssetContracts{kUsdc, kUsdcJoin};
    s.assets[kIlk] = AssetContracts{kWeth, kWethJoin};
    s.fy_tokens[kSeries] = kFy;
    s.vaults.push_back(std::move(v));
    return s;
}

// The vault after the keeper started its auction at kT0: the Witch holds it.
VaultReading under_auction() {
    VaultReading v = big_vault();
    v.vault.owner = kWitch;
    v.auction = Auction{kOwner, static_cast<std::uint32_t>(kT0), kBase, milli_eth(500), usdc(600), kKeeper, kIlk,
                        kSeries};
    v.limits.sum = milli_eth(500);
    return v;
}

YieldDecideSettings settings() {
    YieldDecideSettings s;
    s.protocol_key = "yield-v2@" + addr(0x30).hex();
    s.bid_gas_cost_base = usdc(5);
    s.horizon_blocks = 300;
    return s;
}

protocols::DecisionInput at(std::uint64_t block, std::uint64_t timestamp) {
    protocols::DecisionInput in;
    in.head_block = block;
    in.head_timestamp = timestamp;
    in.keeper = kKeeper;
    in.holdings.balance_of[kUsdc] = usdc(1000);
    in.holdings.balance_of[kFy] = U256();
    return in;
}

TEST(YieldDecide, StartsTheAuctionOfAnUndercollateralisedVault) {
    const auto d = decide_yield(snapshot_of(big_vault()), at(1000, kT0), settings());
    ASSERT_EQ(d.actions.size(), 1u);
    const auto& a = d.actions[0];
    EXPECT_EQ(a.kind, protocols::ActionKind::start_auction);
    EXPECT_EQ(a.work_key, "yield-auction:" + kVault.hex());
    EXPECT_EQ(a.to, kWitch);
    EXPECT_EQ(a.calldata, encode_auction(kVault, kKeeper));
    // Half the vault: 600 USDC for 0.5 ETH; the starter's 1% of 0.5 ETH at 1500 = 7.5 USDC.
    EXPECT_EQ(a.prediction.debt_in, usdc(600));
    EXPECT_EQ(a.prediction.collateral_out, milli_eth(500));
    EXPECT_EQ(a.profit.before_gas, U256(7'500'000));
    EXPECT_EQ(a.prediction.account, kOwner);
    EXPECT_TRUE(a.spends.empty());
}

TEST(YieldDecide, AHealthyVaultOrABusyOneIsLeftAlone) {
    VaultReading healthy = big_vault();
    healthy.ink_value = usdc(2000);
    healthy.level = Level{false, usdc(200)};
    EXPECT_TRUE(decide_yield(snapshot_of(healthy), at(1000, kT0), settings()).actions.empty());
    auto busy = at(1000, kT0);
    busy.busy.insert("yield-auction:" + kVault.hex());
    EXPECT_TRUE(decide_yield(snapshot_of(big_vault()), busy, settings()).actions.empty());
}

TEST(YieldDecide, AProtectedOwnerOrAMissingLineIsDeclined) {
    VaultReading v = big_vault();
    v.owner_protected = true;
    auto d = decide_yield(snapshot_of(v), at(1000, kT0), settings());
    EXPECT_TRUE(d.actions.empty());
    ASSERT_EQ(d.declined.size(), 1u);
    EXPECT_NE(d.declined[0].reason.find("protects"), std::string::npos);
    v = big_vault();
    v.limits.max = U256();
    d = decide_yield(snapshot_of(v), at(1000, kT0), settings());
    ASSERT_EQ(d.declined.size(), 1u);
    EXPECT_NE(d.declined[0].reason.find("no line"), std::string::npos);
}

TEST(YieldDecide, WaitsForTheBlockWherePayingBaseFirstPays) {
    // 5 USDC of gas: block +69 (828 s) is the first paying (unit test of the
    // strategy). At the start and at +67 nothing is sent yet.
    EXPECT_TRUE(decide_yield(snapshot_of(under_auction()), at(1000, kT0), settings()).actions.empty());
    EXPECT_TRUE(decide_yield(snapshot_of(under_auction()), at(1067, kT0 + 804), settings()).actions.empty());
    // At +68 the next block is +69: bid now, into it.
    const auto d = decide_yield(snapshot_of(under_auction()), at(1068, kT0 + 816), settings());
    ASSERT_EQ(d.actions.size(), 1u);
    const auto& a = d.actions[0];
    EXPECT_EQ(a.kind, protocols::ActionKind::bid);
    EXPECT_EQ(a.not_before_block, 1069u);
    EXPECT_EQ(a.calldata, encode_pay_base(kVault, kKeeper, U256(40375) * U256::pow10(13), usdc(600)));
    ASSERT_EQ(a.spends.size(), 1u);
    EXPECT_EQ(a.spends[0].token, kUsdc);
    EXPECT_EQ(a.spends[0].spender, kUsdcJoin);
    EXPECT_EQ(a.spends[0].amount, usdc(600));
    EXPECT_EQ(a.prediction.collateral_out, U256(40375) * U256::pow10(13));
    EXPECT_EQ(a.prediction.debt_in, usdc(600));
    EXPECT_EQ(a.prediction.collateral_token, kWeth);
    // 605.625 USDC of collateral for 600: 5.625 before gas.
    EXPECT_EQ(a.profit.before_gas, U256(5'625'000));
}

TEST(YieldDecide, AnExpectedRivalIsPreEmptedOrLeftTheLot) {
    // Our floor 10 USDC would wait until +84; a rival with 5 USDC of gas and a
    // 4 USDC floor bids at +75, so we bid at +74 (3.749999 USDC after gas).
    auto with_rival = settings();
    with_rival.min_profit_base = usdc(10);
    with_rival.rival = YieldDecideSettings::Rival{usdc(5), usdc(4)};
    EXPECT_TRUE(decide_yield(snapshot_of(under_auction()), at(1072, kT0 + 864), with_rival).actions.empty());
    const auto d = decide_yield(snapshot_of(under_auction()), at(1073, kT0 + 876), with_rival);
    ASSERT_EQ(d.actions.size(), 1u);
    EXPECT_EQ(d.actions[0].not_before_block, 1074u);
    // A rival paying 1 USDC of gas bids at +62, before anything pays us.
    with_rival.rival = YieldDecideSettings::Rival{usdc(1), U256()};
    const auto left = decide_yield(snapshot_of(under_auction()), at(1000, kT0), with_rival);
    EXPECT_TRUE(left.actions.empty());
    ASSERT_EQ(left.declined.size(), 1u);
    EXPECT_NE(left.declined[0].reason.find("rival"), std::string::npos);
}

TEST(YieldDecide, PaysWithFyTokenWhenItHoldsEnough) {
    auto in = at(1068, kT0 + 816);
    in.holdings.balance_of[kFy] = usdc(600);
    in.holdings.balance_of[kUsdc] = usdc(10);
    const auto d = decide_yield(snapshot_of(under_auction()), in, settings());
    ASSERT_EQ(d.actions.size(), 1u);
    EXPECT_EQ(d.actions[0].calldata, encode_pay_fy_token(kVault, kKeeper, U256(40375) * U256::pow10(13), usdc(600)));
    EXPECT_EQ(d.actions[0].spends[0].token, kFy);
    EXPECT_EQ(d.actions[0].spends[0].spender, kWitch);
}

TEST(YieldDecide, ShortFundsTakeAPartLeavingTheDust) {
    // 550 USDC: taking 550 would leave 50 < 100 dust, so 500.
    auto in = at(1100, kT0 + 1200);
    in.holdings.balance_of[kUsdc] = usdc(550);
    const auto d = decide_yield(snapshot_of(under_auction()), in, settings());
    ASSERT_EQ(d.actions.size(), 1u);
    EXPECT_EQ(d.actions[0].prediction.debt_in, usdc(500));
}

TEST(YieldDecide, UnreadFundsSkipUnlessDryRun) {
    auto in = at(1068, kT0 + 816);
    in.holdings.balance_of.clear();
    const auto d = decide_yield(snapshot_of(under_auction()), in, settings());
    EXPECT_TRUE(d.actions.empty());
    EXPECT_EQ(d.skipped_unread, 1u);
    auto dry = settings();
    dry.dry_run = true;
    EXPECT_EQ(decide_yield(snapshot_of(under_auction()), in, dry).actions.size(), 1u);
}

TEST(YieldDecide, AnAuctionThatCannotPayIsDeclinedWithTheReason) {
    VaultReading v = under_auction();
    v.ink_value = usdc(1000);  // 0.5 ETH at 1000 never covers 600 USDC
    const auto d = decide_yield(snapshot_of(v), at(1068, kT0 + 816), settings());
    EXPECT_TRUE(d.actions.empty());
    ASSERT_EQ(d.declined.size(), 1u);
    EXPECT_NE(d.declined[0].reason.find("no block"), std::string::npos) << d.declined[0].reason;
}

}  // namespace yield_decide_test
}  // namespace keeper::yield_v2

// The Witch's arithmetic, worked by hand (vault-v2 0.18.5 Witch.sol), with
// the devnet's line: vaultProportion 50%, collateralProportion 75%,
// duration 3600 s, dust 100 USDC (6 decimals), reward 1%.
#include "protocols/yield_v2/witch_auction.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace keeper::yield_v2 {
namespace witch_auction_test {

U256 usdc(std::uint64_t units) { return U256(units) * U256::pow10(6); }
U256 milli_eth(std::uint64_t m) { return U256(m) * U256::pow10(15); }
const U256 kWad = U256::pow10(18);

Line line() { return Line{3600, U256(5) * U256::pow10(17), U256(75) * U256::pow10(16)}; }
Debt dust_100() { return Debt{U256(1'000'000), 100, 6, U256()}; }
const Address kStarter = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
const Address kOther = Address::from_hex("0x00000000000000000000000000000000000000bb").value();

TEST(WitchAuction, HalfTheVaultGoesWhenBothHalvesClearTheDust) {
    // 1200 USDC: 600 to auction, 600 left; half of 1 ETH.
    EXPECT_EQ(calc_auction(Balances{usdc(1200), milli_eth(1000)}, line(), dust_100()).value(),
              (AuctionAmounts{usdc(600), milli_eth(500), U256(5) * U256::pow10(17)}));
}

TEST(WitchAuction, AShareBelowTheDustIsRaisedToIt) {
    // 190 USDC: half is 95 < 100, raised to 100 (proportion 100/190 rounded
    // up), which would leave 90 < 100: all of it goes.
    EXPECT_EQ(calc_auction(Balances{usdc(190), milli_eth(150)}, line(), dust_100()).value(),
              (AuctionAmounts{usdc(190), milli_eth(150), kWad}));
    // 250 with a 30% line: 75 < 100 -> 100 (40%), leaving 150: 40% of 0.2 ETH = 0.08 ETH.
    Line thirty = line();
    thirty.vault_proportion_wad = U256(3) * U256::pow10(17);
    EXPECT_EQ(calc_auction(Balances{usdc(250), milli_eth(200)}, thirty, dust_100()).value(),
              (AuctionAmounts{usdc(100), milli_eth(80), U256(4) * U256::pow10(17)}));
}

TEST(WitchAuction, AVaultAtOrBelowTheDustGoesWhole) {
    EXPECT_EQ(calc_auction(Balances{usdc(100), milli_eth(70)}, line(), dust_100()).value(),
              (AuctionAmounts{usdc(100), milli_eth(70), kWad}));
}

TEST(WitchAuction, TheCollateralProportionRisesLinearlyThenStays) {
    const std::uint32_t start = 1'700'000'000;
    EXPECT_EQ(collateral_proportion_wad(line(), start, start).value(), U256(75) * U256::pow10(16));
    EXPECT_EQ(collateral_proportion_wad(line(), start, start + 1800).value(), U256(875) * U256::pow10(15));
    // 0.75 + 0.25 x 1 / 3600, rounded down: 750069444444444444.
    EXPECT_EQ(collateral_proportion_wad(line(), start, start + 1).value(), U256(750069444444444444ull));
    EXPECT_EQ(collateral_proportion_wad(line(), start, start + 3600).value(), kWad);
    EXPECT_EQ(collateral_proportion_wad(line(), start, start + 99999).value(), kWad);
    Line forever = line();
    forever.duration = std::numeric_limits<std::uint32_t>::max();
    EXPECT_EQ(collateral_proportion_wad(forever, start, start + 99999).value(), U256(75) * U256::pow10(16));
    EXPECT_FALSE(collateral_proportion_wad(line(), start, start - 1).has_value());
}

TEST(WitchAuction, PayoutSplitsTheStartersRewardFromOtherBuyers) {
    const Auction a{kOther, 1'700'000'000, AssetId(), milli_eth(500), usdc(600), kStarter, AssetId(), SeriesId()};
    const U256 reward = U256::pow10(16);
    // 250 of 600 USDC at 900 s: 250/600 = 0.416666666666666666 (wdiv, down) x 0.5 ETH =
    // 0.208333333333333333 ETH; x (0.75 + 0.0625) = 0.169270833333333333 ETH.
    const Payout own = calc_payout(a, line(), reward, kStarter, usdc(250), a.start + 900).value();
    EXPECT_EQ(own, (Payout{U256(169270833333333333ull), U256(), usdc(250)}));
    const Payout other = calc_payout(a, line(), reward, kOther, usdc(250), a.start + 900).value();
    EXPECT_EQ(other.auctioneer_cut, U256(1692708333333333ull));
    EXPECT_EQ(other.liquidator_cut, U256(169270833333333333ull) - U256(1692708333333333ull));
    // Asking for more than is left pays for what is left.
    EXPECT_EQ(calc_payout(a, line(), reward, kStarter, usdc(5000), a.start + 3600).value(),
              (Payout{milli_eth(500), U256(), usdc(600)}));
}

TEST(WitchAuction, ABuyMustLeaveTheDustOrEndTheAuction) {
    const Auction a{kOther, 1'700'000'000, AssetId(), milli_eth(100), usdc(125), kStarter, AssetId(), SeriesId()};
    EXPECT_FALSE(apply_buy(a, usdc(30), milli_eth(1), usdc(100)).has_value());  // leaves 95
    const AfterBuy partial = apply_buy(a, usdc(25), milli_eth(15), usdc(100)).value();
    EXPECT_FALSE(partial.ended);
    EXPECT_EQ(partial.auction.art, usdc(100));
    EXPECT_EQ(partial.auction.ink, milli_eth(85));
    EXPECT_TRUE(apply_buy(a, usdc(125), milli_eth(90), usdc(100)).value().ended);
}

TEST(WitchAuction, StartingStoresTheBlocksTimestampAndTheStarter) {
    const Vault v{kOther, SeriesId::from_hex("0x303230370000").value(), AssetId::from_hex("0x303000000000").value()};
    const Series s{Address(), AssetId::from_hex("0x303200000000").value(), 1'800'000'000};
    const Auction a = start_auction(VaultId(), v, s, Balances{usdc(1200), milli_eth(1000)}, line(), dust_100(),
                                    kStarter, 1'700'000'123)
                          .value();
    EXPECT_EQ(a, (Auction{kOther, 1'700'000'123, s.base_id, milli_eth(500), usdc(600), kStarter, v.ilk_id,
                          v.series_id}));
}

}  // namespace witch_auction_test
}  // namespace keeper::yield_v2

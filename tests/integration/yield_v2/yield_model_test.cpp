// The exact models (protocols/yield_v2: cauldron_level, witch_auction)
// against Yield v2's own contracts on anvil: Cauldron.level, the auction the
// Witch stores, Witch.calcPayout and what payBase/payFYToken pay, to the wei.
#include <gtest/gtest.h>

#include <vector>

#include "chain/morpho/morpho_calls.hpp"
#include "core/abi_signature.hpp"
#include "protocols/yield_v2/cauldron_level.hpp"
#include "strategies/dutch_auction_bid.hpp"
#include "protocols/yield_v2/witch_auction.hpp"
#include "protocols/yield_v2/yield_calls.hpp"
#include "tests/integration/yield_v2/yield_fixture.hpp"

namespace keeper::yield_v2::testing {
namespace yield_model_test {

Address address(const chain::PrivateKey& k) { return chain::address_of(k); }

class YieldModels : public YieldOnAnvil {
protected:
    Level chain_level(const VaultId& id) {
        return decode_level(call(devnet_.contracts.cauldron, encode_level(id))).value();
    }
    Auction chain_auction(const VaultId& id) {
        return decode_auction(call(devnet_.contracts.witch, encode_auctions(id))).value();
    }
    // Starts the auction of `id` from the keeper in a block at `t`; returns
    // what the model predicted from the state just before.
    Auction start(const VaultId& id, std::uint64_t t) {
        const VaultReading r = read(id);
        EXPECT_TRUE(undercollateralised(r.level));
        auto predicted = start_auction(id, r.vault, r.series, r.balances, r.line, r.debt, address(*keeper_), t);
        EXPECT_TRUE(predicted.has_value()) << predicted.error().message;
        next_timestamp(t);
        const auto receipt = send(*keeper_, devnet_.contracts.witch, encode_auction(id, address(*keeper_)));
        EXPECT_TRUE(receipt.success);
        return predicted.value_or(Auction{});
    }
};

TEST_F(YieldModels, LevelEqualsTheCauldronsToTheWeiAsThePriceMoves) {
    open_three();
    // big at 2000: 1 ETH is worth 2000 USDC, 1.5 x 1200 = 1800 are required: +200 USDC.
    EXPECT_EQ(read(big_).level, (Level{false, usdc(200)}));
    // ChainlinkMultiOracle: ink * answer / 10^18.
    EXPECT_EQ(read(mid_).ink_value,
              chainlink_quote(ChainlinkSource{usdc(2000), 18, 6, false}, milli_eth(200)).value());
    for (std::uint64_t price : {2000u, 1801u, 1800u, 1799u, 1500u, 1234u, 3000u}) {
        set_price(price);
        for (const VaultId& id : {big_, mid_, small_}) {
            SCOPED_TRACE(std::to_string(price) + " " + id.hex());
            EXPECT_EQ(read(id).level, chain_level(id));
        }
    }
    // big at 1500: 1500 - 1800 = -300 USDC; at 1800 exactly 0 (not under).
    set_price(1500);
    EXPECT_EQ(read(big_).level, (Level{true, usdc(300)}));
    set_price(1800);
    EXPECT_FALSE(undercollateralised(read(big_).level));
}

TEST_F(YieldModels, AuctionStartsWithThePredictedAmountsForEachDustRule) {
    open_three();
    set_price(1500);
    const std::uint64_t t0 = head().timestamp + 10;
    const Auction big = start(big_, t0);
    const Auction mid = start(mid_, t0 + 1);
    const Auction small = start(small_, t0 + 2);

    EXPECT_EQ(chain_auction(big_), big);
    EXPECT_EQ(chain_auction(mid_), mid);
    EXPECT_EQ(chain_auction(small_), small);
    // Half of big and mid; all of small (90 < 100 raised to 100 would leave 80 < 100).
    EXPECT_EQ(big.art, usdc(600));
    EXPECT_EQ(big.ink, milli_eth(500));
    EXPECT_EQ(mid.art, usdc(125));
    EXPECT_EQ(mid.ink, milli_eth(100));
    EXPECT_EQ(small.art, usdc(180));
    EXPECT_EQ(small.ink, milli_eth(150));
    EXPECT_EQ(big.start, t0);
    EXPECT_EQ(big.auctioneer, address(*keeper_));
    EXPECT_EQ(big.owner, address(*borrower_));
    // The Witch holds the vaults and counts their collateral against the limit.
    const VaultReading r = read(big_);
    EXPECT_EQ(r.vault.owner, devnet_.contracts.witch);
    EXPECT_EQ(r.limits.sum, milli_eth(750));
}

TEST_F(YieldModels, CalcPayoutEqualsTheWitchsAtEveryTimestamp) {
    open_three();
    set_price(1500);
    const std::uint64_t t0 = head().timestamp + 10;
    start(big_, t0);
    for (std::uint64_t dt : {0u, 1u, 600u, 1800u, 3599u, 3600u, 5000u}) {
        if (dt > 0) mine_at(t0 + dt);
        const VaultReading r = read(big_);
        ASSERT_EQ(r.timestamp, t0 + dt);
        for (const Address& to : {address(*keeper_), address(*bidder_)}) {
            for (const U256& max_art : {usdc(100), usdc(333), usdc(600), usdc(1000)}) {
                SCOPED_TRACE("dt " + std::to_string(dt) + " to " + to.hex() + " art " + max_art.to_dec());
                const Payout chain =
                    decode_payout(call(devnet_.contracts.witch, encode_calc_payout(big_, to, max_art))).value();
                const Payout model =
                    calc_payout(r.auction, r.line, r.auctioneer_reward_wad, to, max_art, r.timestamp).value();
                EXPECT_EQ(model, chain);
            }
        }
    }
    // Worked example at half time (1800 s of 3600): 75% + 25% x 1/2 = 87.5%
    // of 0.5 ETH for all 600 USDC = 0.4375 ETH; a bidder who did not start
    // the auction leaves 1% (0.004375 ETH) to the keeper who did.
    const VaultReading r = read(big_);
    const Payout half = calc_payout(r.auction, r.line, r.auctioneer_reward_wad, address(*bidder_), usdc(600),
                                    t0 + 1800).value();
    EXPECT_EQ(half.total(), U256(4375) * U256::pow10(14));
    EXPECT_EQ(half.auctioneer_cut, U256(4375) * U256::pow10(12));
    EXPECT_EQ(half.liquidator_cut, U256(433125) * U256::pow10(12));
}

TEST_F(YieldModels, BidsPayThePredictedCollateralToTheWeiAndTheStarterItsReward) {
    open_three();
    set_price(1500);
    const std::uint64_t t0 = head().timestamp + 10;
    start(big_, t0);
    const Address bidder = address(*bidder_);
    const Address keeper = address(*keeper_);
    const auto& c = devnet_.contracts;

    // A partial payFYToken of 250 USDC of art at t0 + 900 (leaves 350 >= dust).
    ASSERT_TRUE(devnet::fund_fy_token(*client_, *owner_, devnet_, bidder, usdc(250)).has_value());
    send(*bidder_, c.fy_token, chain::morpho_blue::encode_erc20_approve(c.witch, usdc(250)));
    VaultReading r = read(big_);
    const Payout first = calc_payout(r.auction, r.line, r.auctioneer_reward_wad, bidder, usdc(250), t0 + 900).value();
    const U256 ilk_before = balance(c.ilk_token, bidder);
    const U256 keeper_before = balance(c.ilk_token, keeper);
    next_timestamp(t0 + 900);
    EXPECT_TRUE(send(*bidder_, c.witch, encode_pay_fy_token(big_, bidder, first.liquidator_cut, usdc(250))).success);
    EXPECT_EQ(balance(c.ilk_token, bidder) - ilk_before, first.liquidator_cut);
    EXPECT_EQ(balance(c.ilk_token, keeper) - keeper_before, first.auctioneer_cut);
    const AfterBuy left = apply_buy(r.auction, usdc(250), first.total(), r.debt.dust()).value();
    EXPECT_FALSE(left.ended);
    EXPECT_EQ(chain_auction(big_), left.auction);

    // The rest with payBase at t0 + 2700: the auction ends, the vault goes back.
    ASSERT_TRUE(devnet::mint_token(*client_, *owner_, c.base_token, bidder, usdc(350)).has_value());
    send(*bidder_, c.base_token, chain::morpho_blue::encode_erc20_approve(c.base_join, usdc(350)));
    r = read(big_);
    const Payout rest = calc_payout(r.auction, r.line, r.auctioneer_reward_wad, bidder, usdc(350), t0 + 2700).value();
    const U256 before = balance(c.ilk_token, bidder);
    next_timestamp(t0 + 2700);
    EXPECT_TRUE(send(*bidder_, c.witch, encode_pay_base(big_, bidder, rest.liquidator_cut, usdc(350))).success);
    EXPECT_EQ(balance(c.ilk_token, bidder) - before, rest.liquidator_cut);
    EXPECT_EQ(balance(c.base_token, bidder), U256());
    EXPECT_EQ(chain_auction(big_).start, 0u);
    EXPECT_EQ(read(big_).vault.owner, address(*borrower_));
    EXPECT_EQ(read(big_).balances.art, usdc(600));
}

TEST_F(YieldModels, APartialBidLeavingDustRevertsAsTheModelSays) {
    open_three();
    set_price(1500);
    start(mid_, head().timestamp + 10);
    const VaultReading r = read(mid_);
    // 125 USDC on auction, dust 100: taking 30 leaves 95.
    EXPECT_FALSE(apply_buy(r.auction, usdc(30), U256(), r.debt.dust()).has_value());
    EXPECT_EQ(strategies::largest_take(r.auction.art, usdc(30), r.debt.dust()), usdc(25));
    const Address bidder = address(*bidder_);
    auto funded = devnet::fund_fy_token(*client_, *owner_, devnet_, bidder, usdc(30));
    ASSERT_TRUE(funded.has_value()) << funded.error().message;
    send(*bidder_, devnet_.contracts.fy_token, chain::morpho_blue::encode_erc20_approve(devnet_.contracts.witch, usdc(30)));
    EXPECT_FALSE(send(*bidder_, devnet_.contracts.witch, encode_pay_fy_token(mid_, bidder, U256(), usdc(30))).success);
    EXPECT_TRUE(send(*bidder_, devnet_.contracts.witch, encode_pay_fy_token(mid_, bidder, U256(), usdc(25))).success);
    EXPECT_EQ(chain_auction(mid_).art, usdc(100));
}

TEST_F(YieldModels, AProtectedOwnersVaultIsReadAsProtectedAndCannotBeAuctioned) {
    open_three();
    set_price(1500);
    const Address borrower = address(*borrower_);
    EXPECT_FALSE(read(mid_).owner_protected);
    const std::vector<abi::Value> args{abi::Value(borrower), abi::Value(true)};
    const auto data = abi::encode_call("setProtected(address,bool)", args).value();
    ASSERT_TRUE(send(*owner_, devnet_.contracts.witch, data).success);
    const VaultReading r = read(mid_);
    EXPECT_TRUE(r.owner_protected);
    EXPECT_TRUE(undercollateralised(r.level));
    EXPECT_FALSE(send(*keeper_, devnet_.contracts.witch, encode_auction(mid_, address(*keeper_))).success);
}

TEST_F(YieldModels, CancelGivesARecoveredVaultBack) {
    open_three();
    set_price(1500);
    start(mid_, head().timestamp + 10);
    // Still under: cancel reverts.
    EXPECT_FALSE(send(*bidder_, devnet_.contracts.witch, encode_cancel(mid_)).success);
    set_price(2500);  // 0.2 ETH = 500 USDC >= 1.5 x 250
    EXPECT_FALSE(undercollateralised(read(mid_).level));
    EXPECT_TRUE(send(*bidder_, devnet_.contracts.witch, encode_cancel(mid_)).success);
    EXPECT_EQ(chain_auction(mid_).start, 0u);
    EXPECT_EQ(read(mid_).vault.owner, address(*borrower_));
    EXPECT_EQ(read(mid_).limits.sum, U256());
}

}  // namespace yield_model_test
}  // namespace keeper::yield_v2::testing

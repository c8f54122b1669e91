#include "protocols/yield_v2/witch_auction.hpp"

#include <limits>

#include "protocols/yield_v2/yield_math.hpp"

namespace keeper::yield_v2 {

Result<AuctionAmounts> calc_auction(const Balances& vault, const Line& line, const Debt& debt) {
    const U256 min = debt.dust();
    if (vault.art <= min) return AuctionAmounts{vault.art, vault.ink, wad()};

    U256 proportion = line.vault_proportion_wad;
    auto art = wmul(vault.art, proportion);
    if (!art) return fail("calcAuction: art * vaultProportion overflows");
    if (*art < min) {
        art = min;
        auto raised = wdivup(*art, vault.art);
        if (!raised) return fail("calcAuction: proportion overflows");
        proportion = *raised;
    }
    if (vault.art - *art < min) {
        art = vault.art;
        proportion = wad();
    }
    auto ink = wmul(vault.ink, proportion);
    if (!ink) return fail("calcAuction: ink * proportion overflows");
    if (*art > max_uint(128) || *ink > max_uint(128)) return fail("calcAuction: amount above uint128");
    return AuctionAmounts{*art, *ink, proportion};
}

Result<Auction> start_auction(const VaultId&, const Vault& vault, const Series& series, const Balances& balances,
                              const Line& line, const Debt& debt, const Address& auctioneer,
                              std::uint64_t timestamp) {
    if (timestamp > std::numeric_limits<std::uint32_t>::max()) return fail("auction: WitchIsDead");
    auto amounts = calc_auction(balances, line, debt);
    if (!amounts) return std::unexpected(amounts.error());
    return Auction{.owner = vault.owner,
                   .start = static_cast<std::uint32_t>(timestamp),
                   .base_id = series.base_id,
                   .ink = amounts->ink,
                   .art = amounts->art,
                   .auctioneer = auctioneer,
                   .ilk_id = vault.ilk_id,
                   .series_id = vault.series_id};
}

Result<U256> collateral_proportion_wad(const Line& line, std::uint32_t start, std::uint64_t timestamp) {
    if (timestamp < start) return fail("calcPayout: block.timestamp before the auction's start");
    const U256 elapsed(timestamp - start);
    const U256 duration(line.duration);
    if (line.duration == std::numeric_limits<std::uint32_t>::max()) return line.collateral_proportion_wad;
    if (elapsed >= duration) return wad();
    if (line.collateral_proportion_wad > wad()) return fail("calcPayout: collateral proportion above 100%");
    // duration > elapsed >= 0, so duration > 0 here.
    return line.collateral_proportion_wad + (wad() - line.collateral_proportion_wad) * elapsed / duration;
}

Result<Payout> calc_payout(const Auction& auction, const Line& line, const U256& auctioneer_reward_wad,
                           const Address& to, const U256& max_art_in, std::uint64_t timestamp) {
    const U256 art_in = max_art_in > auction.art ? auction.art : max_art_in;
    auto proportion = collateral_proportion_wad(line, auction.start, timestamp);
    if (!proportion) return std::unexpected(proportion.error());
    auto share = wdiv(art_in, auction.art);
    if (!share) return fail("calcPayout: artIn / art (art 0 or overflow)");
    auto ink_at_end = wmul(*share, auction.ink);
    if (!ink_at_end) return fail("calcPayout: ink overflows");
    auto cut = wmul(*ink_at_end, *proportion);
    if (!cut) return fail("calcPayout: ink * proportion overflows");
    Payout payout{*cut, U256(), art_in};
    if (auction.auctioneer != to) {
        auto reward = wmul(*cut, auctioneer_reward_wad);
        if (!reward) return fail("calcPayout: reward overflows");
        payout.auctioneer_cut = *reward;
        payout.liquidator_cut = *cut - *reward;
    }
    return payout;
}

Result<AfterBuy> apply_buy(const Auction& auction, const U256& art_in, const U256& ink_out, const U256& dust) {
    if (art_in > auction.art) return fail("buy: art_in above the auction's art");
    if (art_in == auction.art) return AfterBuy{true, auction};
    const U256 remainder = auction.art - art_in;
    if (remainder < dust)
        return fail("buy: LeavesDust(" + remainder.to_dec() + ", " + dust.to_dec() + ")");
    if (ink_out > auction.ink) return fail("buy: ink_out above the auction's ink");
    Auction left = auction;
    left.art = remainder;
    left.ink = auction.ink - ink_out;
    return AfterBuy{false, left};
}

}  // namespace keeper::yield_v2

#pragma once
// The Witch's auction arithmetic (vault-v2 0.18.5 Witch.sol), exactly:
//
// auction(): _calcAuction puts part of an under-collateralised vault up for
//   sale. With min = debt.min * 10^debt.dec (the dust minimum):
//     art > min:  art_a = art.wmul(vaultProportion); if art_a < min then
//                 art_a = min and the proportion becomes art_a.wdivup(art);
//                 if art - art_a < min the whole vault goes (100%);
//                 ink_a = ink.wmul(proportion)
//     else:       the whole vault (art, ink)
//
// payBase/payFYToken(): _calcPayout pays, for artIn of the auction's art,
//     inkAtEnd = artIn.wdiv(art).wmul(ink)
//     proportion(t) = p0 + (1e18 - p0) * elapsed / duration   (100% once elapsed >= duration;
//                                                              p0 forever when duration = uint32 max)
//     cut = inkAtEnd.wmul(proportion(t))
//   and when the buyer is not the auctioneer the auctioneer's reward
//   cut.wmul(auctioneerReward) comes out of it.
//
// A partial buy must leave at least `min` art in the auction (LeavesDust);
// buying all of it ends the auction and gives the vault back. Pure: core only.
#include <cstdint>

#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2 {

// The art and ink an auction of this vault starts with, and the proportion
// of the vault that makes it.
struct AuctionAmounts {
    U256 art;
    U256 ink;
    U256 vault_proportion_wad;
    friend bool operator==(const AuctionAmounts&, const AuctionAmounts&) = default;
};
Result<AuctionAmounts> calc_auction(const Balances& vault, const Line& line, const Debt& debt);

// The auction auction(vaultId, to) would store in block `timestamp`.
Result<Auction> start_auction(const VaultId& vault_id, const Vault& vault, const Series& series,
                              const Balances& balances, const Line& line, const Debt& debt, const Address& auctioneer,
                              std::uint64_t timestamp);

// The share of inkAtEnd paid at `timestamp` for an auction started at `start`.
Result<U256> collateral_proportion_wad(const Line& line, std::uint32_t start, std::uint64_t timestamp);

struct Payout {
    U256 liquidator_cut;  // collateral to the buyer's `to`
    U256 auctioneer_cut;  // collateral to the auction's starter (0 when to is the starter)
    U256 art_in;          // debt repaid (capped at the auction's art)
    U256 total() const { return liquidator_cut + auctioneer_cut; }
    friend bool operator==(const Payout&, const Payout&) = default;
};

// Witch.calcPayout for a running auction: `max_art_in` is capped at the
// auction's art, as calcPayout and payFYToken do.
Result<Payout> calc_payout(const Auction& auction, const Line& line, const U256& auctioneer_reward_wad,
                           const Address& to, const U256& max_art_in, std::uint64_t timestamp);

// What a buy of `art_in` paying `ink_out` (both cuts) leaves: the auction
// with less art and ink, or `ended` when art_in is all of it. An error where
// the Witch reverts with LeavesDust (0 < remainder < dust).
struct AfterBuy {
    bool ended = false;
    Auction auction;  // unchanged when ended
};
Result<AfterBuy> apply_buy(const Auction& auction, const U256& art_in, const U256& ink_out, const U256& dust);

}  // namespace keeper::yield_v2

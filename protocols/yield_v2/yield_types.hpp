#pragma once
// Yield Protocol v2 (vault-v2 0.18.5) state as the Cauldron and the Witch
// store it (interfaces/DataTypes.sol), as typed values independent of how
// they were read. Pure: core only. Amounts keep the contracts' widths in
// their names' comments (uint128 art and ink) but are held as U256.
#include <cstdint>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"

namespace keeper::yield_v2 {

struct AssetIdTag {};
struct SeriesIdTag {};
struct VaultIdTag {};
using AssetId = FixedBytes<6, AssetIdTag>;    // bytes6: an asset (base or ilk), "0x303000000000" is ETH
using SeriesId = FixedBytes<6, SeriesIdTag>;  // bytes6: a series (one base, one maturity, one fyToken)
using VaultId = FixedBytes<12, VaultIdTag>;   // bytes12

// Cauldron.vaults(vaultId)
struct Vault {
    Address owner;
    SeriesId series_id;
    AssetId ilk_id;  // the collateral
    friend bool operator==(const Vault&, const Vault&) = default;
};

// Cauldron.balances(vaultId): debt in fyToken units (art), collateral (ink).
struct Balances {
    U256 art;  // uint128
    U256 ink;  // uint128
    friend bool operator==(const Balances&, const Balances&) = default;
};

// Cauldron.series(seriesId)
struct Series {
    Address fy_token;
    AssetId base_id;
    std::uint32_t maturity = 0;  // unix seconds
    friend bool operator==(const Series&, const Series&) = default;
};

// Cauldron.debt(baseId, ilkId): limits are scaled by 10^dec.
struct Debt {
    U256 max;                // uint96
    std::uint32_t min = 0;   // uint24: the dust minimum is min * 10^dec
    std::uint8_t dec = 0;
    U256 sum;                // uint128
    U256 dust() const { return U256(min) * U256::pow10(dec); }
    friend bool operator==(const Debt&, const Debt&) = default;
};

// Cauldron.spotOracles(baseId, ilkId): ratio with 6 decimals (1'500'000 = 150%).
struct SpotOracle {
    Address oracle;
    std::uint32_t ratio_1e6 = 0;
    friend bool operator==(const SpotOracle&, const SpotOracle&) = default;
};

// Witch.lines(ilkId, baseId)
struct Line {
    std::uint32_t duration = 0;       // seconds to reach 100% of the collateral; type(uint32).max = never
    U256 vault_proportion_wad;        // uint64: share of the vault put up per auction
    U256 collateral_proportion_wad;   // uint64: share of the collateral offered at the start
    friend bool operator==(const Line&, const Line&) = default;
};

// Witch.limits(ilkId, baseId): collateral concurrently under auction.
struct Limits {
    U256 max;  // uint128
    U256 sum;  // uint128
    friend bool operator==(const Limits&, const Limits&) = default;
};

// Witch.auctions(vaultId); start == 0: no auction.
struct Auction {
    Address owner;              // the vault's owner before the Witch took it
    std::uint32_t start = 0;    // block.timestamp of auction()
    AssetId base_id;
    U256 ink;                   // uint128: collateral still on offer
    U256 art;                   // uint128: debt still to repay
    Address auctioneer;         // who called auction(): receives the reward from other bidders' buys
    AssetId ilk_id;
    SeriesId series_id;
    friend bool operator==(const Auction&, const Auction&) = default;
};

}  // namespace keeper::yield_v2

#pragma once
// Yield v2 as the contracts judge it in one block: every tracked vault with
// debt (or under auction) read at the round's head, plus what decide() needs
// to price and pay (tokens, joins). Immutable once built.
#include <cstdint>
#include <map>
#include <vector>

#include "core/address.hpp"
#include "protocols/protocol_adapter.hpp"
#include "protocols/yield_v2/yield_reader.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2 {

// The ERC-20s and Joins of one asset (base or ilk) and, for a series, its fyToken.
struct AssetContracts {
    Address token;
    Address join;  // the Ladle's join for the asset: payBase pulls base into it
};

struct YieldSnapshot : protocols::Snapshot {
    std::uint64_t timestamp = 0;
    YieldAddresses addresses;
    std::vector<VaultReading> vaults;        // with debt or under auction, in rows' order
    std::map<AssetId, AssetContracts> assets;  // every base and ilk of `vaults`
    std::map<SeriesId, Address> fy_tokens;
    nlohmann::json scan_json(std::size_t row) const override;
};

// The bytes32 a Prediction carries for a vault id (left-aligned, as bytes12 in a word).
Bytes32 position_id(const VaultId& vault);

}  // namespace keeper::yield_v2

#pragma once
// Reads one vault's state, and what the Witch knows about it, at one block:
// everything the exact models need (Cauldron.level, Witch auction amounts
// and payouts) as plain eth_calls pinned to that block. A Yield spot oracle
// is asked the way _level asks it: get(ilkId, baseId, ink).
#include <cstdint>
#include <optional>

#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "protocols/yield_v2/cauldron_level.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2 {

struct YieldAddresses {
    Address cauldron;
    Address witch;
};

struct VaultReading {
    VaultId id;
    Vault vault;            // owner: the Witch while under auction
    Balances balances;
    Series series;
    Debt debt;              // debt(baseId, ilkId): the dust minimum
    SpotOracle spot;
    U256 ink_value;         // spot oracle get(ilkId, baseId, ink)
    std::optional<U256> accrual_wad;  // from maturity on
    Line line;              // Witch.lines(ilkId, baseId)
    Limits limits;
    U256 auctioneer_reward_wad;
    Auction auction;        // start == 0: not under auction
    bool owner_protected = false;  // Witch.protected(vault owner): auction() reverts
    Level level;            // cauldron_level() of the above
    std::uint64_t block = 0;
    std::uint64_t timestamp = 0;
};

// `block` and its timestamp: every call is pinned to it.
Result<VaultReading> read_vault(chain::JsonRpcClient& client, const YieldAddresses& addresses, const VaultId& id,
                                std::uint64_t block, std::uint64_t timestamp);

}  // namespace keeper::yield_v2

#pragma once
// Yield v2 (vault-v2 0.18.5) Cauldron and Witch logs as typed events. Logs
// are untrusted bytes from a node: a followed event whose topics or data do
// not have the layout its Solidity declaration gives is an error naming the
// event, never a guess.
//
//   Cauldron: VaultBuilt, VaultTweaked, VaultDestroyed, VaultGiven,
//             VaultPoured, VaultStirred, VaultRolled
//   Witch:    Auctioned, Bought, Ended, Cancelled, Cleared
#include <optional>
#include <variant>
#include <vector>

#include "chain/rpc_types.hpp"
#include "core/abi_value.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2 {

struct VaultBuilt {
    VaultId vault;
    Address owner;
    SeriesId series;
    AssetId ilk;
    friend bool operator==(const VaultBuilt&, const VaultBuilt&) = default;
};
struct VaultTweaked {
    VaultId vault;
    SeriesId series;
    AssetId ilk;
    friend bool operator==(const VaultTweaked&, const VaultTweaked&) = default;
};
struct VaultDestroyed {
    VaultId vault;
    friend bool operator==(const VaultDestroyed&, const VaultDestroyed&) = default;
};
struct VaultGiven {
    VaultId vault;
    Address receiver;  // the Witch when an auction starts, the owner when it ends
    friend bool operator==(const VaultGiven&, const VaultGiven&) = default;
};
struct VaultPoured {
    VaultId vault;
    SeriesId series;
    AssetId ilk;
    abi::I256 ink;  // int128: collateral added (negative: removed)
    abi::I256 art;  // int128: debt added (negative: repaid, slurped)
    friend bool operator==(const VaultPoured&, const VaultPoured&) = default;
};
struct VaultStirred {
    VaultId from;
    VaultId to;
    U256 ink;
    U256 art;
    friend bool operator==(const VaultStirred&, const VaultStirred&) = default;
};
struct VaultRolled {
    VaultId vault;
    SeriesId series;
    U256 art;
    friend bool operator==(const VaultRolled&, const VaultRolled&) = default;
};
struct Auctioned {
    VaultId vault;
    Auction auction;
    U256 duration;
    U256 initial_collateral_proportion_wad;
    friend bool operator==(const Auctioned&, const Auctioned&) = default;
};
struct Bought {
    VaultId vault;
    Address buyer;
    U256 ink;  // both cuts
    U256 art;
    friend bool operator==(const Bought&, const Bought&) = default;
};
struct Ended {  // the vault went back to its owner (all bought, or cancelled)
    VaultId vault;
    friend bool operator==(const Ended&, const Ended&) = default;
};
struct Cancelled {  // the vault is collateralised again
    VaultId vault;
    friend bool operator==(const Cancelled&, const Cancelled&) = default;
};
struct Cleared {  // another contract took the vault
    VaultId vault;
    friend bool operator==(const Cleared&, const Cleared&) = default;
};

using Event = std::variant<VaultBuilt, VaultTweaked, VaultDestroyed, VaultGiven, VaultPoured, VaultStirred,
                           VaultRolled, Auctioned, Bought, Ended, Cancelled, Cleared>;

// topic0 of every event above, in Event's order: an eth_getLogs topic0 set.
const std::vector<Bytes32>& followed_topics();

// The vault an event is about (VaultStirred: `from`).
VaultId vault_of(const Event& event);

// nullopt: a log of an event we do not follow (governance, or no topics).
// The log's address is not checked: filter by the Cauldron and the Witch.
Result<std::optional<Event>> decode_event(const chain::Log& log);

}  // namespace keeper::yield_v2

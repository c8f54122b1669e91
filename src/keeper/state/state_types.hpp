#pragma once
// What the keeper remembers about a protocol between runs: where it is bound
// (start block and that block's hash), how far it has synced, and the Morpho
// Blue markets and positions it has seen so far.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "margin/morpho_blue.hpp"

namespace keeper::state {

// The last block whose effects are in the store.
struct BlockCursor {
    std::uint64_t number = 0;
    Bytes32 hash;
    friend bool operator==(const BlockCursor&, const BlockCursor&) = default;
};

struct ProtocolBinding {
    std::string key;  // e.g. "morpho-blue@0x<address, lowercase>"
    std::uint64_t start_block = 0;
    Bytes32 start_block_hash;  // tells a fresh anvil at the same addresses from the chain we synced
};

enum class BindOutcome {
    created,    // first time this key is seen
    resumed,    // same start block and hash: the stored state continues
    discarded,  // stored data was for another start block or hash: wiped
};

struct MorphoMarketRow {
    Bytes32 id;
    morpho::MarketParams params;
};

struct MorphoPositionRow {
    Bytes32 market;
    Address account;
    morpho::Position position;
};

struct MorphoSnapshot {
    std::optional<BlockCursor> cursor;  // none: nothing synced yet
    std::vector<MorphoMarketRow> markets;
    std::vector<MorphoPositionRow> positions;
};

// An Aave V3 pool: every account its events have named so far, and how far
// the events were applied. Balances are re-read from the chain at the head.
struct AaveSnapshot {
    std::optional<BlockCursor> cursor;
    std::vector<Address> accounts;  // ascending
};

// One id a protocol's events named (a Yield v2 vault: its bytes12), with the
// block it first appeared in, so a reorg below that block can drop it.
struct FollowedId {
    Bytes id;
    std::uint64_t first_block = 0;
    friend bool operator==(const FollowedId&, const FollowedId&) = default;
};

// A protocol that follows a set of ids and re-reads everything else at the
// head (Yield v2: vaults; their balances and auctions are read each round).
struct FollowedSnapshot {
    std::optional<BlockCursor> cursor;
    std::vector<FollowedId> ids;  // ascending by id
};

}  // namespace keeper::state

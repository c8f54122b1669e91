#pragma once
// What `stress` revalues: the book of every tracked protocol as its contract
// sees it in one block (markets accrued, reserves' indexes grown, oracle
// prices read), and the scenarios to revalue it under. Adapters fill the book
// through Snapshot::add_to_stress_book (protocols/protocol_adapter.hpp); the
// engine (stress_engine.hpp) is pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/u256.hpp"
#include "margin/aave_v3.hpp"
#include "margin/morpho_blue.hpp"
#include "margin/morpho_events.hpp"

namespace keeper::margin::stress {

// ---- the book ----

struct MorphoStressPosition {
    Address account;
    morpho::Position position;
};

// One Morpho Blue market accrued to the block, with its oracle's answer.
struct MorphoStressMarket {
    std::string protocol;  // "morpho-blue@0x…"
    morpho::MarketId id;
    morpho::MarketParams params;
    morpho::MarketState accrued;                  // last_update == the block's timestamp
    U256 price_1e36;                              // loan units per collateral unit x 1e36
    std::vector<MorphoStressPosition> positions;  // with borrow shares
};

struct AaveStressReserve {
    unsigned id = 0;  // ReserveData.id, as in aave::ReserveSnapshot
    Address asset;
};

struct AaveStressAccount {
    Address account;
    aave::UserAccount input;  // every flagged reserve at the block, prices in base units
};

// One Aave V3 pool at the block.
struct AaveStressPool {
    std::string protocol;  // "aave-v3@0x…"
    Address pool;
    aave::PoolRules rules = aave::PoolRules::EarlyV3;
    std::vector<AaveStressReserve> reserves;  // id -> asset of every reserve an account flags
    std::vector<AaveStressAccount> accounts;  // with debt
    std::optional<std::uint16_t> flash_premium_bps{};  // Pool.FLASHLOAN_PREMIUM_TOTAL, when read
};

struct StressBook {
    std::vector<MorphoStressMarket> morpho_markets;
    std::vector<AaveStressPool> aave_pools;
    std::size_t positions() const;        // Morpho positions + Aave accounts
    std::vector<Address> assets() const;  // every asset the book prices, sorted, once each
};

// ---- scenarios ----

// A price move of one asset in basis points of its price: -3000 is -30 %,
// +2500 is +25 %. Integer so the shocked prices are exact: price x (10000 +
// move) / 10000, rounded down. Moves must be > -10000 (a price of 0 is a
// different question than a crash) and <= 1'000'000.
struct AssetShock {
    Address asset;
    std::int32_t move_bps = 0;
    friend bool operator==(const AssetShock&, const AssetShock&) = default;
};

// A joint move: every asset named moves at once, every other stays.
struct StressScenario {
    std::string name;
    std::vector<AssetShock> shocks;
    std::int32_t move_bps_of(const Address& asset) const;  // 0 when not named
};

inline constexpr std::int32_t kMinMoveBps = -9999;
inline constexpr std::int32_t kMaxMoveBps = 1'000'000;

}  // namespace keeper::margin::stress

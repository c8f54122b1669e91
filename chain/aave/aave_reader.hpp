#pragma once
// What the keeper reads from an Aave V3 deployment (@aave/core-v3 1.19.3, and
// aave-v3-origin v3.6/v3.7, whose getReserveData keeps the 1.19.3 layout with
// a zero stable debt token):
// the pool and oracle behind a PoolAddressesProvider, every reserve with its
// indexes and price, eMode categories, and users' configurations and scaled
// balances. Every read is JSON-RPC batches of eth_call pinned to one block
// number (so all answers are of one state), split at max_calls_per_batch.
// Any failed call fails the whole read with an error naming the call and the
// asset or user: the engine must not judge an account on a partial reading.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "chain/aave/aave_calls.hpp"
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::chain::aave_v3 {

struct ReadOptions {
    // A node caps the calls in one batch request; larger reads are split
    // into several batches (each still pinned to the same block).
    std::size_t max_calls_per_batch = 256;  // >= 1
    // read_reserves: also getReserveNormalizedIncome/VariableDebt per
    // reserve (two more calls each), the pool's own accrual at the block, for
    // callers that do not accrue the indexes themselves or want to check.
    bool normalized_indexes = false;
    // read_emode_categories: also getEModeCategoryCollateralBitmap and
    // getEModeCategoryLtvzeroBitmap (aave-v3-origin v3.2+, liquid eModes:
    // membership by bitmap), and with emode_isolation
    // getIsEModeCategoryIsolated (v3.7).
    bool liquid_emodes = false;
    bool emode_isolation = false;
    // read_reserves and read_emode_categories: read at the node's pending
    // block (an oracle update not mined yet) instead of `block`.
    bool at_pending = false;
};

// getPool() and getPriceOracle() in one batch; a zero address is an error
// (the provider has not been set up).
struct PoolAddresses {
    Address pool, oracle;
};
Result<PoolAddresses> read_pool_addresses(JsonRpcClient& client, const Address& provider, std::uint64_t block);

// POOL_REVISION(): which implementation's rules to judge by.
Result<std::uint64_t> read_pool_revision(JsonRpcClient& client, const Address& pool, std::uint64_t block);

struct ReserveReading {
    Address asset;
    ReserveDataReading data;
    U256 price;  // AaveOracle.getAssetPrice, base units
    // getReserveNormalizedIncome / getReserveNormalizedVariableDebt at the
    // block (the indexes getUserAccountData uses in that block); only with
    // ReadOptions::normalized_indexes.
    std::optional<U256> normalized_income_ray, normalized_variable_debt_ray;
};

// getReservesList, then in one batch (split as needed) getReserveData for
// each reserve (and its two normalized indexes if asked) and one
// getAssetsPrices(list). Entries in list order. Refused: a listed asset whose
// reserve data has no aToken (not a reserve), an id beyond 127, and two
// reserves claiming the same id.
Result<std::vector<ReserveReading>> read_reserves(JsonRpcClient& client, const Address& pool, const Address& oracle,
                                                  std::uint64_t block, const ReadOptions& options = {});

struct EModeReading {
    std::uint8_t id = 0;
    EModeCategoryReading category;
    U256 price_source_price;  // oracle.getAssetPrice(price_source), 0 when none
    U256 collateral_bitmap, ltvzero_bitmap;  // only with ReadOptions::liquid_emodes
    bool isolated = false;                   // only with ReadOptions::emode_isolation
};
// getEModeCategoryData for every id in one batch, then getAssetPrice of each
// non-zero price source in a second. Entries in `ids` order.
Result<std::vector<EModeReading>> read_emode_categories(JsonRpcClient& client, const Address& pool,
                                                        const Address& oracle, std::span<const std::uint8_t> ids,
                                                        std::uint64_t block, const ReadOptions& options = {});

struct UserReserveBalance {
    std::uint16_t reserve_id = 0;
    U256 scaled_a_token, scaled_variable_debt, stable_debt;  // stable_debt: accrued, from balanceOf
};
struct UserReading {
    Address user;
    U256 configuration;  // UserConfigurationMap.data: aave::UserConfig
    std::uint8_t emode_category = 0;
    // Every reserve the configuration flags (collateral or borrowing), ascending id.
    std::vector<UserReserveBalance> balances;
};
// Batch 1: getUserConfiguration and getUserEMode for every user. Batch 2:
// for every flagged reserve, aToken.scaledBalanceOf, variableDebtToken.
// scaledBalanceOf and stableDebtToken.balanceOf (none when the reserve has no
// stable debt token: 0). Reserves are found by ReserveDataReading::id; a
// flagged id with no reserve in `reserves` is an error naming the user, as is
// an eMode above 255. Entries in `users` order.
Result<std::vector<UserReading>> read_users(JsonRpcClient& client, const Address& pool,
                                            std::span<const ReserveReading> reserves, std::span<const Address> users,
                                            std::uint64_t block, const ReadOptions& options = {});

}  // namespace keeper::chain::aave_v3

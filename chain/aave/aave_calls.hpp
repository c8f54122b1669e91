#pragma once
// Calldata for the Aave V3 (@aave/core-v3 1.19.3) calls the keeper makes on
// the Pool, its PoolAddressesProvider, the AaveOracle and the aToken/debt
// tokens, and decoders of their return data. Return data is untrusted: every
// decoder checks the exact length, the padding of each narrow field and, for
// dynamic values, that offsets and lengths are the canonical ones Solidity
// writes (anything else is refused, not reinterpreted).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::chain::aave_v3 {

// Pool.liquidationCall(address,address,address,uint256,bool). debt_to_cover
// U256::max() asks for as much as the close factor allows.
Bytes encode_liquidation_call(const Address& collateral_asset, const Address& debt_asset, const Address& user,
                              const U256& debt_to_cover, bool receive_a_token);

// Pool.getUserAccountData(address) -> six uint256, in this order.
Bytes encode_get_user_account_data(const Address& user);
struct UserAccountDataReading {
    U256 total_collateral_base, total_debt_base, available_borrows_base, current_liquidation_threshold, ltv,
        health_factor;
    friend bool operator==(const UserAccountDataReading&, const UserAccountDataReading&) = default;
};
Result<UserAccountDataReading> decode_user_account_data(ByteView return_data);

// Pool.getReservesList() -> address[]. decode_address_array takes at most
// kMaxAddressArray entries, the pool's MAX_RESERVES_COUNT.
inline constexpr std::size_t kMaxAddressArray = 128;
Bytes encode_get_reserves_list();
Result<std::vector<Address>> decode_address_array(ByteView return_data);

// Pool.getReserveData(address) -> DataTypes.ReserveData, a static struct of
// 15 words: uint256 configuration, five uint128 (liquidityIndex,
// currentLiquidityRate, variableBorrowIndex, currentVariableBorrowRate,
// currentStableBorrowRate), uint40 lastUpdateTimestamp, uint16 id, four
// addresses (aToken, stableDebtToken, variableDebtToken,
// interestRateStrategy), three uint128 (accruedToTreasury, unbacked,
// isolationModeTotalDebt). All zero for an asset that is not a reserve.
Bytes encode_get_reserve_data(const Address& asset);
struct ReserveDataReading {
    U256 configuration;  // ReserveConfigurationMap.data: aave::ReserveConfig::decode
    U256 liquidity_index_ray, current_liquidity_rate_ray, variable_borrow_index_ray, current_variable_borrow_rate_ray,
        current_stable_borrow_rate_ray;
    std::uint64_t last_update_timestamp = 0;
    std::uint16_t id = 0;  // the bit pair in UserConfigurationMap; not the position in getReservesList
    Address a_token, stable_debt_token, variable_debt_token, interest_rate_strategy;
    U256 accrued_to_treasury, unbacked, isolation_mode_total_debt;
    friend bool operator==(const ReserveDataReading&, const ReserveDataReading&) = default;
};
Result<ReserveDataReading> decode_reserve_data(ByteView return_data);

// Pool.getUserConfiguration(address) -> (uint256 data), read with
// decode_uint256; Pool.getUserEMode(address) -> uint256 (a uint8 category).
Bytes encode_get_user_configuration(const Address& user);
Bytes encode_get_user_emode(const Address& user);

// Pool.getEModeCategoryData(uint8) -> DataTypes.EModeCategory, the dynamic
// tuple (uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus,
// address priceSource, string label).
Bytes encode_get_emode_category_data(std::uint8_t id);
struct EModeCategoryReading {
    std::uint16_t ltv_bps = 0, liquidation_threshold_bps = 0, liquidation_bonus_bps = 0;
    Address price_source;  // zero: the reserves' own oracle prices
    std::string label;     // bytes as stored, not checked for UTF-8
    friend bool operator==(const EModeCategoryReading&, const EModeCategoryReading&) = default;
};
Result<EModeCategoryReading> decode_emode_category(ByteView return_data);

// aave-v3-origin v3.2+: Pool.getEModeCategoryCollateralBitmap(uint8) and
// getEModeCategoryLtvzeroBitmap(uint8) -> uint128; v3.7:
// getIsEModeCategoryIsolated(uint8) -> bool.
Bytes encode_get_emode_collateral_bitmap(std::uint8_t id);
Bytes encode_get_emode_ltvzero_bitmap(std::uint8_t id);
Bytes encode_get_emode_isolated(std::uint8_t id);

// Pool.getReserveNormalizedIncome(address) / getReserveNormalizedVariableDebt(address)
// -> uint256 ray: the indexes accrued to the block's timestamp.
Bytes encode_get_reserve_normalized_income(const Address& asset);
Bytes encode_get_reserve_normalized_variable_debt(const Address& asset);

// Pool.POOL_REVISION() -> uint256.
Bytes encode_pool_revision();

// IScaledBalanceToken.scaledBalanceOf(address) (aToken, variable debt token)
// and ERC-20 balanceOf(address) (the stable debt token's accrued balance).
Bytes encode_scaled_balance_of(const Address& user);
Bytes encode_balance_of(const Address& user);

// AaveOracle.getAssetPrice(address) -> uint256 and
// getAssetsPrices(address[]) -> uint256[], in base-currency units.
Bytes encode_get_asset_price(const Address& asset);
Bytes encode_get_assets_prices(std::span<const Address> assets);
// A uint256[] of exactly expected_count entries.
Result<std::vector<U256>> decode_uint256_array(ByteView return_data, std::size_t expected_count);

// PoolAddressesProvider.getPool() / getPriceOracle() -> address.
Bytes encode_get_pool();
Bytes encode_get_price_oracle();

// A single address or uint256 return value: exactly 32 bytes.
Result<Address> decode_address(ByteView return_data);
Result<U256> decode_uint256(ByteView return_data);

}  // namespace keeper::chain::aave_v3

#pragma once
// Calldata for the Morpho Blue 1.0.0 calls the keeper makes, and decoders of
// their return data (untrusted: exact lengths and uint128 padding checked).
// Also the IOracle, IIrm and ERC-20 calls that go with them.
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "margin/morpho_blue.hpp"
#include "margin/morpho_events.hpp"

namespace keeper::chain::morpho_blue {

// liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes):
// exactly one of seized_assets and repaid_shares is non-zero (the contract reverts otherwise).
Bytes encode_liquidate(const morpho::MarketParams& params, const Address& borrower, const U256& seized_assets,
                       const U256& repaid_shares, ByteView data = {});

// market(bytes32) -> (uint128 totalSupplyAssets, totalSupplyShares, totalBorrowAssets,
//                     totalBorrowShares, lastUpdate, fee)
Bytes encode_market(const morpho::MarketId& id);
Result<morpho::MarketState> decode_market(ByteView return_data);

// position(bytes32,address) -> (uint256 supplyShares, uint128 borrowShares, uint128 collateral)
Bytes encode_position(const morpho::MarketId& id, const Address& user);
Result<morpho::Position> decode_position(ByteView return_data);

// idToMarketParams(bytes32) -> (address,address,address,address,uint256); all
// zero for a market never created.
Bytes encode_id_to_market_params(const morpho::MarketId& id);
Result<morpho::MarketParams> decode_market_params(ByteView return_data);

// IOracle.price() -> uint256, scaled by 1e36 (loan units per collateral unit).
Bytes encode_oracle_price();
// IIrm.borrowRateView((address,address,address,address,uint256),(uint128 x 6)) -> uint256 per-second wad.
// The market's fields are written as read from chain (each fits uint128).
Bytes encode_borrow_rate_view(const morpho::MarketParams& params, const morpho::MarketState& market);
// accrueInterest((address,address,address,address,uint256))
Bytes encode_accrue_interest(const morpho::MarketParams& params);

// ERC-20 balanceOf(address), allowance(address,address), approve(address,uint256).
Bytes encode_erc20_balance_of(const Address& account);
Bytes encode_erc20_allowance(const Address& owner, const Address& spender);
Bytes encode_erc20_approve(const Address& spender, const U256& amount);

// A single uint256 return value (price, borrowRateView, balanceOf, allowance): exactly 32 bytes.
Result<U256> decode_uint256(ByteView return_data);

}  // namespace keeper::chain::morpho_blue

#pragma once
// Calldata for the Yield v2 (vault-v2 0.18.5) calls the keeper makes and the
// getters it reads, and decoders of their return data (untrusted: exact
// lengths, integer widths and bytesN padding checked).
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "protocols/yield_v2/cauldron_level.hpp"
#include "protocols/yield_v2/witch_auction.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2 {

// ---- Witch: what the keeper sends ----
// auction(bytes12 vaultId, address to): `to` receives the starter's reward.
Bytes encode_auction(const VaultId& vault, const Address& reward_to);
// payBase(bytes12 vaultId, address to, uint128 minInkOut, uint128 maxBaseIn):
// the base Join pulls baseIn from the sender (approve the base Join).
Bytes encode_pay_base(const VaultId& vault, const Address& to, const U256& min_ink_out, const U256& max_base_in);
// payFYToken(bytes12 vaultId, address to, uint128 minInkOut, uint128 maxArtIn):
// the fyToken burns artIn from the sender (approve the Witch on the fyToken).
Bytes encode_pay_fy_token(const VaultId& vault, const Address& to, const U256& min_ink_out, const U256& max_art_in);
// cancel(bytes12 vaultId): anyone, once the vault is collateralised again.
Bytes encode_cancel(const VaultId& vault);

// ---- Witch: reads ----
Bytes encode_auctions(const VaultId& vault);  // auctions(bytes12) -> Auction's 8 fields
Result<Auction> decode_auction(ByteView return_data);
Bytes encode_lines(const AssetId& ilk, const AssetId& base);  // lines(bytes6,bytes6) -> (uint32,uint64,uint64)
Result<Line> decode_line(ByteView return_data);
Bytes encode_limits(const AssetId& ilk, const AssetId& base);  // limits(bytes6,bytes6) -> (uint128,uint128)
Result<Limits> decode_limits(ByteView return_data);
Bytes encode_auctioneer_reward();  // auctioneerReward() -> uint256
Bytes encode_protected(const Address& owner);  // protected(address) -> bool: the Witch never auctions its vaults
Result<bool> decode_bool(ByteView return_data);
// calcPayout(bytes12,address,uint256) -> (liquidatorCut, auctioneerCut, artIn)
Bytes encode_calc_payout(const VaultId& vault, const Address& to, const U256& max_art_in);
Result<Payout> decode_payout(ByteView return_data);

// ---- Cauldron: reads ----
Bytes encode_vaults(const VaultId& vault);  // vaults(bytes12) -> (address,bytes6,bytes6)
Result<Vault> decode_vault(ByteView return_data);
Bytes encode_balances(const VaultId& vault);  // balances(bytes12) -> (uint128 art, uint128 ink)
Result<Balances> decode_balances(ByteView return_data);
Bytes encode_series(const SeriesId& series);  // series(bytes6) -> (address,bytes6,uint32)
Result<Series> decode_series(ByteView return_data);
Bytes encode_debt(const AssetId& base, const AssetId& ilk);  // debt(bytes6,bytes6) -> (uint96,uint24,uint8,uint128)
Result<Debt> decode_debt(ByteView return_data);
Bytes encode_spot_oracles(const AssetId& base, const AssetId& ilk);  // spotOracles(bytes6,bytes6) -> (address,uint32)
Result<SpotOracle> decode_spot_oracle(ByteView return_data);
Bytes encode_rates_at_maturity(const SeriesId& series);  // ratesAtMaturity(bytes6) -> uint256
Bytes encode_level(const VaultId& vault);  // level(bytes12) -> int256 (a non-view: eth_call it)
Result<Level> decode_level(ByteView return_data);

// IOracle.get(bytes32 base, bytes32 quote, uint256 amount) -> (uint256 value, uint256 updateTime):
// what _level asks the spot oracle (ids left-aligned in bytes32).
Bytes encode_oracle_get(const AssetId& base, const AssetId& quote, const U256& amount);
Result<U256> decode_oracle_value(ByteView return_data);

// Where the keeper finds the contracts around a Witch:
Bytes encode_witch_cauldron();                    // Witch.cauldron() -> address
Bytes encode_witch_ladle();                       // Witch.ladle() -> address
Bytes encode_cauldron_assets(const AssetId& id);  // Cauldron.assets(bytes6) -> address (the ERC-20)
Bytes encode_ladle_joins(const AssetId& id);      // Ladle.joins(bytes6) -> address (the Join)
Bytes encode_lending_oracles(const AssetId& base);  // Cauldron.lendingOracles(bytes6) -> address
// One address word (its 12 high bytes zero).
Result<Address> decode_address(ByteView return_data);

// A single uint256 return value: exactly 32 bytes.
Result<U256> decode_uint(ByteView return_data);

}  // namespace keeper::yield_v2

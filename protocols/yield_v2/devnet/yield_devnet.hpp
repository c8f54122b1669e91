#pragma once
// A real Yield Protocol v2 deployment on a dev chain (anvil), for tests and
// the demo: the pinned vault-v2 0.18.5 sources (Cauldron, Ladle, Witch, Join,
// FYToken linked to SafeERC20Namer, ChainlinkMultiOracle,
// AccumulatorMultiOracle) compiled with solc-js 0.8.19 (cached in the build
// directory), plus two project contracts: YieldDevnetToken (the base, 6
// decimals like USDC, and the collateral, 18 like WETH) and
// ChainlinkAggregatorMock (the price we move).
//
// One series (base USDC-like, maturity `maturity_in_s` ahead) accepts one
// ilk (ETH-like) with the spot oracle ChainlinkMultiOracle reading the mock
// aggregator: ink value = ink * answer / 1e18 base units, answer being base
// units per whole collateral token. Debt limits (max, min = dust, dec) and
// the Witch's line and limit come from the options. Vaults are opened
// through the Ladle (build, then pour: collateral in, fyToken out).
#include <cstdint>
#include <string>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2::devnet {

struct YieldContracts {
    Address cauldron;
    Address ladle;
    Address witch;
    Address base_token;   // YieldDevnetToken, 6 decimals
    Address ilk_token;    // YieldDevnetToken, 18 decimals
    Address base_join;
    Address ilk_join;
    Address fy_token;
    Address spot_oracle;  // ChainlinkMultiOracle
    Address aggregator;   // ChainlinkAggregatorMock: base units per 1e18 collateral
    Address rate_oracle;  // AccumulatorMultiOracle (RATE and CHI at 1e18, flat)
    Address namer;        // the SafeERC20Namer library FYToken calls
};

struct YieldDevnetOptions {
    AssetId base_id;      // default 0x303200000000 (Yield's USDC id)
    AssetId ilk_id;       // default 0x303000000000 (Yield's ETH id)
    SeriesId series_id;   // default 0x303230370000
    std::uint32_t ratio_1e6 = 1'500'000;   // 150% collateralisation
    U256 price_answer = U256(2000) * U256::pow10(6);  // 2000 base units (6 decimals) per collateral token
    std::uint64_t maturity_in_s = 90ull * 24 * 3600;
    // Cauldron.setDebtLimits(base, ilk, max, min, dec): dust = min * 10^dec.
    std::uint64_t debt_max = 1'000'000;  // uint96, x 10^dec
    std::uint32_t debt_min = 100;        // uint24, x 10^dec: 100 base tokens
    std::uint8_t debt_dec = 6;
    // Witch.setLineAndLimit(ilk, base, duration, vaultProportion, collateralProportion, max).
    std::uint32_t duration_s = 3600;
    U256 vault_proportion_wad = U256(5) * U256::pow10(17);       // 50% of a vault per auction
    U256 collateral_proportion_wad = U256(75) * U256::pow10(16);  // 75% of the collateral at the start
    U256 auction_limit_ink = U256(1'000'000) * U256::pow10(18);
    U256 auctioneer_reward_wad = U256::pow10(16);  // 1% (the Witch's default)
};
YieldDevnetOptions default_yield_devnet_options();

struct YieldDevnet {
    YieldContracts contracts;
    YieldDevnetOptions options;
    std::uint32_t maturity = 0;
    std::uint64_t deploy_block = 0;  // the Cauldron's deployment: a keeper's start_block
};

// Compiles (cached) and deploys everything from `owner`, who keeps every
// governance role; wires the roles the Ladle and the Witch need, the
// oracles, the series, the ilk, the debt limits and the Witch's line.
Result<YieldDevnet> deploy_yield_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                        const YieldDevnetOptions& options = default_yield_devnet_options());

// Opens a vault owned by `borrower`: mints `ink` collateral to it, approves
// the ilk Join, Ladle.build(series, ilk, salt) and Ladle.pour(vault,
// borrower, ink, art), the borrower receiving `art` fyToken. The pour must
// leave the vault collateralised (and art 0 or >= the dust).
Result<VaultId> open_vault(chain::JsonRpcClient& client, const chain::PrivateKey& borrower, const YieldDevnet& devnet,
                           const U256& ink, const U256& art, std::uint8_t salt = 0);

// The aggregator's answer (base units per whole collateral token): what
// moves vaults under and back above water.
Result<void> set_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner, const YieldDevnet& devnet,
                       const U256& answer);

// YieldDevnetToken.mint(to, amount).
Result<void> mint_token(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& token,
                        const Address& to, const U256& amount);

// Gives `to` `art` fyToken (what payFYToken burns): without a YieldSpace
// pool to lend in, the owner borrows it in a vault of its own, collateralised
// at four times the ratio (at least the dust), and transfers `art` of it.
Result<void> fund_fy_token(chain::JsonRpcClient& client, const chain::PrivateKey& owner, const YieldDevnet& devnet,
                           const Address& to, const U256& art);

}  // namespace keeper::yield_v2::devnet

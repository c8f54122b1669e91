#pragma once
// A real Aave v3.6 market (POOL_REVISION 10) on a dev chain: the pinned npm
// @aave-dao/aave-v3-origin 3.6.0 sources compiled by solc-js 0.8.27 as the
// release builds them (optimizer 200 runs, evm shanghai, no metadata hash;
// its `openzeppelin-contracts/contracts/` imports remapped to the pinned
// @openzeppelin/contracts 5.1.0), cached in the build directory
// (solc_standard_json.hpp: ~35 s once per build tree, then instant), the
// logic libraries (BorrowLogic, FlashLoanLogic -> BorrowLogic,
// LiquidationLogic, PoolLogic, SupplyLogic, ConfiguratorLogic) deployed and
// linked here. Deployed in Aave's order: PoolAddressesProvider, ACLManager,
// DefaultReserveInterestRateStrategyV2, PoolInstance(provider, strategy) and
// PoolConfiguratorInstance behind the provider's proxies, AaveOracle over one
// MockAggregator per asset (aave_devnet.hpp's deploy_aave_aggregator), the
// ATokenInstance and VariableDebtTokenInstance implementations, then one
// initReserves per reserve with its rate data (AaveRateSpec converted to bps),
// the risk parameters and the liquid eMode categories (each reserve with an
// emode_category is collateral and borrowable in it). No stable debt tokens
// (v3.2+): AaveReserve::stable_debt_token is zero.
//
// The result is the same AaveDevnet as deploy_aave_devnet's, so
// open_aave_borrowers, set_aave_price and mint_aave_token work on it as they
// do on the 1.19.3 market. Every runtime code is under EIP-170 (Pool 21,491
// bytes, PoolConfigurator 18,994): anvil needs no flags.
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/result.hpp"
#include "keeper/devnet/aave_devnet.hpp"

namespace keeper::devnet {

// The Standard JSON output of the pinned v3.6 sources (compiled once, cached).
Result<std::string> compile_aave_v36();

Result<AaveDevnet> deploy_aave_v36_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                          const AaveDevnetOptions& options = default_aave_devnet_options());

// Pool.getReserveDeficit(asset): bad debt written off on the reserve, in asset units.
Result<U256> aave_reserve_deficit(chain::JsonRpcClient& client, const AaveDevnet& devnet, std::size_t reserve_index);

}  // namespace keeper::devnet

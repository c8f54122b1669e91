#pragma once
// A real Aave V3 market on a dev chain (anvil), for integration tests and the
// demo: the pinned @aave/core-v3 1.19.3 Hardhat artifacts (aave_artifacts_dir()),
// their library placeholders linked here (hardhat_artifact.hpp), deployed in
// the order of Aave's own deploy scripts: PoolAddressesProvider, ACLManager,
// the logic libraries, Pool and PoolConfigurator behind the provider's
// proxies, AaveOracle over one MockAggregator (Chainlink-style, 8 decimals)
// per asset, AaveProtocolDataProvider, the token implementations, one
// DefaultReserveInterestRateStrategy; then initReserves and the risk
// parameters and eMode categories of AaveDevnetOptions. Each asset is a
// MintableERC20 that anyone may mint; the owner supplies liquidity to every
// reserve. Borrowers are opened in bulk through contracts/AaveBorrowerFleet.sol.
//
// Anvil flags: none. The largest runtime codes are PoolConfigurator (24,267
// bytes) and BorrowLogic (22,801), Pool is 21,673: all under EIP-170's 24,576,
// so no --code-size-limit / --disable-code-size-limit is needed. Anvil's
// default 30M block gas limit fits every deployment (the biggest takes 5.25M;
// the default market is 74 transactions, 66.4M gas in all).
//
// Speed and gas (measured on anvil, see tests/integration/aave_devnet): see
// open_aave_borrowers() below.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "keeper/devnet/morpho_devnet.hpp"  // Progress, deploy_contract

namespace keeper::devnet {

struct AaveReserveSpec {
    std::string symbol;              // "WETH"
    std::uint8_t decimals = 18;
    U256 price_1e8;                  // base currency units (USD, 8 decimals)
    std::uint16_t ltv_bps = 0, liquidation_threshold_bps = 0, liquidation_bonus_bps = 0;  // bonus as 10000 + bonus (10500 = 5%)
    std::uint16_t reserve_factor_bps = 1000;
    std::uint16_t liquidation_protocol_fee_bps = 1000;
    std::uint8_t emode_category = 0;  // 0: none
    bool borrowable = true;
    // contracts/PoisonableERC20.sol instead of Aave's MintableERC20 (same
    // constructor, mint and ERC-20 calls): tests can make its balanceOf
    // revert for a keeper while the pool keeps working (poisonable_token.hpp).
    bool poisonable = false;
};

struct AaveEModeSpec {
    std::uint8_t id = 1;
    std::uint16_t ltv_bps = 0, liquidation_threshold_bps = 0, liquidation_bonus_bps = 0;
    std::string label;
};

// DefaultReserveInterestRateStrategy's constructor arguments, in ray (1e27 =
// 100%); one strategy serves every reserve.
struct AaveRateSpec {
    U256 optimal_usage_ratio_ray = U256::pow10(25) * U256(80);      // 80%
    U256 base_variable_borrow_rate_ray = U256::pow10(25) * U256(1);  // 1%: the variable index moves at any usage
    U256 variable_rate_slope1_ray = U256::pow10(25) * U256(4);
    U256 variable_rate_slope2_ray = U256::pow10(25) * U256(75);
    U256 stable_rate_slope1_ray = U256::pow10(25) * U256(2);
    U256 stable_rate_slope2_ray = U256::pow10(25) * U256(75);
    U256 base_stable_rate_offset_ray = U256::pow10(25) * U256(2);
    U256 stable_rate_excess_offset_ray = U256::pow10(25) * U256(5);
    U256 optimal_stable_to_total_debt_ratio_ray = U256::pow10(25) * U256(20);
};

struct AaveDevnetOptions {
    std::vector<AaveReserveSpec> reserves;
    std::vector<AaveEModeSpec> emodes;
    U256 liquidity_whole_tokens = U256(1'000'000'000);  // per reserve, supplied by the owner so borrowers can borrow
    AaveRateSpec rates;
    std::string market_id = "Aave Devnet Market";
};

// WETH (18 dec, $2000, ltv 8000, lt 8250, bonus 10500), WBTC (8 dec, $30000,
// 7000/7500/10650), USDC (6 dec, $1, 7500/8000/10450, eMode 1), DAI (18 dec,
// $1, 7500/8000/10500, eMode 1); eMode 1 "stablecoins" 9300/9500/10100;
// reserve factor and liquidation protocol fee 10% each; rates as AaveRateSpec.
AaveDevnetOptions default_aave_devnet_options();

struct AaveReserve {
    std::string symbol;
    Address asset;       // MintableERC20
    Address aggregator;  // the MockAggregator deployed with the market; set_aave_price replaces it in the oracle
    Address a_token, stable_debt_token, variable_debt_token;
    std::uint8_t decimals = 18;
};

struct AaveContracts {
    Address addresses_provider, pool, pool_configurator, acl_manager, oracle, data_provider, fleet;
    Address interest_rate_strategy;
};

struct AaveDevnet {
    AaveContracts contracts;
    std::vector<AaveReserve> reserves;  // in options order, which is also Pool.getReservesList()'s
    std::uint64_t deploy_block = 0;  // block of the PoolAddressesProvider deployment: a keeper's start_block
};

// Deploys and configures the market from `owner`, who owns the provider and
// is ACL admin, pool admin and emergency admin. Errors name the step.
Result<AaveDevnet> deploy_aave_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                      const AaveDevnetOptions& options = default_aave_devnet_options());

struct AaveBorrowerSpec {
    std::uint8_t emode_category = 0;
    std::vector<std::pair<std::size_t, U256>> supplies;  // (reserve index in devnet.reserves, token units)
    std::vector<std::pair<std::size_t, U256>> borrows;   // variable rate
};

// Opens many borrowers through contracts/AaveBorrowerFleet.sol, several per
// transaction (each borrower is a small contract the fleet creates, which
// calls setUserEMode if asked and approveDelegation(fleet) on each variable
// debt token it borrows; the fleet mints/supplies collateral on its behalf
// and borrows on its behalf, loans going to `owner`). Returns the borrower
// addresses in spec order; `progress` hears after each batch. A batch holds at
// most `per_tx` borrowers and at most what its gas budget lets fit the block
// gas limit: 110k per borrower + 110k per supply + 180k per borrow, plus
// 100k + 150k per listed reserve for the transaction (about 1.3x what anvil
// measures: a borrower with one supply costs ~150k in a batch, each further
// supply ~73k, each borrow ~125k-140k, eMode ~30k). With the default market
// the 200 mixed borrowers of the integration test (2.5 supplies, 1.9 borrows
// each) average ~515k gas and open, 20 per transaction, in ~0.8 s on anvil;
// deploy_aave_devnet takes ~0.3-0.6 s. Every amount must be non-zero; a
// borrow that would be unhealthy (past the LTV), of a reserve that is not
// borrowable or outside the borrower's eMode category makes the batch
// revert: an error carrying the pool's error code (Errors.sol: '36' past the
// LTV, '58' outside the eMode category).
Result<std::vector<Address>> open_aave_borrowers(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                                 const AaveDevnet& devnet, std::span<const AaveBorrowerSpec> borrowers,
                                                 std::size_t per_tx = 20, const Progress& progress = {});

// A new MockAggregator answering `price_1e8` (its answer is immutable).
Result<Address> deploy_aave_aggregator(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                       const U256& price_1e8);

// New MockAggregator with this answer, set as the reserve's source in
// AaveOracle (setAssetSources, which emits AssetSourceUpdated). The
// reserve's `aggregator` in `devnet` is then stale: AaveOracle.getSourceOfAsset
// has the current one.
Result<void> set_aave_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner, const AaveDevnet& devnet,
                            std::size_t reserve_index, const U256& price_1e8);

// The last steps of either Aave devnet (1.19.3 or v3.6), once its pool lists
// `devnet.reserves`: the borrower fleet bound to the pool (devnet.contracts.fleet),
// and `liquidity_whole_tokens` of every reserve minted to the owner and supplied.
Result<void> add_fleet_and_liquidity(chain::JsonRpcClient& client, const chain::PrivateKey& owner, AaveDevnet& devnet,
                                     const U256& liquidity_whole_tokens);

// MintableERC20.mint(to, amount), which anyone may call: a liquidator's debt
// tokens, say.
Result<void> mint_aave_token(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& asset,
                             const Address& to, const U256& amount);

}  // namespace keeper::devnet

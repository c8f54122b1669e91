#pragma once
// A real Morpho Blue market on a dev chain (anvil), for `margin-keeper demo`
// and integration tests: Morpho.sol and its mocks compiled from the pinned
// sources (morpho_blue_source_dir()), one market created and funded, and
// borrowers opened in bulk through contracts/BorrowerFleet.sol.
//
// Speed: open_borrowers() opens `per_tx` borrowers per transaction (about
// 126k gas each; it budgets 200k). It caps per_tx so a batch fits the
// chain's block gas limit: anvil's default of 30M allows 148; start anvil
// with AnvilOptions::extra_args {"--gas-limit", "100000000"} for bigger
// batches. On anvil, deploying and opening 150 borrowers takes about 1 s.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "margin/morpho_blue.hpp"

namespace keeper::devnet {

struct MorphoContracts {
    Address morpho;
    Address loan_token;        // ERC20Mock
    Address collateral_token;  // ERC20Mock
    Address oracle;            // OracleMock
    Address irm;               // IrmMock, or the zero address
    Address fleet;             // BorrowerFleet, owned by the deployer
};

struct MorphoDevnetOptions {
    U256 lltv_wad = U256::pow10(16) * U256(86);  // 0.86
    // Loan-token units per collateral-token unit, scaled by 1e36: 1e36 is
    // 1 collateral = 1 loan at equal decimals.
    U256 initial_price_1e36 = U256::pow10(36);
    bool with_irm = true;  // IrmMock (utilization% APR); false: no interest, irm = address(0)
    U256 liquidity = U256::pow10(30);  // loan tokens the owner supplies to the market
};
MorphoDevnetOptions default_morpho_devnet_options();

struct MorphoDevnet {
    MorphoContracts contracts;
    morpho::MarketParams params;
    Bytes32 market_id;
    std::uint64_t deploy_block = 0;  // the block holding Morpho's deployment: a keeper's start_block
};

// Compiles (cached) Morpho.sol, ERC20Mock (loan and collateral), OracleMock,
// IrmMock and BorrowerFleet; deploys them from `owner` (who becomes Morpho's
// owner); enables the IRM and LLTV, creates the market, sets the price and
// supplies `options.liquidity` loan tokens from the owner.
Result<MorphoDevnet> deploy_morpho_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                          const MorphoDevnetOptions& options = default_morpho_devnet_options());

// Another market on the same Morpho, oracle, IRM, LLTV and collateral token,
// lending `loan_token` (an ERC20Mock-like token with setBalance, such as
// contracts/PoisonableERC20.sol); `liquidity` of it is minted to the owner
// and supplied. Returns `devnet` with this market's params and id (and
// contracts.loan_token), so open_borrowers() opens positions in it.
Result<MorphoDevnet> add_morpho_market(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                       const MorphoDevnet& devnet, const Address& loan_token,
                                       const U256& liquidity = U256::pow10(30));

// Mints `amount` of the market's loan token to `owner` and supplies it.
Result<void> supply_liquidity(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                              const MorphoDevnet& devnet, const U256& amount);

struct BorrowerSpec {
    U256 collateral;     // collateral-token units
    U256 borrow_assets;  // loan-token units; 0 opens a collateral-only position
};
using Progress = std::function<void(std::size_t done, std::size_t total)>;

// Opens every borrower through the fleet (owned by `owner`, the deployer),
// `per_tx` per transaction (capped by the block gas limit, see above): mints
// the batch's collateral to the fleet, which supplies it and borrows on each
// borrower's behalf, the loans going to `owner`. Each borrow must keep the
// position healthy (borrow <= collateral * price / 1e36 * lltv) or the batch
// reverts. Returns the borrower addresses in spec order; `progress` hears
// after each batch.
Result<std::vector<Address>> open_borrowers(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                            const MorphoDevnet& devnet, std::span<const BorrowerSpec> borrowers,
                                            std::size_t per_tx = 60, const Progress& progress = {});

// OracleMock.setPrice: what moves positions in and out of health.
Result<void> set_oracle_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                              const MorphoDevnet& devnet, const U256& price_1e36);

// Adds `amount` to `to`'s balance of an ERC20Mock (balanceOf, then setBalance;
// anyone may call it).
Result<void> mint(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& token,
                  const Address& to, const U256& amount);

// ERC20 approve(spender, amount) sent by `holder`.
Result<void> approve(chain::JsonRpcClient& client, const chain::PrivateKey& holder, const Address& token,
                     const Address& spender, const U256& amount);

// Sends a contract creation; the address of the new contract, or an error if
// the constructor reverted.
Result<Address> deploy_contract(chain::JsonRpcClient& client, const chain::PrivateKey& deployer,
                                ByteView init_code_with_args, std::uint64_t gas_limit = 8'000'000);

}  // namespace keeper::devnet

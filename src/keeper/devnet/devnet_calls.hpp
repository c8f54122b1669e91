#pragma once
// Transactions and calls the devnets make, each failing with an error that
// names the step: a revert is replayed with eth_call so the error carries
// the node's revert reason (Aave's are numeric codes or custom errors).
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/transaction.hpp"
#include "core/abi_codec.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "keeper/devnet/hardhat_artifact.hpp"

namespace keeper::devnet {

// Contract creations: the biggest Aave ones (BorrowLogic, Pool,
// PoolConfigurator) use about 5M; anvil charges only what is used.
inline constexpr std::uint64_t kCreateGas = 12'000'000;
inline constexpr std::uint64_t kAdminGas = 1'000'000;

Result<Bytes> calldata(std::string_view signature, const std::vector<abi::Value>& args);
Result<Bytes> encode_args(std::string_view types, const std::vector<abi::Value>& args);
Result<chain::Receipt> transact(chain::JsonRpcClient& client, const chain::PrivateKey& key, const Address& to,
                                Bytes data, std::uint64_t gas_limit, std::string_view what);
Result<void> transact_call(chain::JsonRpcClient& client, const chain::PrivateKey& key, const Address& to,
                           std::string_view signature, const std::vector<abi::Value>& args,
                           std::uint64_t gas_limit = kAdminGas);
Result<Bytes> view_call(chain::JsonRpcClient& client, const Address& to, std::string_view signature,
                        const std::vector<abi::Value>& args = {});
// A view returning an address; the zero address is an error.
Result<Address> view_address(chain::JsonRpcClient& client, const Address& to, std::string_view signature);
// The latest block's gas limit, which bounds one batch of devnet transactions.
Result<std::uint64_t> block_gas_limit(chain::JsonRpcClient& client);
// A contract creation that must succeed: its receipt (contract address, block).
Result<chain::Receipt> create(chain::JsonRpcClient& client, const chain::PrivateKey& deployer, Bytes init_code,
                              std::string_view what);

// Deploys contracts whose creation code comes from `load` (Hardhat artifacts,
// a Standard JSON output), each external library it links deployed first,
// once: later contracts reuse the same deployment. Libraries link at most
// four levels deep (Aave: FlashLoanLogic -> BorrowLogic).
class LinkingDeployer {
public:
    using Loader = std::function<Result<HardhatArtifact>(std::string_view source, std::string_view contract)>;
    LinkingDeployer(chain::JsonRpcClient& client, const chain::PrivateKey& owner, Loader load)
        : client_(client), owner_(owner), load_(std::move(load)) {}

    Result<chain::Receipt> deploy(std::string_view source, std::string_view contract, ByteView constructor_args = {}) {
        return deploy_at_depth(source, contract, constructor_args, 0);
    }
    Result<Address> deploy_address(std::string_view source, std::string_view contract, ByteView constructor_args = {});

private:
    static constexpr int kMaxLinkDepth = 4;
    Result<chain::Receipt> deploy_at_depth(std::string_view source, std::string_view contract,
                                           ByteView constructor_args, int depth);

    chain::JsonRpcClient& client_;
    const chain::PrivateKey& owner_;
    Loader load_;
    LibraryAddresses libraries_;
};

}  // namespace keeper::devnet

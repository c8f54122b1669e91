#include "keeper/devnet/poisonable_token.hpp"

#include <vector>

#include "core/abi_signature.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

namespace keeper::devnet {

Result<Bytes> poisonable_token_args(const std::string& name, const std::string& symbol, std::uint8_t decimals) {
    auto types = abi::parse_type_list("string,string,uint8");
    if (!types) return std::unexpected(types.error());
    const std::vector<abi::Value> args{abi::Value(name), abi::Value(symbol), abi::Value(U256(decimals))};
    return abi::encode(*types, args);
}

Result<Address> deploy_poisonable_token(chain::JsonRpcClient& client, const chain::PrivateKey& deployer,
                                        const std::string& name, const std::string& symbol, std::uint8_t decimals) {
    auto compiled = compile_contract(contract_source("PoisonableERC20.sol"), "PoisonableERC20");
    if (!compiled) return std::unexpected(context("PoisonableERC20", compiled.error()));
    auto args = poisonable_token_args(name, symbol, decimals);
    if (!args) return std::unexpected(context("PoisonableERC20 arguments", args.error()));
    Bytes init = std::move(compiled->init_code);
    init.insert(init.end(), args->begin(), args->end());
    return deploy_contract(client, deployer, init, 3'000'000);
}

Result<void> set_token_poisoned(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& token,
                                bool poisoned) {
    const std::vector<abi::Value> args{abi::Value(poisoned)};
    auto data = abi::encode_call("setPoisoned(bool)", args);
    if (!data) return std::unexpected(data.error());
    auto receipt = send_and_wait(client, from, token, std::move(*data), 100'000);
    if (!receipt) return std::unexpected(context("setPoisoned", receipt.error()));
    if (!receipt->success) return fail("setPoisoned reverted in " + receipt->transaction_hash.hex());
    return {};
}

}  // namespace keeper::devnet

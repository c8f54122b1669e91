#include "keeper/devnet/devnet_calls.hpp"

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "chain/signer.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"
#include "core/abi_words.hpp"
#include "keeper/devnet/send_and_wait.hpp"

namespace keeper::devnet {

Result<Bytes> calldata(std::string_view signature, const std::vector<abi::Value>& args) {
    auto data = abi::encode_call(signature, args);
    if (!data) return std::unexpected(context(signature, data.error()));
    return std::move(*data);
}

Result<Bytes> encode_args(std::string_view types, const std::vector<abi::Value>& args) {
    auto parsed = abi::parse_type_list(types);
    if (!parsed) return std::unexpected(context(types, parsed.error()));
    auto encoded = abi::encode(*parsed, args);
    if (!encoded) return std::unexpected(context(types, encoded.error()));
    return std::move(*encoded);
}

// Sends and requires success; a revert is replayed with eth_call so the
// error carries the node's revert message (Aave's are numeric codes, see
// protocol/libraries/helpers/Errors.sol).
Result<chain::Receipt> transact(chain::JsonRpcClient& client, const chain::PrivateKey& key, const Address& to,
                                Bytes data, std::uint64_t gas_limit, std::string_view what) {
    auto receipt = send_and_wait(client, key, to, data, gas_limit);
    if (!receipt) return std::unexpected(context(what, receipt.error()));
    if (!receipt->success) {
        chain::CallRequest replay{
            .from = chain::address_of(key), .to = to, .data = std::move(data), .value = std::nullopt, .gas = gas_limit};
        auto outcome = client.eth_call(replay);
        const std::string why = outcome ? "replay succeeds now" : outcome.error().message;
        return fail(std::string(what) + ": reverted in " + receipt->transaction_hash.hex() + " (gas used " +
                    receipt->gas_used.to_dec() + " of " + std::to_string(gas_limit) + "; " + why + ")");
    }
    return receipt;
}

Result<void> transact_call(chain::JsonRpcClient& client, const chain::PrivateKey& key, const Address& to,
                           std::string_view signature, const std::vector<abi::Value>& args,
                           std::uint64_t gas_limit) {
    auto data = calldata(signature, args);
    if (!data) return std::unexpected(data.error());
    auto receipt = transact(client, key, to, std::move(*data), gas_limit, signature);
    if (!receipt) return std::unexpected(receipt.error());
    return {};
}

Result<Bytes> view_call(chain::JsonRpcClient& client, const Address& to, std::string_view signature,
                        const std::vector<abi::Value>& args) {
    auto data = calldata(signature, args);
    if (!data) return std::unexpected(data.error());
    chain::CallRequest request{
        .from = std::nullopt, .to = to, .data = std::move(*data), .value = std::nullopt, .gas = std::nullopt};
    auto out = client.eth_call(request);
    if (!out) return fail(std::string(signature) + ": " + out.error().message);
    return std::move(*out);
}

Result<Address> view_address(chain::JsonRpcClient& client, const Address& to, std::string_view signature) {
    auto out = view_call(client, to, signature);
    if (!out) return std::unexpected(out.error());
    auto address = abi::read_address(*out, 0);
    if (!address) return std::unexpected(context(signature, address.error()));
    if (*address == Address()) return fail(std::string(signature) + ": the zero address");
    return *address;
}

Result<std::uint64_t> block_gas_limit(chain::JsonRpcClient& client) {
    auto block = client.call("eth_getBlockByNumber", nlohmann::json::array({"latest", false}));
    if (!block) return fail("eth_getBlockByNumber: " + block.error().message);
    if (!block->is_object() || !block->contains("gasLimit") || !(*block)["gasLimit"].is_string())
        return fail("eth_getBlockByNumber: no gasLimit in the answer");
    auto limit = U256::from_hex((*block)["gasLimit"].get<std::string>());
    if (!limit || !limit->fits_u64()) return fail("eth_getBlockByNumber: bad gasLimit");
    return limit->low64();
}

// A contract creation that must succeed: its receipt (contract address, block).
Result<chain::Receipt> create(chain::JsonRpcClient& client, const chain::PrivateKey& deployer, Bytes init_code,
                              std::string_view what) {
    auto receipt = send_and_wait(client, deployer, std::nullopt, std::move(init_code), kCreateGas);
    if (!receipt) return std::unexpected(context(what, receipt.error()));
    if (!receipt->success || !receipt->contract_address)
        return fail("deploy " + std::string(what) + ": creation " + receipt->transaction_hash.hex() +
                    " reverted (gas used " + receipt->gas_used.to_dec() + " of " + std::to_string(kCreateGas) + ")");
    return receipt;
}

Result<Address> LinkingDeployer::deploy_address(std::string_view source, std::string_view contract,
                                                ByteView constructor_args) {
    auto receipt = deploy(source, contract, constructor_args);
    if (!receipt) return std::unexpected(receipt.error());
    return *receipt->contract_address;
}

Result<chain::Receipt> LinkingDeployer::deploy_at_depth(std::string_view source, std::string_view contract,
                                                        ByteView constructor_args, int depth) {
    auto artifact = load_(source, contract);
    if (!artifact) return std::unexpected(artifact.error());
    for (const auto& ref : artifact->link_references) {
        if (libraries_.contains(ref.library)) continue;
        if (depth >= kMaxLinkDepth) return fail(std::string(contract) + ": libraries link deeper than 4 levels");
        const auto colon = ref.library.rfind(':');
        if (colon == std::string::npos) return fail(std::string(contract) + ": bad library name " + ref.library);
        auto library = deploy_at_depth(std::string_view(ref.library).substr(0, colon),
                                       std::string_view(ref.library).substr(colon + 1), {}, depth + 1);
        if (!library) return std::unexpected(context(std::string(contract) + " needs " + ref.library, library.error()));
        libraries_.emplace(ref.library, *library->contract_address);
    }
    auto code = link_bytecode(*artifact, libraries_);
    if (!code) return std::unexpected(code.error());
    append(*code, constructor_args);
    return create(client_, owner_, std::move(*code), contract);
}

}  // namespace keeper::devnet

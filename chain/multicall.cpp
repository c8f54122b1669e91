#include "chain/multicall.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "chain/json_fields.hpp"
#include "chain/signer.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"
#include "core/hex.hpp"
#include "net/printable_excerpt.hpp"

namespace keeper::chain {
namespace {

using abi::Value;
using nlohmann::json;

const abi::Function& aggregate3_function() {
    static const abi::Function f = abi::parse_function("aggregate3((address,bool,bytes)[])").value();
    return f;
}

const std::vector<abi::Type>& aggregate3_outputs() {
    static const std::vector<abi::Type> t{abi::parse_type("(bool,bytes)[]").value()};
    return t;
}

// Error(string)'s selector: Solidity's revert("reason") and require(..., "reason").
constexpr std::uint8_t kErrorSelector[4] = {0x08, 0xc3, 0x79, 0xa0};

std::string describe_revert(ByteView data) {
    if (data.empty()) return "no revert data";
    if (data.size() >= 4 && std::equal(data.begin(), data.begin() + 4, std::begin(kErrorSelector))) {
        static const std::vector<abi::Type> string_type{abi::Type::string()};
        auto decoded = abi::decode(string_type, data.subspan(4));
        if (decoded && decoded->size() == 1 && (*decoded)[0].as_string() != nullptr)
            return "\"" + net::printable_excerpt(*(*decoded)[0].as_string(), 200) + "\"";  // a contract's text
    }
    return hex::encode(data);
}

}  // namespace

Address canonical_multicall3_address() {
    static const Address a = Address::parse("0xcA11bde05977b3631167028862bE2a173976CA11").value();
    return a;
}

Result<Bytes> SubCallOutcome::value() const {
    if (success) return return_data;
    return fail("sub-call reverted: " + describe_revert(return_data));
}

Bytes encode_aggregate3(std::span<const SubCall> calls) {
    Value::List items;
    items.reserve(calls.size());
    for (const SubCall& c : calls) items.emplace_back(Value::List{Value(c.target), Value(c.allow_failure), Value(c.call_data)});
    const Value args[] = {Value(std::move(items))};
    // Every value matches its type by construction: an encoding failure is a bug.
    return abi::encode_call(aggregate3_function(), args).value();
}

Result<std::vector<SubCallOutcome>> decode_aggregate3(ByteView return_data, std::size_t expected_count) {
    auto decoded = abi::decode(aggregate3_outputs(), return_data);
    if (!decoded) return std::unexpected(context("aggregate3 result", decoded.error()));
    const Value::List* list = (*decoded)[0].as_list();
    if (list == nullptr) return fail("aggregate3 result: not a list");
    if (list->size() != expected_count)
        return fail("aggregate3 result: " + std::to_string(list->size()) + " results for " +
                    std::to_string(expected_count) + " calls");
    std::vector<SubCallOutcome> out;
    out.reserve(list->size());
    for (const Value& item : *list) {
        const Value::List* pair = item.as_list();
        const bool* ok = pair != nullptr && pair->size() == 2 ? (*pair)[0].as_bool() : nullptr;
        const Bytes* data = pair != nullptr && pair->size() == 2 ? (*pair)[1].as_bytes() : nullptr;
        if (ok == nullptr || data == nullptr) return fail("aggregate3 result: entry is not (bool,bytes)");
        out.push_back(SubCallOutcome{*ok, *data});
    }
    return out;
}

Multicall::Multicall(JsonRpcClient& client, Address aggregator, MulticallOptions options)
    : client_(&client), aggregator_(aggregator), options_(options) {
    options_.max_calls_per_eth_call = std::max<std::size_t>(1, options_.max_calls_per_eth_call);
}

RpcResult<std::vector<SubCallOutcome>> Multicall::aggregate3(std::span<const SubCall> calls, const BlockId& block) {
    std::vector<SubCallOutcome> out;
    if (calls.empty()) return out;
    out.reserve(calls.size());
    const std::size_t chunk = options_.max_calls_per_eth_call;
    const std::size_t chunks = (calls.size() + chunk - 1) / chunk;

    std::vector<RpcCall> requests;
    requests.reserve(chunks);
    for (std::size_t i = 0; i < chunks; ++i) {
        const auto part = calls.subspan(i * chunk, std::min(chunk, calls.size() - i * chunk));
        CallRequest request;
        request.to = aggregator_;
        request.data = encode_aggregate3(part);
        request.gas = options_.gas;
        requests.push_back(RpcCall{"eth_call", json::array({request.to_json(), block.to_json()})});
    }

    auto chunk_name = [&](std::size_t i) {
        return "multicall chunk " + std::to_string(i + 1) + "/" + std::to_string(chunks) + " (calls " +
               std::to_string(i * chunk) + ".." + std::to_string(std::min(calls.size(), (i + 1) * chunk) - 1) + ")";
    };

    // One chunk: a plain call. Several: one JSON-RPC batch, one round trip.
    std::vector<RpcResult<json>> answers;
    if (chunks == 1) {
        answers.push_back(client_->call(requests[0].method, requests[0].params));
    } else {
        auto batch = client_->batch(requests);
        if (!batch) return rpc_fail(rpc_context("multicall", batch.error()));
        answers = std::move(*batch);
    }
    for (std::size_t i = 0; i < chunks; ++i) {
        if (!answers[i]) return rpc_fail(rpc_context(chunk_name(i), answers[i].error()));
        auto data = field::data(*answers[i], "result");
        if (!data) return rpc_fail(RpcError::malformed(chunk_name(i) + ": " + data.error().message));
        const std::size_t count = std::min(chunk, calls.size() - i * chunk);
        auto outcomes = decode_aggregate3(*data, count);
        if (!outcomes) return rpc_fail(RpcError::malformed(chunk_name(i) + ": " + outcomes.error().message));
        for (auto& o : *outcomes) out.push_back(std::move(o));
    }
    return out;
}

RpcResult<Bytes> get_code(JsonRpcClient& client, const Address& account, const BlockId& block) {
    auto r = client.call("eth_getCode", json::array({account.hex(), block.to_json()}));
    if (!r) return rpc_fail(r.error());
    auto code = field::data(*r, "result");
    if (!code) return rpc_fail(RpcError::malformed("eth_getCode: " + code.error().message));
    return *code;
}

Result<Address> ensure_multicall(JsonRpcClient& client, const PrivateKey& deployer, ByteView init_code,
                                 const DeployOptions& options) {
    const Address canonical = canonical_multicall3_address();
    auto code = get_code(client, canonical);
    if (!code) return std::unexpected(context("ensure_multicall", code.error()));
    if (!code->empty()) return canonical;

    const Address from = address_of(deployer);
    auto chain_id = client.chain_id();
    if (!chain_id) return std::unexpected(context("ensure_multicall", chain_id.error()));
    auto nonce = client.get_transaction_count(from, BlockId::pending());
    if (!nonce) return std::unexpected(context("ensure_multicall", nonce.error()));
    auto gas_price = client.gas_price();
    if (!gas_price) return std::unexpected(context("ensure_multicall", gas_price.error()));
    CallRequest estimate;
    estimate.from = from;
    estimate.data = Bytes(init_code.begin(), init_code.end());
    auto gas = client.estimate_gas(estimate);
    if (!gas) return std::unexpected(context("ensure_multicall: estimate deployment", gas.error()));

    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{*chain_id};
    tx.nonce = Nonce{*nonce};
    tx.max_priority_fee_per_gas_wei = U256(1);
    tx.max_fee_per_gas_wei = *gas_price * U256(2) + U256(1);
    tx.gas_limit = GasLimit{*gas + *gas / 5};
    tx.data = estimate.data;
    const SignedTransaction signed_tx = sign(tx, deployer);
    auto hash = client.send_raw_transaction(encode_raw(signed_tx));
    if (!hash) return std::unexpected(context("ensure_multicall: deploy", hash.error()));

    for (std::uint32_t poll = 0; poll < options.receipt_polls; ++poll) {
        auto receipt = client.get_transaction_receipt(*hash);
        if (!receipt) return std::unexpected(context("ensure_multicall: receipt", receipt.error()));
        if (receipt->has_value()) {
            const Receipt& r = **receipt;
            if (!r.success || !r.contract_address)
                return fail("ensure_multicall: deployment " + hash->hex() + " reverted");
            return *r.contract_address;
        }
        std::this_thread::sleep_for(options.poll_interval);
    }
    return fail("ensure_multicall: deployment " + hash->hex() + " not mined after " +
                std::to_string(options.receipt_polls) + " polls");
}

}  // namespace keeper::chain

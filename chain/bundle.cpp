#include "chain/bundle.hpp"

#include <array>

#include "chain/json_fields.hpp"
#include "chain/rpc_response.hpp"
#include "core/hex.hpp"
#include "core/keccak.hpp"
#include "core/u256.hpp"
#include "net/url_redaction.hpp"

namespace keeper::chain {

using nlohmann::json;

json bundle_params(const Bundle& bundle) {
    json txs = json::array();
    for (const Bytes& tx : bundle.transactions) txs.push_back(hex::encode(tx));
    json params = json::object();
    params["txs"] = std::move(txs);
    params["blockNumber"] = U256(bundle.block_number).to_hex();
    if (bundle.min_timestamp) params["minTimestamp"] = *bundle.min_timestamp;
    if (bundle.max_timestamp) params["maxTimestamp"] = *bundle.max_timestamp;
    if (!bundle.reverting_transaction_hashes.empty()) {
        json hashes = json::array();
        for (const Bytes32& h : bundle.reverting_transaction_hashes) hashes.push_back(h.hex());
        params["revertingTxHashes"] = std::move(hashes);
    }
    return params;
}

std::string send_bundle_body(const Bundle& bundle, std::uint64_t id) {
    return make_request(RpcCall{"eth_sendBundle", json::array({bundle_params(bundle)})}, id).dump();
}

Bytes32 personal_message_hash(std::string_view message) {
    std::string prefixed = "\x19" "Ethereum Signed Message:\n" + std::to_string(message.size());
    prefixed.append(message);
    return keccak256(std::string_view(prefixed));
}

std::string signature_hex_rsv(const Signature& signature) {
    Bytes rsv;
    rsv.reserve(65);
    append(rsv, signature.r.view());
    append(rsv, signature.s.view());
    rsv.push_back(static_cast<std::uint8_t>(27 + signature.y_parity));
    return hex::encode(rsv);
}

namespace {
// The message a relay expects signed: the 0x-prefixed lowercase hex text of keccak256(body).
Bytes32 flashbots_digest(std::string_view body) { return personal_message_hash(keccak256(body).hex()); }
}  // namespace

std::string flashbots_signature(std::string_view body, const PrivateKey& key) {
    return address_of(key).checksummed() + ":" + signature_hex_rsv(sign_hash(flashbots_digest(body), key));
}

Result<Address> verify_flashbots_signature(std::string_view header_value, std::string_view body) {
    const std::size_t colon = header_value.find(':');
    if (colon == std::string_view::npos) return fail("flashbots signature: expected <address>:<signature>");
    auto claimed = Address::parse(header_value.substr(0, colon));
    if (!claimed) return std::unexpected(context("flashbots signature: address", claimed.error()));
    auto raw = hex::decode_exact(header_value.substr(colon + 1), 65);
    if (!raw) return std::unexpected(context("flashbots signature: signature", raw.error()));
    const std::uint8_t v = (*raw)[64];
    if (v != 27 && v != 28 && v != 0 && v != 1)
        return fail("flashbots signature: v must be 27 or 28, found " + std::to_string(v));
    Signature sig;
    sig.r = Bytes32::from_bytes(ByteView(*raw).subspan(0, 32)).value();
    sig.s = Bytes32::from_bytes(ByteView(*raw).subspan(32, 32)).value();
    sig.y_parity = static_cast<std::uint8_t>(v >= 27 ? v - 27 : v);
    auto recovered = recover_address(flashbots_digest(body), sig);
    if (!recovered) return std::unexpected(context("flashbots signature: recover", recovered.error()));
    if (*recovered != *claimed)
        return fail("flashbots signature: signed by " + recovered->checksummed() + ", header claims " +
                    claimed->checksummed());
    return *claimed;
}

BundleSender::BundleSender(std::string relay_url, const PrivateKey& auth_key, net::HttpOptions options)
    : http_(std::move(relay_url), std::move(options)), key_(&auth_key), auth_address_(address_of(auth_key)) {}

RpcResult<Bytes32> BundleSender::send(const Bundle& bundle) {
    const std::uint64_t id = next_id_++;
    const std::string body = send_bundle_body(bundle, id);
    const std::array<std::string, 1> headers{std::string(kFlashbotsSignatureHeader) + ": " +
                                             flashbots_signature(body, *key_)};
    auto response = http_.post(body, headers);
    if (!response) return rpc_fail(RpcError::transport("eth_sendBundle: " + response.error().message));
    auto text = net::body_if_ok(std::move(*response));
    if (!text)
        return rpc_fail(RpcError::transport("eth_sendBundle: " + net::scrub_url(text.error().message, http_.url())));
    auto result = parse_response(*text, id);
    if (!result) return rpc_fail(rpc_context("eth_sendBundle", result.error()));
    if (!result->is_object()) return rpc_fail(RpcError::malformed("eth_sendBundle: result is not an object"));
    auto hash = field::bytes32_of(*result, "bundleHash");
    if (!hash) return rpc_fail(RpcError::malformed("eth_sendBundle: " + hash.error().message));
    return *hash;
}

}  // namespace keeper::chain

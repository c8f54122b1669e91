#pragma once
// Private submission to a Flashbots-style relay: `eth_sendBundle` with the
// request authenticated by the `X-Flashbots-Signature` header
// (docs.flashbots.net, "RPC endpoint" and "Authentication"):
//
//   body   {"jsonrpc":"2.0","id":1,"method":"eth_sendBundle","params":[{
//            "txs":["0x02f8..."],          raw signed transactions, in order
//            "blockNumber":"0x10ab3c",     the one block the bundle is for
//            "minTimestamp":1700000000,    optional, seconds, a JSON number
//            "maxTimestamp":1700000120,    optional
//            "revertingTxHashes":["0x.."]  optional: txs allowed to revert
//          }]}
//   header X-Flashbots-Signature: <signer address>:<signature>
//          signature = personal_sign (EIP-191) of the text of
//          "0x" + hex(keccak256(body bytes)), as 65 bytes r || s || v, v in {27, 28}.
//
// The signing key identifies the searcher (reputation); it should not be the
// key that holds funds. The body that is signed must be byte-for-byte the
// body that is sent, so the request text is built once and both use it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/private_key.hpp"
#include "chain/rpc_error.hpp"
#include "chain/signer.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"

namespace keeper::chain {

struct Bundle {
    std::vector<Bytes> transactions;  // raw signed (encode_raw), in execution order
    std::uint64_t block_number = 0;
    std::optional<std::uint64_t> min_timestamp;
    std::optional<std::uint64_t> max_timestamp;
    std::vector<Bytes32> reverting_transaction_hashes;
};

// The single element of eth_sendBundle's params; optional fields are omitted when unset/empty.
nlohmann::json bundle_params(const Bundle& bundle);
// The whole JSON-RPC request text, as it is signed and sent.
std::string send_bundle_body(const Bundle& bundle, std::uint64_t id);

// keccak256("\x19Ethereum Signed Message:\n" + decimal length + message): EIP-191
// version 0x45, what personal_sign and eth_sign sign.
Bytes32 personal_message_hash(std::string_view message);
// 65 bytes r || s || v with v = 27 + y parity, as "0x" hex.
std::string signature_hex_rsv(const Signature& signature);

// "0x<EIP-55 address>:0x<130 hex digits>" for `body`.
std::string flashbots_signature(std::string_view body, const PrivateKey& key);
// The address the header claims, if its signature over `body` recovers to it;
// an error otherwise (wrong format, bad v, mismatch). What a relay checks.
Result<Address> verify_flashbots_signature(std::string_view header_value, std::string_view body);

inline constexpr std::string_view kFlashbotsSignatureHeader = "X-Flashbots-Signature";

// Posts signed bundles to one relay URL over a persistent connection. Not
// thread-safe (one HTTP handle). Holds a reference to the auth key, which
// must outlive the sender.
class BundleSender {
public:
    BundleSender(std::string relay_url, const PrivateKey& auth_key, net::HttpOptions options = {});

    // The relay's "bundleHash". An RpcError of kind rpc when the relay says no,
    // transport for no answer or a non-2xx status, malformed for an answer without it.
    RpcResult<Bytes32> send(const Bundle& bundle);

    const Address& auth_address() const { return auth_address_; }

private:
    net::HttpClient http_;
    const PrivateKey* key_;
    Address auth_address_;
    std::uint64_t next_id_ = 1;
};

}  // namespace keeper::chain

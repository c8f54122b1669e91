#pragma once
// Ethereum transactions the keeper sends and the ones it reads back:
// legacy with EIP-155 replay protection, EIP-2930 (type 1, access list) and
// EIP-1559 (type 2, priority fee). Signed transactions are encoded as
// eth_sendRawTransaction expects them: legacy as a bare RLP list, typed ones
// as the EIP-2718 envelope `type || rlp([...])`.
#include <compare>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "chain/private_key.hpp"
#include "chain/signer.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::chain {

// Separate types so a nonce is never passed where a gas limit is expected.
struct Nonce {
    std::uint64_t value = 0;
    friend auto operator<=>(const Nonce&, const Nonce&) = default;
};
struct GasLimit {
    std::uint64_t value = 0;
    friend auto operator<=>(const GasLimit&, const GasLimit&) = default;
};
struct ChainId {
    std::uint64_t value = 0;
    friend auto operator<=>(const ChainId&, const ChainId&) = default;
};

struct AccessListEntry {
    Address address;
    std::vector<Bytes32> storage_keys;
    friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};
using AccessList = std::vector<AccessListEntry>;

// `to` is empty for contract creation.
struct LegacyTransaction {
    // nullopt only for pre-EIP-155 transactions read from the chain (v = 27/28);
    // everything the keeper signs carries a chain id.
    std::optional<ChainId> chain_id;
    Nonce nonce;
    U256 gas_price_wei;
    GasLimit gas_limit;
    std::optional<Address> to;
    U256 value_wei;
    Bytes data;
    friend bool operator==(const LegacyTransaction&, const LegacyTransaction&) = default;
};

struct AccessListTransaction {  // EIP-2930, type 1
    ChainId chain_id;
    Nonce nonce;
    U256 gas_price_wei;
    GasLimit gas_limit;
    std::optional<Address> to;
    U256 value_wei;
    Bytes data;
    AccessList access_list;
    friend bool operator==(const AccessListTransaction&, const AccessListTransaction&) = default;
};

struct DynamicFeeTransaction {  // EIP-1559, type 2
    ChainId chain_id;
    Nonce nonce;
    U256 max_priority_fee_per_gas_wei;
    U256 max_fee_per_gas_wei;
    GasLimit gas_limit;
    std::optional<Address> to;
    U256 value_wei;
    Bytes data;
    AccessList access_list;
    friend bool operator==(const DynamicFeeTransaction&, const DynamicFeeTransaction&) = default;
};

using Transaction = std::variant<LegacyTransaction, AccessListTransaction, DynamicFeeTransaction>;

enum class TxType : std::uint8_t { legacy = 0, access_list = 1, dynamic_fee = 2 };
TxType type_of(const Transaction& tx);

struct SignedTransaction {
    Transaction tx;
    Signature signature;
    friend bool operator==(const SignedTransaction&, const SignedTransaction&) = default;
};

// The bytes whose keccak256 is signed: rlp([nonce, gas_price, gas, to, value,
// data, chain_id, 0, 0]) for legacy (EIP-155), `type || rlp([...fields])` for
// typed transactions.
Bytes signing_payload(const Transaction& tx);
Bytes32 signing_hash(const Transaction& tx);

SignedTransaction sign(Transaction tx, const PrivateKey& key);

// What eth_sendRawTransaction takes.
Bytes encode_raw(const SignedTransaction& signed_tx);
// keccak256(encode_raw): the hash nodes and explorers show.
Bytes32 transaction_hash(const SignedTransaction& signed_tx);

// Untrusted raw bytes back into a transaction: canonical RLP only, every field
// checked (sizes, leading zeros, y parity); errors read
// "transaction: <field>: rlp: <what> at offset N" with N counted from raw[0].
Result<SignedTransaction> decode_raw(ByteView raw);

// The signer of a signed transaction (rejects high s, as nodes do since EIP-2).
Result<Address> recover_sender(const SignedTransaction& signed_tx);

}  // namespace keeper::chain

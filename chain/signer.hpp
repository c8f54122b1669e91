#pragma once
// secp256k1 recoverable ECDSA over 32-byte hashes, as Ethereum uses it:
// deterministic nonces (RFC 6979), low-s signatures (EIP-2), and the y parity
// of R so the public key - hence the sender address - can be recovered.
#include <cstdint>

#include "chain/private_key.hpp"
#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"

namespace keeper::chain {

struct Signature {
    Bytes32 r;
    Bytes32 s;
    std::uint8_t y_parity = 0;  // 0 or 1
    friend bool operator==(const Signature&, const Signature&) = default;
};

// Never fails: a PrivateKey is always a valid scalar. The signature has s <= n/2.
Signature sign_hash(const Bytes32& hash, const PrivateKey& key);

// keccak256(uncompressed public key without its 0x04 prefix)[12..32].
Address address_of(const PrivateKey& key);

// The address whose key produced `signature` over `hash`. Accepts high s (the
// ecrecover precompile does); transaction decoding checks is_low_s itself.
Result<Address> recover_address(const Bytes32& hash, const Signature& signature);

// s <= n/2, the canonical half EIP-2 requires of transaction signatures.
bool is_low_s(const Bytes32& s);

}  // namespace keeper::chain

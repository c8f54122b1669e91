#pragma once
// Ethereum V3 keystores (Web3 Secret Storage Definition): the JSON files geth,
// clef, foundry's `cast wallet` and MetaMask exports write. Supported: kdf
// scrypt or pbkdf2 (prf hmac-sha256), cipher aes-128-ctr. The MAC
// keccak256(derived_key[16..32] ++ ciphertext) is checked before decrypting.
#include <cstdint>
#include <string_view>

#include "chain/private_key.hpp"
#include "core/result.hpp"

namespace keeper::chain {

// A hostile or corrupted file must not make the keeper allocate gigabytes or
// spin for hours before it can even report a wrong password.
struct KeystoreLimits {
    std::uint64_t max_scrypt_memory_bytes = 512ull << 20;  // 128 * r * n
    std::uint64_t max_scrypt_parallelization = 16;         // p: sequential repetitions
    std::uint64_t max_pbkdf2_iterations = 10'000'000;      // c
};

// Errors name the field ("keystore: crypto.kdfparams.n: ..."); a wrong
// password reads "keystore: MAC mismatch (wrong password?)". When the file
// carries an "address", it must be the decrypted key's.
Result<PrivateKey> decrypt_keystore(std::string_view keystore_json, std::string_view password,
                                    const KeystoreLimits& limits = {});

}  // namespace keeper::chain

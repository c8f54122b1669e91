#include "chain/signer.hpp"

#include <array>
#include <cstring>
#include <random>
#include <stdexcept>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "core/keccak.hpp"

namespace keeper::chain {
namespace {

// Created once and never modified afterwards, which makes concurrent signing,
// verification and recovery with it thread-safe (secp256k1.h, "Context").
const secp256k1_context* context() {
    static const secp256k1_context* const ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
        // Blinding against timing and power side channels; the seed need not be
        // reproducible, signatures stay deterministic (RFC 6979).
        std::array<std::uint8_t, 32> seed{};
        std::random_device rd;
        for (std::size_t i = 0; i < seed.size(); i += 4) {
            const std::uint32_t word = rd();
            std::memcpy(seed.data() + i, &word, 4);
        }
        if (secp256k1_context_randomize(c, seed.data()) != 1)
            throw std::logic_error("secp256k1_context_randomize failed");
        secure_wipe(seed.data(), seed.size());
        return c;
    }();
    return ctx;
}

// n/2, big-endian: the largest s EIP-2 allows.
constexpr std::array<std::uint8_t, 32> kHalfOrder = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

Address address_of_pubkey(const secp256k1_pubkey& pubkey) {
    std::array<std::uint8_t, 65> uncompressed{};
    std::size_t length = uncompressed.size();
    secp256k1_ec_pubkey_serialize(context(), uncompressed.data(), &length, &pubkey, SECP256K1_EC_UNCOMPRESSED);
    const Bytes32 digest = keccak256(ByteView(uncompressed).subspan(1));
    Address out;
    std::memcpy(out.bytes.data(), digest.bytes.data() + 12, 20);
    return out;
}

}  // namespace

bool is_low_s(const Bytes32& s) { return s.bytes <= kHalfOrder; }

Signature sign_hash(const Bytes32& hash, const PrivateKey& key) {
    secp256k1_ecdsa_recoverable_signature sig;
    // A recovery id of 2 or 3 (r overflowed n) cannot be expressed in an
    // Ethereum signature; it happens with probability ~2^-127, and then extra
    // nonce data gives a different deterministic signature.
    for (std::uint64_t attempt = 0;; ++attempt) {
        std::array<std::uint8_t, 32> extra{};
        std::memcpy(extra.data(), &attempt, sizeof(attempt));
        if (secp256k1_ecdsa_sign_recoverable(context(), &sig, hash.bytes.data(), key.secret_bytes().data(), nullptr,
                                             attempt == 0 ? nullptr : extra.data()) != 1)
            throw std::logic_error("secp256k1_ecdsa_sign_recoverable failed for a validated key");
        std::array<std::uint8_t, 64> compact{};
        int recid = 0;
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recid, &sig);
        if (recid > 1) continue;
        Signature out;
        std::memcpy(out.r.bytes.data(), compact.data(), 32);
        std::memcpy(out.s.bytes.data(), compact.data() + 32, 32);
        out.y_parity = static_cast<std::uint8_t>(recid);
        return out;
    }
}

Address address_of(const PrivateKey& key) {
    secp256k1_pubkey pubkey;
    if (secp256k1_ec_pubkey_create(context(), &pubkey, key.secret_bytes().data()) != 1)
        throw std::logic_error("secp256k1_ec_pubkey_create failed for a validated key");
    return address_of_pubkey(pubkey);
}

Result<Address> recover_address(const Bytes32& hash, const Signature& signature) {
    if (signature.y_parity > 1)
        return fail("signature: y parity must be 0 or 1, found " + std::to_string(signature.y_parity));
    if (signature.r.is_zero() || signature.s.is_zero()) return fail("signature: r and s must be non-zero");
    std::array<std::uint8_t, 64> compact{};
    std::memcpy(compact.data(), signature.r.bytes.data(), 32);
    std::memcpy(compact.data() + 32, signature.s.bytes.data(), 32);
    secp256k1_ecdsa_recoverable_signature sig;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &sig, compact.data(), signature.y_parity) != 1)
        return fail("signature: r or s not below the secp256k1 group order");
    secp256k1_pubkey pubkey;
    if (secp256k1_ecdsa_recover(context(), &pubkey, &sig, hash.bytes.data()) != 1)
        return fail("signature: no public key recovers from this signature and hash");
    return address_of_pubkey(pubkey);
}

}  // namespace keeper::chain

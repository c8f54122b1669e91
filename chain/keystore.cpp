#include "chain/keystore.hpp"

#include <array>
#include <string>

#include <cryptopp/aes.h>
#include <cryptopp/modes.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/scrypt.h>
#include <cryptopp/sha.h>
#include <nlohmann/json.hpp>

#include "chain/signer.hpp"
#include "core/hex.hpp"
#include "core/keccak.hpp"

namespace keeper::chain {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kDerivedKeySize = 32;  // dklen: 16 bytes AES key, 16 bytes MAC key
constexpr std::size_t kIvSize = 16;

// Wipes a fixed buffer of secret bytes when it goes out of scope, on every path.
template <std::size_t N>
struct SecretBuffer {
    std::array<std::uint8_t, N> bytes{};
    SecretBuffer() = default;
    SecretBuffer(const SecretBuffer&) = delete;
    SecretBuffer& operator=(const SecretBuffer&) = delete;
    ~SecretBuffer() { secure_wipe(bytes.data(), bytes.size()); }
};

std::unexpected<Error> field_error(const std::string& path, const std::string& what) {
    return fail("keystore: " + path + ": " + what);
}

const char* type_name(const Json& j) { return j.type_name(); }

std::string join(const std::string& parent_path, const char* key) {
    return parent_path.empty() ? std::string(key) : parent_path + "." + key;
}

Result<const Json*> member(const Json& parent, const std::string& parent_path, const char* key) {
    const std::string path = join(parent_path, key);
    auto it = parent.find(key);
    if (it == parent.end()) return field_error(path, "missing");
    return &*it;
}

Result<const Json*> object_member(const Json& parent, const std::string& parent_path, const char* key) {
    auto m = member(parent, parent_path, key);
    if (!m) return m;
    if (!(*m)->is_object())
        return field_error(join(parent_path, key), std::string("expected an object, found ") + type_name(**m));
    return m;
}

Result<std::string> string_member(const Json& parent, const std::string& parent_path, const char* key) {
    auto m = member(parent, parent_path, key);
    if (!m) return std::unexpected(m.error());
    if (!(*m)->is_string())
        return field_error(join(parent_path, key), std::string("expected a string, found ") + type_name(**m));
    return (*m)->get<std::string>();
}

Result<std::uint64_t> uint_member(const Json& parent, const std::string& parent_path, const char* key) {
    auto m = member(parent, parent_path, key);
    if (!m) return std::unexpected(m.error());
    if (!(*m)->is_number_unsigned())
        return field_error(join(parent_path, key),
                           std::string("expected an unsigned integer, found ") + type_name(**m));
    return (*m)->get<std::uint64_t>();
}

// Hex of `size` bytes (any non-zero size when size == 0).
Result<Bytes> hex_member(const Json& parent, const std::string& parent_path, const char* key, std::size_t size) {
    auto text = string_member(parent, parent_path, key);
    if (!text) return std::unexpected(text.error());
    auto bytes = hex::decode(*text);
    if (!bytes) return field_error(join(parent_path, key), bytes.error().message);
    if (size != 0 && bytes->size() != size)
        return field_error(join(parent_path, key), "expected " + std::to_string(size) + " bytes, found " +
                                                        std::to_string(bytes->size()));
    if (bytes->empty()) return field_error(join(parent_path, key), "empty");
    return bytes;
}

Result<void> derive_scrypt(const Json& params, std::string_view password, const KeystoreLimits& limits,
                           SecretBuffer<kDerivedKeySize>& out) {
    const std::string path = "crypto.kdfparams";
    auto n = uint_member(params, path, "n");
    if (!n) return std::unexpected(n.error());
    auto r = uint_member(params, path, "r");
    if (!r) return std::unexpected(r.error());
    auto p = uint_member(params, path, "p");
    if (!p) return std::unexpected(p.error());
    auto salt = hex_member(params, path, "salt", 0);
    if (!salt) return std::unexpected(salt.error());
    if (*n < 2 || (*n & (*n - 1)) != 0)
        return field_error(path + ".n", "expected a power of two above 1, found " + std::to_string(*n));
    if (*r == 0) return field_error(path + ".r", "expected at least 1, found 0");
    if (*p == 0 || *p > limits.max_scrypt_parallelization)
        return field_error(path + ".p", "expected 1.." + std::to_string(limits.max_scrypt_parallelization) +
                                            ", found " + std::to_string(*p));
    // 128 * r * n bytes of working memory; divide instead of multiplying so a
    // hostile n or r cannot overflow the check.
    if (*r > limits.max_scrypt_memory_bytes / 128 / *n)
        return field_error(path, "scrypt n=" + std::to_string(*n) + " r=" + std::to_string(*r) +
                                     " needs more than " + std::to_string(limits.max_scrypt_memory_bytes >> 20) +
                                     " MiB");
    // Crypto++ reports parameters it refuses by throwing; a hostile file is an
    // input error, not a bug, so it becomes a Result here.
    try {
        CryptoPP::Scrypt scrypt;
        scrypt.DeriveKey(out.bytes.data(), out.bytes.size(), reinterpret_cast<const CryptoPP::byte*>(password.data()),
                         password.size(), salt->data(), salt->size(), *n, *r, *p);
    } catch (const CryptoPP::Exception& e) {
        return field_error(path, std::string("scrypt refused the parameters: ") + e.what());
    }
    return {};
}

Result<void> derive_pbkdf2(const Json& params, std::string_view password, const KeystoreLimits& limits,
                           SecretBuffer<kDerivedKeySize>& out) {
    const std::string path = "crypto.kdfparams";
    auto prf = string_member(params, path, "prf");
    if (!prf) return std::unexpected(prf.error());
    if (*prf != "hmac-sha256") return field_error(path + ".prf", "unsupported '" + *prf + "' (expected hmac-sha256)");
    auto c = uint_member(params, path, "c");
    if (!c) return std::unexpected(c.error());
    if (*c == 0 || *c > limits.max_pbkdf2_iterations)
        return field_error(path + ".c", "expected 1.." + std::to_string(limits.max_pbkdf2_iterations) + ", found " +
                                            std::to_string(*c));
    auto salt = hex_member(params, path, "salt", 0);
    if (!salt) return std::unexpected(salt.error());
    try {
        CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA256> pbkdf2;
        pbkdf2.DeriveKey(out.bytes.data(), out.bytes.size(), 0,
                         reinterpret_cast<const CryptoPP::byte*>(password.data()), password.size(), salt->data(),
                         salt->size(), static_cast<unsigned>(*c), 0.0);
    } catch (const CryptoPP::Exception& e) {
        return field_error(path, std::string("pbkdf2 refused the parameters: ") + e.what());
    }
    return {};
}

bool equal_constant_time(ByteView a, ByteView b) {
    if (a.size() != b.size()) return false;
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<std::uint8_t>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

Result<PrivateKey> decrypt_keystore(std::string_view keystore_json, std::string_view password,
                                    const KeystoreLimits& limits) {
    const Json doc = Json::parse(keystore_json.begin(), keystore_json.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return fail("keystore: not valid JSON");
    if (!doc.is_object()) return fail(std::string("keystore: expected a JSON object, found ") + type_name(doc));

    auto version = uint_member(doc, "", "version");
    if (!version) return std::unexpected(version.error());
    if (*version != 3) return field_error("version", "expected 3, found " + std::to_string(*version));

    // Older geth versions wrote "Crypto".
    const char* crypto_key = doc.contains("crypto") || !doc.contains("Crypto") ? "crypto" : "Crypto";
    auto crypto_member = member(doc, "", crypto_key);
    if (!crypto_member) return field_error("crypto", "missing");
    const Json& crypto = **crypto_member;
    if (!crypto.is_object()) return field_error("crypto", std::string("expected an object, found ") + type_name(crypto));

    auto cipher = string_member(crypto, "crypto", "cipher");
    if (!cipher) return std::unexpected(cipher.error());
    if (*cipher != "aes-128-ctr")
        return field_error("crypto.cipher", "unsupported '" + *cipher + "' (expected aes-128-ctr)");
    auto cipherparams = object_member(crypto, "crypto", "cipherparams");
    if (!cipherparams) return std::unexpected(cipherparams.error());
    auto iv = hex_member(**cipherparams, "crypto.cipherparams", "iv", kIvSize);
    if (!iv) return std::unexpected(iv.error());
    auto ciphertext = hex_member(crypto, "crypto", "ciphertext", PrivateKey::kSize);
    if (!ciphertext) return std::unexpected(ciphertext.error());
    auto mac = hex_member(crypto, "crypto", "mac", 32);
    if (!mac) return std::unexpected(mac.error());

    auto kdf = string_member(crypto, "crypto", "kdf");
    if (!kdf) return std::unexpected(kdf.error());
    auto kdfparams = object_member(crypto, "crypto", "kdfparams");
    if (!kdfparams) return std::unexpected(kdfparams.error());
    auto dklen = uint_member(**kdfparams, "crypto.kdfparams", "dklen");
    if (!dklen) return std::unexpected(dklen.error());
    if (*dklen != kDerivedKeySize)
        return field_error("crypto.kdfparams.dklen", "expected 32, found " + std::to_string(*dklen));

    SecretBuffer<kDerivedKeySize> derived;
    Result<void> derived_ok;
    if (*kdf == "scrypt") {
        derived_ok = derive_scrypt(**kdfparams, password, limits, derived);
    } else if (*kdf == "pbkdf2") {
        derived_ok = derive_pbkdf2(**kdfparams, password, limits, derived);
    } else {
        return field_error("crypto.kdf", "unsupported '" + *kdf + "' (expected scrypt or pbkdf2)");
    }
    if (!derived_ok) return std::unexpected(derived_ok.error());

    Bytes mac_body(derived.bytes.begin() + 16, derived.bytes.end());
    append(mac_body, *ciphertext);
    const Bytes32 expected_mac = keccak256(mac_body);
    secure_wipe(mac_body.data(), mac_body.size());
    if (!equal_constant_time(expected_mac.view(), *mac)) return fail("keystore: MAC mismatch (wrong password?)");

    SecretBuffer<PrivateKey::kSize> plain;
    CryptoPP::CTR_Mode<CryptoPP::AES>::Decryption aes;
    aes.SetKeyWithIV(derived.bytes.data(), 16, iv->data(), iv->size());
    aes.ProcessData(plain.bytes.data(), ciphertext->data(), ciphertext->size());
    auto key = PrivateKey::from_bytes(plain.bytes);
    if (!key) return std::unexpected(context("keystore: decrypted key", key.error()));

    if (auto address_field = doc.find("address"); address_field != doc.end()) {
        if (!address_field->is_string())
            return field_error("address", std::string("expected a string, found ") + type_name(*address_field));
        auto stated = Address::from_hex(address_field->get<std::string>());
        if (!stated) return field_error("address", stated.error().message);
        const Address actual = address_of(*key);
        if (Address(*stated) != actual)
            return field_error("address", "file says " + Address(*stated).checksummed() + " but the key is " +
                                              actual.checksummed());
    }
    return key;
}

}  // namespace keeper::chain

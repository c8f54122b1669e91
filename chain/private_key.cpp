#include "chain/private_key.hpp"

#include <cstring>
#include <ostream>
#include <string.h>  // explicit_bzero

#include "core/hex.hpp"

namespace keeper::chain {
namespace {

// The secp256k1 group order n, big-endian (SEC 2, section 2.4.1).
constexpr std::array<std::uint8_t, 32> kGroupOrder = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

// Big-endian comparison without data-dependent early exit.
bool less_than_order(ByteView key) {
    int result = 0;  // -1 less, 1 greater, 0 equal so far
    for (std::size_t i = 0; i < 32; ++i) {
        const int lt = key[i] < kGroupOrder[i];
        const int gt = key[i] > kGroupOrder[i];
        const int undecided = result == 0;
        result += undecided * (gt - lt);
    }
    return result < 0;
}

bool all_zero(ByteView key) {
    std::uint8_t acc = 0;
    for (std::uint8_t b : key) acc |= b;
    return acc == 0;
}

}  // namespace

void secure_wipe(void* data, std::size_t size) { explicit_bzero(data, size); }

Result<PrivateKey> PrivateKey::from_bytes(ByteView bytes) {
    if (bytes.size() != kSize)
        return fail("private key: expected 32 bytes, found " + std::to_string(bytes.size()));
    if (all_zero(bytes)) return fail("private key: zero is not a valid key");
    if (!less_than_order(bytes)) return fail("private key: not below the secp256k1 group order");
    PrivateKey key;
    std::memcpy(key.secret_.data(), bytes.data(), kSize);
    return key;
}

Result<PrivateKey> PrivateKey::from_hex(std::string_view text) {
    const std::string_view digits = hex::strip_prefix(text);
    if (digits.size() != 2 * kSize)
        return fail("private key: expected 64 hex digits, found " + std::to_string(digits.size()));
    std::array<std::uint8_t, kSize> raw{};
    for (std::size_t i = 0; i < kSize; ++i) {
        const int hi = hex::digit_value(digits[2 * i]);
        const int lo = hex::digit_value(digits[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            secure_wipe(raw.data(), raw.size());
            // The position only: never the character, it is part of the secret.
            return fail("private key: invalid hex digit at position " +
                        std::to_string(text.size() - digits.size() + 2 * i + (hi < 0 ? 0 : 1)));
        }
        raw[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    auto key = from_bytes(raw);
    secure_wipe(raw.data(), raw.size());
    return key;
}

PrivateKey::PrivateKey(PrivateKey&& other) noexcept : secret_(other.secret_) {
    secure_wipe(other.secret_.data(), other.secret_.size());
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
    if (this != &other) {
        secret_ = other.secret_;
        secure_wipe(other.secret_.data(), other.secret_.size());
    }
    return *this;
}

PrivateKey::~PrivateKey() { secure_wipe(secret_.data(), secret_.size()); }

void PrintTo(const PrivateKey&, std::ostream* os) { *os << PrivateKey::redacted(); }

}  // namespace keeper::chain

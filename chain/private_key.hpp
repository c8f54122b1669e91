#pragma once
// A secp256k1 secret key that cannot end up in a log by accident: there is no
// operator<< (it is deleted, so `os << key` does not compile), no to_string,
// no copy (one copy in memory, wiped when it goes away), and the only textual
// form is redacted(). Parsing errors never quote the input.
#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper::chain {

class PrivateKey {
public:
    static constexpr std::size_t kSize = 32;

    // 64 hex digits with an optional 0x prefix; the value must be in [1, n-1]
    // where n is the secp256k1 group order.
    static Result<PrivateKey> from_hex(std::string_view text);
    static Result<PrivateKey> from_bytes(ByteView bytes);

    PrivateKey(const PrivateKey&) = delete;
    PrivateKey& operator=(const PrivateKey&) = delete;
    PrivateKey(PrivateKey&& other) noexcept;
    PrivateKey& operator=(PrivateKey&& other) noexcept;
    ~PrivateKey();

    // For the signer and nothing else: never print, log or persist these bytes.
    const std::array<std::uint8_t, kSize>& secret_bytes() const { return secret_; }

    static constexpr std::string_view redacted() { return "PrivateKey(<redacted>)"; }

    friend std::ostream& operator<<(std::ostream&, const PrivateKey&) = delete;
    // GoogleTest would otherwise print the object's raw bytes in a failure message.
    friend void PrintTo(const PrivateKey&, std::ostream* os);

private:
    PrivateKey() = default;
    std::array<std::uint8_t, kSize> secret_{};
};

// Overwrites memory in a way the optimiser may not elide.
void secure_wipe(void* data, std::size_t size);

}  // namespace keeper::chain

#pragma once
// Fixed-size byte strings as distinct types (DESIGN.md rule 1): an Address is
// never silently a Bytes32. Always initialised to zero.
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/hex.hpp"
#include "core/result.hpp"

namespace keeper {

template <std::size_t N, class Tag>
struct FixedBytes {
    static constexpr std::size_t size = N;
    std::array<std::uint8_t, N> bytes{};

    constexpr FixedBytes() = default;
    explicit constexpr FixedBytes(const std::array<std::uint8_t, N>& b) : bytes(b) {}

    // Exactly N bytes; anything else is an error naming the size found.
    static Result<FixedBytes> from_bytes(ByteView view) {
        if (view.size() != N)
            return fail("expected " + std::to_string(N) + " bytes, found " + std::to_string(view.size()));
        FixedBytes out;
        std::memcpy(out.bytes.data(), view.data(), N);
        return out;
    }
    static Result<FixedBytes> from_hex(std::string_view text) {
        auto raw = hex::decode_exact(text, N);
        if (!raw) return std::unexpected(raw.error());
        return from_bytes(*raw);
    }

    std::string hex() const { return hex::encode(bytes); }
    ByteView view() const { return bytes; }
    bool is_zero() const {
        for (auto b : bytes)
            if (b != 0) return false;
        return true;
    }

    friend constexpr bool operator==(const FixedBytes&, const FixedBytes&) = default;
    friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

struct Bytes32Tag {};
using Bytes32 = FixedBytes<32, Bytes32Tag>;

}  // namespace keeper

template <std::size_t N, class Tag>
struct std::hash<keeper::FixedBytes<N, Tag>> {
    std::size_t operator()(const keeper::FixedBytes<N, Tag>& v) const noexcept {
        // Addresses and hashes are already uniformly distributed.
        std::size_t h = 0;
        std::memcpy(&h, v.bytes.data() + (N - sizeof(h)), sizeof(h));
        return h;
    }
};

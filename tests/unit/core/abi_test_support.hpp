#pragma once
// Shared helpers for the ABI tests: hex written as 32-byte words, as the
// Solidity ABI specification prints its examples.
#include <initializer_list>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/bytes.hpp"
#include "core/hex.hpp"

namespace keeper::abi::test {

// Concatenates hex chunks ("cdcd77c0", then 64-digit words) into bytes.
inline Bytes hex_chunks(std::initializer_list<std::string_view> chunks) {
    std::string all;
    for (auto c : chunks) all += c;
    auto bytes = hex::decode(all);
    EXPECT_TRUE(bytes.has_value()) << all;
    return bytes.value_or(Bytes{});
}

// A 32-byte word holding `v` right-aligned (a uint / offset / length).
inline std::string word(std::uint64_t v) {
    std::string digits = hex::encode(Bytes{static_cast<std::uint8_t>(v >> 56), static_cast<std::uint8_t>(v >> 48),
                                           static_cast<std::uint8_t>(v >> 40), static_cast<std::uint8_t>(v >> 32),
                                           static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                                           static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)},
                                     false);
    return std::string(48, '0') + digits;
}

}  // namespace keeper::abi::test

#pragma once
// Hex text <-> bytes. Parsing untrusted text returns Result with the
// offending position (DESIGN.md rule 4).
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper::hex {

// "0x"-prefixed lowercase hex by default.
std::string encode(ByteView bytes, bool with_prefix = true);

// Accepts an optional "0x"/"0X" prefix, upper or lower case digits.
// Rejects odd length and non-hex characters, naming the position.
Result<Bytes> decode(std::string_view text);

// Decodes into exactly `size` bytes; anything else is an error.
Result<Bytes> decode_exact(std::string_view text, std::size_t size);

// The value of one hex digit, or -1.
constexpr int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr std::string_view strip_prefix(std::string_view text) {
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) return text.substr(2);
    return text;
}

}  // namespace keeper::hex

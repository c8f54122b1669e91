#include "core/hex.hpp"

namespace keeper::hex {

std::string encode(ByteView bytes, bool with_prefix) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2 + 2);
    if (with_prefix) out += "0x";
    for (std::uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

Result<Bytes> decode(std::string_view text) {
    const std::size_t prefix = text.size() - strip_prefix(text).size();
    const std::string_view digits = text.substr(prefix);
    if (digits.size() % 2 != 0)
        return fail("hex: odd number of digits (" + std::to_string(digits.size()) + ")");
    Bytes out(digits.size() / 2);
    for (std::size_t i = 0; i < digits.size(); i += 2) {
        const int hi = digit_value(digits[i]);
        const int lo = digit_value(digits[i + 1]);
        if (hi < 0 || lo < 0) {
            const std::size_t bad = prefix + i + (hi < 0 ? 0 : 1);
            return fail("hex: invalid character at position " + std::to_string(bad) +
                        ": expected 0-9a-fA-F");
        }
        out[i / 2] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return out;
}

Result<Bytes> decode_exact(std::string_view text, std::size_t size) {
    auto bytes = decode(text);
    if (!bytes) return bytes;
    if (bytes->size() != size)
        return fail("hex: expected " + std::to_string(size) + " bytes, found " + std::to_string(bytes->size()));
    return bytes;
}

}  // namespace keeper::hex

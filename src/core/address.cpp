#include "core/address.hpp"

#include <algorithm>
#include <cctype>

#include "core/keccak.hpp"

namespace keeper {

Result<Address> Address::parse(std::string_view text) {
    if (text.size() != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return fail("address: expected 0x followed by 40 hex digits, found " + std::to_string(text.size()) +
                    " characters");
    auto raw = hex::decode(text);
    if (!raw) return fail("address: " + raw.error().message);
    Address out;
    std::copy(raw->begin(), raw->end(), out.bytes.begin());

    const std::string_view digits = text.substr(2);
    const bool has_lower = std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'a' && c <= 'f'; });
    const bool has_upper = std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    if (has_lower && has_upper) {
        const std::string expected = out.checksummed();
        if (expected.substr(2) != digits)
            return std::unexpected(
                Error{"address: bad EIP-55 checksum: expected " + expected, ErrorKind::bad_checksum});
    }
    return out;
}

Address Address::from_word(const Bytes32& word) {
    Address out;
    std::copy(word.bytes.begin() + 12, word.bytes.end(), out.bytes.begin());
    return out;
}

std::string Address::checksummed() const {
    const std::string lower = hex::encode(bytes, false);
    const Bytes32 h = keccak256(std::string_view(lower));
    std::string out = "0x";
    out.reserve(42);
    for (std::size_t i = 0; i < lower.size(); ++i) {
        const std::uint8_t nibble = (i % 2 == 0) ? (h.bytes[i / 2] >> 4) : (h.bytes[i / 2] & 0x0f);
        const char c = lower[i];
        out += (nibble >= 8 && c >= 'a') ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    }
    return out;
}

}  // namespace keeper

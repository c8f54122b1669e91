#pragma once
// A 20-byte account address with EIP-55 checksummed text.
#include <string>
#include <string_view>

#include "core/fixed_bytes.hpp"

namespace keeper {

struct AddressTag {};

class Address : public FixedBytes<20, AddressTag> {
public:
    using FixedBytes::FixedBytes;
    Address() = default;
    Address(const FixedBytes<20, AddressTag>& b) : FixedBytes(b) {}  // NOLINT

    // "0x" + 40 hex digits. All-lowercase or all-uppercase input is accepted
    // as is; mixed case must carry a valid EIP-55 checksum.
    static Result<Address> parse(std::string_view text);
    // The low 20 bytes of a 32-byte ABI word or topic.
    static Address from_word(const Bytes32& word);

    std::string checksummed() const;  // EIP-55
};

}  // namespace keeper

template <>
struct std::hash<keeper::Address> : std::hash<keeper::FixedBytes<20, keeper::AddressTag>> {};

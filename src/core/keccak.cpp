#include "core/keccak.hpp"

#include <cryptopp/keccak.h>

namespace keeper {

Bytes32 keccak256(ByteView data) {
    CryptoPP::Keccak_256 hash;
    hash.Update(data.data(), data.size());
    Bytes32 out;
    hash.Final(out.bytes.data());
    return out;
}

Bytes32 keccak256(std::string_view text) {
    return keccak256(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Selector selector(std::string_view canonical_signature) {
    const Bytes32 h = keccak256(canonical_signature);
    return {h.bytes[0], h.bytes[1], h.bytes[2], h.bytes[3]};
}

Bytes32 event_topic(std::string_view canonical_signature) { return keccak256(canonical_signature); }

}  // namespace keeper

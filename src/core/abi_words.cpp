#include "core/abi_words.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "core/hex.hpp"

namespace keeper::abi {
namespace {

// The word at `index`, or an error naming its position and the bytes present.
Result<const std::uint8_t*> word_at(ByteView data, std::size_t index, std::string_view what) {
    const std::size_t words = data.size() / kWord;
    if (index >= words) {
        const std::size_t pos = index <= data.size() / kWord ? index * kWord : data.size();
        return fail("abi: " + std::string(what) + " word " + std::to_string(index) + " at byte " +
                    std::to_string(pos) + ": expected 32 bytes, found " + std::to_string(data.size() - pos));
    }
    return data.data() + index * kWord;
}

// Bytes [0, pad) of the word must be zero.
Result<void> zero_padding(const std::uint8_t* w, std::size_t index, std::size_t pad, std::string_view what) {
    static constexpr char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < pad; ++i) {
        if (w[i] != 0) {
            const std::size_t base = index * kWord;
            return fail("abi: " + std::string(what) + " word " + std::to_string(index) + " at byte " +
                        std::to_string(base) + ": expected zero padding in bytes " + std::to_string(base) + ".." +
                        std::to_string(base + pad - 1) + ", found 0x" + digits[w[i] >> 4] + digits[w[i] & 0x0f] +
                        " at byte " + std::to_string(base + i));
        }
    }
    return {};
}

}  // namespace

Result<U256> read_uint(ByteView data, std::size_t index, unsigned bits) {
    if (bits < 8 || bits > 256 || bits % 8 != 0) throw std::logic_error("abi::read_uint: bits must be 8..256, step 8");
    const std::string what = "uint" + std::to_string(bits);
    auto w = word_at(data, index, what);
    if (!w) return std::unexpected(w.error());
    if (auto r = zero_padding(*w, index, kWord - bits / 8, what); !r) return std::unexpected(r.error());
    return U256::from_be(ByteView(*w, kWord));
}

Result<Address> read_address(ByteView data, std::size_t index) {
    auto w = word_at(data, index, "address");
    if (!w) return std::unexpected(w.error());
    if (auto r = zero_padding(*w, index, kWord - Address::size, "address"); !r) return std::unexpected(r.error());
    Address a;
    std::memcpy(a.bytes.data(), *w + kWord - Address::size, Address::size);
    return a;
}

Result<bool> read_bool(ByteView data, std::size_t index) {
    auto w = word_at(data, index, "bool");
    if (!w) return std::unexpected(w.error());
    if (auto r = zero_padding(*w, index, kWord - 1, "bool"); !r) return std::unexpected(r.error());
    const std::uint8_t last = (*w)[kWord - 1];
    if (last > 1)
        return fail("abi: bool word " + std::to_string(index) + " at byte " + std::to_string(index * kWord) +
                    ": expected 0x00 or 0x01 in byte " + std::to_string(index * kWord + kWord - 1) + ", found " +
                    hex::encode(ByteView(&last, 1)));
    return last == 1;
}

Result<Bytes32> read_bytes32(ByteView data, std::size_t index) {
    auto w = word_at(data, index, "bytes32");
    if (!w) return std::unexpected(w.error());
    Bytes32 out;
    std::memcpy(out.bytes.data(), *w, kWord);
    return out;
}

}  // namespace keeper::abi

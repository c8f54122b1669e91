#include "core/rlp.hpp"

#include <string>

#include "core/hex.hpp"

namespace keeper::rlp {
namespace {

constexpr std::uint8_t kStringOffset = 0x80;  // short string: 0x80 + length
constexpr std::uint8_t kLongString = 0xb7;    // long string: 0xb7 + length of length
constexpr std::uint8_t kListOffset = 0xc0;
constexpr std::uint8_t kLongList = 0xf7;
constexpr std::size_t kShortLimit = 56;  // payloads below this use the one-byte header

std::size_t byte_length(std::uint64_t v) {
    std::size_t n = 0;
    while (v != 0) {
        ++n;
        v >>= 8;
    }
    return n;
}

void append_be(Bytes& out, std::uint64_t v, std::size_t n) {
    for (std::size_t i = n; i > 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * (i - 1))));
}

void append_header(Bytes& out, std::uint8_t short_base, std::uint8_t long_base, std::size_t length) {
    if (length < kShortLimit) {
        out.push_back(static_cast<std::uint8_t>(short_base + length));
        return;
    }
    const std::size_t n = byte_length(length);
    out.push_back(static_cast<std::uint8_t>(long_base + n));
    append_be(out, length, n);
}

Error at(const std::string& what, std::size_t offset) {
    return Error{"rlp: " + what + " at offset " + std::to_string(offset)};
}

std::string byte_hex(std::uint8_t b) {
    const std::uint8_t one[1] = {b};
    return hex::encode(one);
}

Result<Item> decode_item(ByteView input, std::size_t offset, std::size_t limit, std::size_t depth,
                         std::size_t max_depth, std::size_t& next) {
    auto header = read_header(input, offset, limit);
    if (!header) return std::unexpected(header.error());
    next = header->end();
    if (!header->is_list) return Item::string(input.subspan(header->payload_offset, header->payload_length));
    if (depth >= max_depth)
        return std::unexpected(at("lists nested deeper than " + std::to_string(max_depth), offset));
    Item out = Item::list({});
    std::size_t pos = header->payload_offset;
    while (pos < header->end()) {
        std::size_t after = 0;
        auto child = decode_item(input, pos, header->end(), depth + 1, max_depth, after);
        if (!child) return child;
        out.items.push_back(std::move(*child));
        pos = after;
    }
    return out;
}

}  // namespace

void append_bytes(Bytes& out, ByteView bytes) {
    if (bytes.size() == 1 && bytes[0] < kStringOffset) {
        out.push_back(bytes[0]);
        return;
    }
    append_header(out, kStringOffset, kLongString, bytes.size());
    append(out, bytes);
}

void append_uint(Bytes& out, std::uint64_t value) {
    if (value != 0 && value < kStringOffset) {
        out.push_back(static_cast<std::uint8_t>(value));
        return;
    }
    const std::size_t n = byte_length(value);
    out.push_back(static_cast<std::uint8_t>(kStringOffset + n));
    append_be(out, value, n);
}

void append_u256(Bytes& out, const U256& value) {
    if (value.fits_u64()) {
        append_uint(out, value.low64());
        return;
    }
    const auto be = value.to_be();
    std::size_t first = 0;
    while (be[first] == 0) ++first;  // value > 2^64, so some byte is non-zero
    append_bytes(out, ByteView(be).subspan(first));
}

void append_list_header(Bytes& out, std::size_t payload_length) {
    append_header(out, kListOffset, kLongList, payload_length);
}

void append_list(Bytes& out, ByteView payload) {
    append_list_header(out, payload.size());
    append(out, payload);
}

Bytes encode_bytes(ByteView bytes) {
    Bytes out;
    append_bytes(out, bytes);
    return out;
}

Bytes encode_uint(std::uint64_t value) {
    Bytes out;
    append_uint(out, value);
    return out;
}

Bytes encode_u256(const U256& value) {
    Bytes out;
    append_u256(out, value);
    return out;
}

Bytes encode_list(ByteView payload) {
    Bytes out;
    append_list(out, payload);
    return out;
}

Bytes encode(const Item& item) {
    if (!item.is_list) return encode_bytes(item.bytes);
    Bytes payload;
    for (const Item& child : item.items) append(payload, encode(child));
    return encode_list(payload);
}

Result<Item> decode(ByteView input, std::size_t max_depth) {
    if (input.empty()) return std::unexpected(at("empty input", 0));
    std::size_t next = 0;
    auto item = decode_item(input, 0, input.size(), 0, max_depth, next);
    if (!item) return item;
    if (next != input.size())
        return std::unexpected(at(std::to_string(input.size() - next) + " trailing bytes after the item", next));
    return item;
}

Result<Header> read_header(ByteView input, std::size_t offset) { return read_header(input, offset, input.size()); }

Result<Header> read_header(ByteView input, std::size_t offset, std::size_t limit) {
    if (limit > input.size()) limit = input.size();
    if (offset >= limit) return std::unexpected(at("unexpected end of input, expected an item", offset));
    const std::uint8_t prefix = input[offset];
    const std::size_t left = limit - offset - 1;  // bytes after the prefix
    Header h;
    if (prefix < kStringOffset) {
        h.payload_offset = offset;
        h.payload_length = 1;
        return h;
    }
    h.is_list = prefix >= kListOffset;
    const std::uint8_t short_base = h.is_list ? kListOffset : kStringOffset;
    const std::uint8_t long_base = h.is_list ? kLongList : kLongString;
    const char* kind = h.is_list ? "list" : "string";
    if (prefix <= long_base) {
        h.payload_offset = offset + 1;
        h.payload_length = prefix - short_base;
        if (h.payload_length > left)
            return std::unexpected(at(std::string(kind) + " of " + std::to_string(h.payload_length) +
                                          " bytes runs past the end (" + std::to_string(left) + " left)",
                                      offset));
        if (!h.is_list && h.payload_length == 1 && input[offset + 1] < kStringOffset)
            return std::unexpected(at("non-canonical single byte " + byte_hex(input[offset + 1]) +
                                          " encoded as a string (expected the byte itself)",
                                      offset));
        return h;
    }
    const std::size_t length_of_length = prefix - long_base;  // 1..8
    if (length_of_length > left)
        return std::unexpected(at(std::string(kind) + " length of " + std::to_string(length_of_length) +
                                      " bytes runs past the end (" + std::to_string(left) + " left)",
                                  offset));
    if (input[offset + 1] == 0)
        return std::unexpected(at(std::string(kind) + " length with a leading zero byte", offset));
    std::uint64_t length = 0;
    for (std::size_t i = 0; i < length_of_length; ++i) length = (length << 8) | input[offset + 1 + i];
    if (length < kShortLimit)
        return std::unexpected(at(std::string(kind) + " of " + std::to_string(length) +
                                      " bytes uses the long form (expected the short form below 56)",
                                  offset));
    const std::size_t payload_left = left - length_of_length;
    if (length > payload_left)
        return std::unexpected(at(std::string(kind) + " of " + std::to_string(length) + " bytes runs past the end (" +
                                      std::to_string(payload_left) + " left)",
                                  offset));
    h.payload_offset = offset + 1 + length_of_length;
    h.payload_length = static_cast<std::size_t>(length);
    return h;
}

Result<ListReader> ListReader::open(ByteView input) {
    auto header = read_header(input, 0);
    if (!header) return std::unexpected(header.error());
    if (!header->is_list) return std::unexpected(at("expected a list, found a string", 0));
    if (header->end() != input.size())
        return std::unexpected(
            at(std::to_string(input.size() - header->end()) + " trailing bytes after the list", header->end()));
    return ListReader(input, *header);
}

Result<ByteView> ListReader::read_raw() {
    auto header = read_header(input_, pos_, end_);
    if (!header) return std::unexpected(header.error());
    const ByteView raw = input_.subspan(pos_, header->end() - pos_);
    pos_ = header->end();
    return raw;
}

Result<ByteView> ListReader::read_bytes() {
    const std::size_t start = pos_;
    auto header = read_header(input_, pos_, end_);
    if (!header) return std::unexpected(header.error());
    if (header->is_list) return std::unexpected(at("expected a string, found a list", start));
    pos_ = header->end();
    return input_.subspan(header->payload_offset, header->payload_length);
}

Result<ByteView> ListReader::read_fixed(std::size_t size) {
    const std::size_t start = pos_;
    auto bytes = read_bytes();
    if (!bytes) return bytes;
    if (bytes->size() != size)
        return std::unexpected(at("expected a string of " + std::to_string(size) + " bytes, found " +
                                      std::to_string(bytes->size()),
                                  start));
    return bytes;
}

Result<U256> ListReader::read_u256() {
    const std::size_t start = pos_;
    auto bytes = read_bytes();
    if (!bytes) return std::unexpected(bytes.error());
    if (bytes->size() > 32)
        return std::unexpected(at("integer of " + std::to_string(bytes->size()) + " bytes (expected at most 32)", start));
    if (!bytes->empty() && (*bytes)[0] == 0)
        return std::unexpected(at("integer with a leading zero byte", start));
    return U256::from_be(*bytes);
}

Result<std::uint64_t> ListReader::read_u64() {
    const std::size_t start = pos_;
    auto bytes = read_bytes();
    if (!bytes) return std::unexpected(bytes.error());
    if (bytes->size() > 8)
        return std::unexpected(at("integer of " + std::to_string(bytes->size()) + " bytes (expected at most 8)", start));
    if (!bytes->empty() && (*bytes)[0] == 0)
        return std::unexpected(at("integer with a leading zero byte", start));
    std::uint64_t v = 0;
    for (std::uint8_t b : *bytes) v = (v << 8) | b;
    return v;
}

Result<ListReader> ListReader::read_list() {
    const std::size_t start = pos_;
    auto header = read_header(input_, pos_, end_);
    if (!header) return std::unexpected(header.error());
    if (!header->is_list) return std::unexpected(at("expected a list, found a string", start));
    pos_ = header->end();
    return ListReader(input_, *header);
}

Result<void> ListReader::finish() const {
    if (pos_ < end_) return std::unexpected(at("unexpected extra item in list", pos_));
    return {};
}

}  // namespace keeper::rlp

#pragma once
// Recursive Length Prefix (Ethereum Yellow Paper, appendix B).
//
// Encoding appends to a caller-owned buffer so a transaction can be built
// without intermediate allocations. Decoding reads untrusted bytes and only
// accepts the canonical encoding: a value has exactly one valid RLP form, so
// anything else (a single byte < 0x80 wrapped as a string, the long form for a
// payload under 56 bytes, leading zeros in a length, lengths past the end,
// trailing bytes) is rejected with "rlp: <what> at offset N".
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::rlp {

// ---- encoding -------------------------------------------------------------

void append_bytes(Bytes& out, ByteView bytes);
// Unsigned integers are big-endian without leading zeros; zero is the empty
// string 0x80.
void append_uint(Bytes& out, std::uint64_t value);
void append_u256(Bytes& out, const U256& value);
// The header of a list whose encoded items take `payload_length` bytes.
void append_list_header(Bytes& out, std::size_t payload_length);
// A list around an already-encoded payload (the concatenated item encodings).
void append_list(Bytes& out, ByteView payload);

Bytes encode_bytes(ByteView bytes);
Bytes encode_uint(std::uint64_t value);
Bytes encode_u256(const U256& value);
Bytes encode_list(ByteView payload);

// ---- a generic tree, for tests and tools ----------------------------------

struct Item {
    bool is_list = false;
    Bytes bytes;              // the string payload when !is_list
    std::vector<Item> items;  // the elements when is_list

    static Item string(ByteView payload) { return Item{false, Bytes(payload.begin(), payload.end()), {}}; }
    static Item list(std::vector<Item> elements) { return Item{true, {}, std::move(elements)}; }
    friend bool operator==(const Item&, const Item&) = default;
};

Bytes encode(const Item& item);

// Deeper nesting is an error: a hostile input of a few KB of 0xc1 bytes must
// not exhaust the stack of a recursive decoder.
inline constexpr std::size_t kMaxDepth = 64;

// Exactly one item spanning all of `input`.
Result<Item> decode(ByteView input, std::size_t max_depth = kMaxDepth);

// ---- zero-copy decoding ---------------------------------------------------

struct Header {
    bool is_list = false;
    std::size_t payload_offset = 0;  // absolute, in the buffer given to read_header
    std::size_t payload_length = 0;
    std::size_t end() const { return payload_offset + payload_length; }
};

// The header of the item starting at `offset` of `input`, checked to be
// canonical and to fit before `limit` (default: the end of input). A single
// byte < 0x80 is its own payload (payload_offset == offset).
Result<Header> read_header(ByteView input, std::size_t offset, std::size_t limit);
Result<Header> read_header(ByteView input, std::size_t offset);

// Walks the items of one list. Offsets in errors are relative to the whole
// buffer, so a failure inside a nested list still points at the right byte.
class ListReader {
public:
    // `input` must be exactly one list item (no trailing bytes).
    static Result<ListReader> open(ByteView input);
    // The payload of a list header already read from `input`.
    ListReader(ByteView input, const Header& list_header)
        : input_(input), pos_(list_header.payload_offset), end_(list_header.end()) {}

    bool at_end() const { return pos_ >= end_; }
    std::size_t offset() const { return pos_; }

    Result<ByteView> read_bytes();
    // Canonical unsigned integers: no leading zero bytes, at most 32 (or 8) bytes.
    Result<U256> read_u256();
    Result<std::uint64_t> read_u64();
    Result<ListReader> read_list();
    // A string of exactly `size` bytes (an address, a storage key).
    Result<ByteView> read_fixed(std::size_t size);
    // The complete encoding of the next item, header included.
    Result<ByteView> read_raw();
    // Succeeds only when every item has been read.
    Result<void> finish() const;

private:
    ByteView input_;
    std::size_t pos_;
    std::size_t end_;
};

}  // namespace keeper::rlp

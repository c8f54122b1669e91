#include "core/abi_codec.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/abi_words.hpp"

namespace keeper::abi {
namespace {

// The types of a tuple body: a list (tuple components, call arguments) or
// one element type repeated (arrays), without copying the type.
class TypeSeq {
public:
    explicit TypeSeq(std::span<const Type> list) : list_(list), count_(list.size()) {}
    TypeSeq(const Type& repeated, std::size_t count) : single_(&repeated), count_(count) {}

    std::size_t size() const { return count_; }
    const Type& operator[](std::size_t i) const { return single_ != nullptr ? *single_ : list_[i]; }
    // Callers bound `count_` by the input size first, so this cannot overflow.
    std::size_t head_size() const {
        if (single_ != nullptr) return single_->head_size() * count_;
        std::size_t sum = 0;
        for (const Type& t : list_) sum += t.head_size();
        return sum;
    }

private:
    const Type* single_ = nullptr;
    std::span<const Type> list_;
    std::size_t count_ = 0;
};

// Errors from nested values read "[1][0]: uint8 ...": the path, then the cause.
Error at_index(std::size_t i, const Error& inner) {
    std::string message = "[" + std::to_string(i) + "]";
    if (!inner.message.starts_with('[')) message += ": ";
    return Error{message + inner.message};
}

std::string hex_byte(std::uint8_t b) {
    static constexpr char digits[] = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4] + digits[b & 0x0f];
}

// ---------------------------------------------------------------- encoding

void put_zeros(Bytes& out, std::size_t n) { out.resize(out.size() + n, 0); }

void put_u64_word(Bytes& out, std::uint64_t v) {
    put_zeros(out, kWord - 8);
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void write_u64_word_at(Bytes& out, std::size_t pos, std::uint64_t v) {
    std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(pos), kWord - 8, std::uint8_t{0});
    for (std::size_t i = 0; i < 8; ++i) out[pos + kWord - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void put_padded(Bytes& out, ByteView bytes) {
    append(out, bytes);
    put_zeros(out, (kWord - bytes.size() % kWord) % kWord);
}

std::string signed_text(const I256& v) { return (v.is_negative() ? "-" : "") + v.magnitude().to_dec(); }

Result<void> encode_value(const Type& t, const Value& v, Bytes& out);

Result<void> encode_seq(const TypeSeq& types, std::span<const Value> values, Bytes& out) {
    const std::size_t base = out.size();
    // Heads: static values in place, a placeholder for each dynamic offset.
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (types[i].is_dynamic()) {
            put_zeros(out, kWord);
        } else if (auto r = encode_value(types[i], values[i], out); !r) {
            return std::unexpected(at_index(i, r.error()));
        }
    }
    // Tails, each offset measured from the start of this tuple's heads.
    std::size_t head = base;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (types[i].is_dynamic()) {
            write_u64_word_at(out, head, out.size() - base);
            if (auto r = encode_value(types[i], values[i], out); !r) return std::unexpected(at_index(i, r.error()));
        }
        head += types[i].head_size();
    }
    return {};
}

Error mismatch(const Type& t, std::string_view wanted, const Value& v) {
    return Error{t.canonical() + " expects a " + std::string(wanted) + " value, found " +
                 std::string(alternative_name(v))};
}

Result<void> encode_value(const Type& t, const Value& v, Bytes& out) {
    switch (t.kind()) {
        case Kind::Uint: {
            const U256* x = v.as_uint();
            if (x == nullptr) return std::unexpected(mismatch(t, "uint", v));
            if (x->bit_width() > t.bits())
                return fail(t.canonical() + " value " + x->to_dec() + " does not fit " + std::to_string(t.bits()) +
                            " bits");
            const auto word = x->to_be();
            append(out, word);
            return {};
        }
        case Kind::Int: {
            const I256* x = v.as_int();
            if (x == nullptr) return std::unexpected(mismatch(t, "int", v));
            if (t.bits() < 256) {
                const U256 limit = U256(1) << (t.bits() - 1);  // |min| = limit, max = limit - 1
                if (x->is_negative() ? x->magnitude() > limit : x->twos >= limit)
                    return fail(t.canonical() + " value " + signed_text(*x) + " does not fit " +
                                std::to_string(t.bits()) + " bits");
            }
            const auto word = x->twos.to_be();  // already sign-extended to 256 bits
            append(out, word);
            return {};
        }
        case Kind::Address: {
            const Address* a = v.as_address();
            if (a == nullptr) return std::unexpected(mismatch(t, "address", v));
            put_zeros(out, kWord - Address::size);
            append(out, a->view());
            return {};
        }
        case Kind::Bool: {
            const bool* b = v.as_bool();
            if (b == nullptr) return std::unexpected(mismatch(t, "bool", v));
            put_u64_word(out, *b ? 1 : 0);
            return {};
        }
        case Kind::FixedBytes: {
            const Bytes* b = v.as_bytes();
            if (b == nullptr) return std::unexpected(mismatch(t, "bytes", v));
            if (b->size() != t.byte_size())
                return fail(t.canonical() + " expects " + std::to_string(t.byte_size()) + " bytes, found " +
                            std::to_string(b->size()));
            put_padded(out, *b);
            return {};
        }
        case Kind::Bytes:
        case Kind::String: {
            ByteView payload;
            if (t.kind() == Kind::Bytes) {
                const Bytes* b = v.as_bytes();
                if (b == nullptr) return std::unexpected(mismatch(t, "bytes", v));
                payload = *b;
            } else {
                const std::string* s = v.as_string();
                if (s == nullptr) return std::unexpected(mismatch(t, "string", v));
                payload = ByteView(reinterpret_cast<const std::uint8_t*>(s->data()), s->size());
            }
            put_u64_word(out, payload.size());
            put_padded(out, payload);
            return {};
        }
        case Kind::Array: {
            const Value::List* list = v.as_list();
            if (list == nullptr) return std::unexpected(mismatch(t, "list", v));
            put_u64_word(out, list->size());
            return encode_seq(TypeSeq(t.element(), list->size()), *list, out);
        }
        case Kind::FixedArray: {
            const Value::List* list = v.as_list();
            if (list == nullptr) return std::unexpected(mismatch(t, "list", v));
            if (list->size() != t.length())
                return fail(t.canonical() + " expects " + std::to_string(t.length()) + " elements, found " +
                            std::to_string(list->size()));
            return encode_seq(TypeSeq(t.element(), t.length()), *list, out);
        }
        case Kind::Tuple: {
            const Value::List* list = v.as_list();
            if (list == nullptr) return std::unexpected(mismatch(t, "list", v));
            if (list->size() != t.components().size())
                return fail(t.canonical() + " expects " + std::to_string(t.components().size()) +
                            " components, found " + std::to_string(list->size()));
            return encode_seq(TypeSeq(t.components()), *list, out);
        }
    }
    return fail("unreachable type kind");
}

// ---------------------------------------------------------------- decoding

class Decoder {
public:
    explicit Decoder(ByteView data) : data_(data), budget_(data.size() * kDecodeAmplification) {}

    Result<Value::List> seq(const TypeSeq& types, std::size_t frame) {
        if (auto r = need(frame, types.head_size(), "heads"); !r) return std::unexpected(r.error());
        // Each element will cost at least one word of budget: refuse before
        // allocating rather than after.
        if (types.size() > budget_ / kWord) return std::unexpected(over_budget());
        Value::List out;
        out.reserve(types.size());
        std::size_t head = frame;
        for (std::size_t i = 0; i < types.size(); ++i) {
            const Type& t = types[i];
            std::size_t at = head;
            if (t.is_dynamic()) {
                auto target = offset(frame, head);
                if (!target) return std::unexpected(at_index(i, target.error()));
                at = *target;
            }
            auto v = value(t, at);
            if (!v) return std::unexpected(at_index(i, v.error()));
            out.push_back(std::move(*v));
            head += t.head_size();
        }
        return out;
    }

private:
    Result<Value> value(const Type& t, std::size_t pos) {
        switch (t.kind()) {
            case Kind::Uint:
            case Kind::Int:
            case Kind::Address:
            case Kind::Bool:
            case Kind::FixedBytes:
                return word_value(t, pos);
            case Kind::Bytes:
            case Kind::String: {
                auto len = size_word(pos, "length", remaining_after_word(pos), "bytes left");
                if (!len) return std::unexpected(len.error());
                if (auto r = charge(kWord + *len); !r) return std::unexpected(r.error());
                const auto* begin = data_.data() + pos + kWord;
                if (t.kind() == Kind::Bytes) return Value(Bytes(begin, begin + *len));
                return Value(std::string(reinterpret_cast<const char*>(begin), *len));
            }
            case Kind::Array: {
                const std::size_t limit = remaining_after_word(pos) / t.element().head_size();
                auto n = size_word(pos, "array length", limit, "elements that fit the bytes left");
                if (!n) return std::unexpected(n.error());
                if (auto r = charge(kWord); !r) return std::unexpected(r.error());
                auto list = seq(TypeSeq(t.element(), *n), pos + kWord);
                if (!list) return std::unexpected(list.error());
                return Value(std::move(*list));
            }
            case Kind::FixedArray: {
                auto list = seq(TypeSeq(t.element(), t.length()), pos);
                if (!list) return std::unexpected(list.error());
                return Value(std::move(*list));
            }
            case Kind::Tuple: {
                auto list = seq(TypeSeq(t.components()), pos);
                if (!list) return std::unexpected(list.error());
                return Value(std::move(*list));
            }
        }
        return fail("unreachable type kind");
    }

    // One 32-byte word holding a value type, with its padding checked.
    Result<Value> word_value(const Type& t, std::size_t pos) {
        if (auto r = need(pos, kWord, t.canonical()); !r) return std::unexpected(r.error());
        if (auto r = charge(kWord); !r) return std::unexpected(r.error());
        const std::uint8_t* w = data_.data() + pos;
        switch (t.kind()) {
            case Kind::Uint:
                if (auto r = padding(t, pos, 0, kWord - t.bits() / 8, 0x00, "zero padding"); !r)
                    return std::unexpected(r.error());
                return Value(U256::from_be(ByteView(w, kWord)));
            case Kind::Int: {
                const std::size_t pad = kWord - t.bits() / 8;
                const std::uint8_t sign = (w[pad] & 0x80) != 0 ? 0xff : 0x00;
                if (auto r = padding(t, pos, 0, pad, sign, "sign extension " + hex_byte(sign)); !r)
                    return std::unexpected(r.error());
                return Value(I256{U256::from_be(ByteView(w, kWord))});
            }
            case Kind::Address: {
                if (auto r = padding(t, pos, 0, kWord - Address::size, 0x00, "zero padding"); !r)
                    return std::unexpected(r.error());
                Address a;
                std::memcpy(a.bytes.data(), w + kWord - Address::size, Address::size);
                return Value(a);
            }
            case Kind::Bool:
                if (auto r = padding(t, pos, 0, kWord - 1, 0x00, "zero padding"); !r) return std::unexpected(r.error());
                if (w[kWord - 1] > 1)
                    return fail("bool at byte " + std::to_string(pos) + ": expected 0x00 or 0x01 in byte " +
                                std::to_string(pos + kWord - 1) + ", found " + hex_byte(w[kWord - 1]));
                return Value(w[kWord - 1] == 1);
            default: {  // FixedBytes: left-aligned, zero on the right
                if (auto r = padding(t, pos, t.byte_size(), kWord, 0x00, "zero padding"); !r)
                    return std::unexpected(r.error());
                return Value(Bytes(w, w + t.byte_size()));
            }
        }
    }

    // Bytes [from, to) of the word at `pos` must all equal `fill`.
    Result<void> padding(const Type& t, std::size_t pos, std::size_t from, std::size_t to, std::uint8_t fill,
                         const std::string& what) const {
        for (std::size_t i = from; i < to; ++i) {
            const std::uint8_t b = data_[pos + i];
            if (b != fill)
                return fail(t.canonical() + " at byte " + std::to_string(pos) + ": expected " + what + " in bytes " +
                            std::to_string(pos + from) + ".." + std::to_string(pos + to - 1) + ", found " +
                            hex_byte(b) + " at byte " + std::to_string(pos + i));
        }
        return {};
    }

    // The offset in the head word at `head`, turned into an absolute position.
    Result<std::size_t> offset(std::size_t frame, std::size_t head) {
        if (auto r = charge(kWord); !r) return std::unexpected(r.error());
        auto rel = size_word(head, "offset", data_.size() - frame, "end of data");
        if (!rel) return std::unexpected(rel.error());
        return frame + *rel;
    }

    // A word used as a length or offset: at most `limit`.
    Result<std::size_t> size_word(std::size_t pos, std::string_view what, std::size_t limit,
                                  std::string_view limit_name) const {
        if (auto r = need(pos, kWord, what); !r) return std::unexpected(r.error());
        const std::uint8_t* w = data_.data() + pos;
        const bool small = std::all_of(w, w + kWord - 8, [](std::uint8_t b) { return b == 0; });
        std::uint64_t v = 0;
        for (std::size_t i = kWord - 8; i < kWord; ++i) v = (v << 8) | w[i];
        if (!small || v > limit) {
            const std::string found = small ? std::to_string(v) : U256::from_be(ByteView(w, kWord)).to_dec();
            return fail(std::string(what) + " at byte " + std::to_string(pos) + ": expected at most " +
                        std::to_string(limit) + " (" + std::string(limit_name) + "), found " + found);
        }
        return static_cast<std::size_t>(v);
    }

    // Bytes left after a word that starts at `pos` (which `need` has checked).
    std::size_t remaining_after_word(std::size_t pos) const {
        return pos + kWord <= data_.size() ? data_.size() - pos - kWord : 0;
    }

    Result<void> need(std::size_t pos, std::size_t n, std::string_view what) const {
        if (pos > data_.size() || data_.size() - pos < n) {
            const std::size_t have = pos > data_.size() ? 0 : data_.size() - pos;
            return fail(std::string(what) + " at byte " + std::to_string(pos) + ": expected " + std::to_string(n) +
                        " bytes, found " + std::to_string(have));
        }
        return {};
    }

    Result<void> charge(std::size_t n) {
        if (n > budget_) return std::unexpected(over_budget());
        budget_ -= n;
        return {};
    }

    Error over_budget() const {
        return Error{"decoded size exceeds " + std::to_string(kDecodeAmplification) + "x the input (" +
                     std::to_string(data_.size()) + " bytes): offsets point many values at the same bytes"};
    }

    ByteView data_;
    std::size_t budget_;
};

Error top_level(const Error& inner) { return Error{"abi: " + inner.message}; }

}  // namespace

Result<void> encode_into(std::span<const Type> types, std::span<const Value> values, Bytes& out) {
    if (types.size() != values.size())
        return fail("abi: expected " + std::to_string(types.size()) + " values, found " + std::to_string(values.size()));
    auto r = encode_seq(TypeSeq(types), values, out);
    if (!r) return std::unexpected(top_level(r.error()));
    return {};
}

Result<Bytes> encode(std::span<const Type> types, std::span<const Value> values) {
    Bytes out;
    auto r = encode_into(types, values, out);
    if (!r) return std::unexpected(r.error());
    return out;
}

Result<std::vector<Value>> decode(std::span<const Type> types, ByteView data) {
    Decoder d(data);
    auto r = d.seq(TypeSeq(types), 0);
    if (!r) return std::unexpected(top_level(r.error()));
    return std::move(*r);
}

}  // namespace keeper::abi

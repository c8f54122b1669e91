#pragma once
// Solidity ABI types, parsed from their canonical text ("uint256",
// "(address,bytes)[2]") as the ABI specification spells them. Sizes that the
// codec needs on every value (is it dynamic, how many head bytes) are worked
// out once at parse time, so encoding and decoding never recompute them.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace keeper::abi {

enum class Kind {
    Uint,        // uint<M>, 8 <= M <= 256, M % 8 == 0
    Int,         // int<M>, two's complement
    Address,     // as uint160
    Bool,        // as uint8 restricted to 0 or 1
    FixedBytes,  // bytes<M>, 1 <= M <= 32, left-aligned
    Bytes,       // dynamic byte string
    String,      // dynamic UTF-8 (not validated: the ABI does not)
    Array,       // T[]: dynamic length
    FixedArray,  // T[k]
    Tuple,       // (T1,...,Tn)
};

class Type {
public:
    // Type values are made by parse_type or these factories only, so the
    // cached sizes always agree with the structure.
    static Type uint(unsigned bits);
    static Type int_(unsigned bits);
    static Type address();
    static Type boolean();
    static Type fixed_bytes(std::size_t size);
    static Type bytes();
    static Type string();
    static Type array(Type element);
    static Type fixed_array(Type element, std::size_t length);
    static Type tuple(std::vector<Type> components);

    Kind kind() const { return kind_; }
    unsigned bits() const { return bits_; }                 // uint/int width
    std::size_t byte_size() const { return size_; }         // bytes<M>: M
    std::size_t length() const { return size_; }            // T[k]: k
    const Type& element() const { return children_.front(); }  // T[] and T[k]
    const std::vector<Type>& components() const { return children_; }

    // bytes, string, T[], and T[k] / tuples holding a dynamic type.
    bool is_dynamic() const { return dynamic_; }
    // Bytes this type takes in its enclosing head: 32 for dynamic types (the
    // offset), the full in-place encoding for static ones.
    std::size_t head_size() const { return head_size_; }
    // "uint256", "(address,bytes)[2]": the text that goes into selectors.
    std::string canonical() const;

    friend bool operator==(const Type& a, const Type& b) {
        return a.kind_ == b.kind_ && a.bits_ == b.bits_ && a.size_ == b.size_ && a.children_ == b.children_;
    }

private:
    Type(Kind kind, unsigned bits, std::size_t size, std::vector<Type> children);
    void canonical_into(std::string& out) const;

    Kind kind_ = Kind::Bool;
    unsigned bits_ = 0;
    std::size_t size_ = 0;
    std::vector<Type> children_;
    bool dynamic_ = false;
    std::size_t head_size_ = 32;
};

// The largest in-place size a static type may have. Far above anything a
// contract uses; it keeps size arithmetic away from overflow when the type
// text itself is hostile ("uint256[4294967295][4294967295]").
inline constexpr std::size_t kMaxStaticSize = std::size_t{1} << 32;
// Nesting deeper than this is rejected so parsing and decoding recursion stays
// shallow.
inline constexpr std::size_t kMaxTypeDepth = 32;

// Parses one canonical type. "uint"/"int" are accepted as the spec's synonyms
// of uint256/int256. Errors name the character position and what was
// expected: "abi type: expected ',' or ')' at position 8, found 'x'".
// Rejected although the spec text allows them: fixed/ufixed and function
// (unused by the protocols we call), the empty tuple "()" and T[0] (Solidity
// cannot declare them, and a zero-byte type would let a length field make
// the decoder allocate without reading input).
Result<Type> parse_type(std::string_view text);

// Parses one type starting at text[pos] and leaves pos just past it, for
// parsers of larger texts (signatures with parameter names). Error positions
// count from the start of `text`. With `allow_names`, tuple components may
// carry names and spaces as Solidity prints them: "(address loanToken, uint256 lltv)".
Result<Type> parse_type_at(std::string_view text, std::size_t& pos, bool allow_names = false);

// Parses a comma-separated list "uint256,(address,bool)" (the inside of a
// signature's parentheses); an empty string is an empty list.
Result<std::vector<Type>> parse_type_list(std::string_view text);

// "uint256,address": the canonical types joined by commas.
std::string canonical_list(const std::vector<Type>& types);

}  // namespace keeper::abi

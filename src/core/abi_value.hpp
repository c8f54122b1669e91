#pragma once
// A value the ABI codec encodes or decodes. Which alternative goes with which
// type:
//   uint<M>            U256
//   int<M>             I256 (two's complement in 256 bits)
//   address            Address
//   bool               bool
//   bytes<M>, bytes    Bytes (exactly M bytes for bytes<M>)
//   string             std::string
//   T[], T[k], tuples  std::vector<Value>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/u256.hpp"

namespace keeper::abi {

// A signed 256-bit integer held as its two's complement word, which is
// exactly what the ABI puts on the wire for int256.
struct I256 {
    U256 twos;

    static I256 from_int64(std::int64_t v) {
        return I256{v < 0 ? U256(0) - U256(static_cast<std::uint64_t>(-(v + 1)) + 1) : U256(static_cast<std::uint64_t>(v))};
    }
    bool is_negative() const { return (twos >> 255) == U256(1); }
    // |value|, which for -2^255 is 2^255 (fits in U256).
    U256 magnitude() const { return is_negative() ? U256(0) - twos : twos; }

    friend bool operator==(const I256&, const I256&) = default;
};

// Beware: Value::List is std::vector<Value>, the same type as an argument
// list, so a call with one list argument must say so: pass
// `{Value(List{a, b})}`, since `{List{a, b}}` is the list itself.
struct Value {
    using List = std::vector<Value>;
    std::variant<U256, I256, Address, bool, Bytes, std::string, List> v;

    Value() : v(U256()) {}
    Value(U256 x) : v(std::move(x)) {}          // NOLINT: values read naturally in tables
    Value(std::uint64_t x) : v(U256(x)) {}      // NOLINT
    Value(I256 x) : v(x) {}                     // NOLINT
    Value(Address x) : v(x) {}                  // NOLINT
    Value(Bytes x) : v(std::move(x)) {}         // NOLINT
    Value(std::string x) : v(std::move(x)) {}   // NOLINT
    Value(const char* x) : v(std::string(x)) {}  // NOLINT: a literal is a string, not a bool
    Value(List x) : v(std::move(x)) {}          // NOLINT
    // Only a real bool becomes a bool: `Value(1)` must stay a number.
    template <std::same_as<bool> B>
    Value(B x) : v(x) {}  // NOLINT

    template <class T>
    const T* get() const { return std::get_if<T>(&v); }
    // Short names for the common reads; nullptr when the alternative differs.
    const U256* as_uint() const { return get<U256>(); }
    const I256* as_int() const { return get<I256>(); }
    const Address* as_address() const { return get<Address>(); }
    const bool* as_bool() const { return get<bool>(); }
    const Bytes* as_bytes() const { return get<Bytes>(); }
    const std::string* as_string() const { return get<std::string>(); }
    const List* as_list() const { return get<List>(); }

    friend bool operator==(const Value&, const Value&) = default;
};

// The bytes of a text, for bytes/bytes<M> values written as literals ("abc").
inline Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

// "uint256", "string", "list": what a value holds, for error messages.
std::string_view alternative_name(const Value& value);

}  // namespace keeper::abi

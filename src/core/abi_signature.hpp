#pragma once
// Function signatures and calldata; event specs and log decoding.
//
// Signatures are accepted canonical ("transfer(address,uint256)") or with
// parameter names as Solidity prints them ("transfer(address to, uint256
// amount)"); the canonical form, which the selector hashes, drops the names.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/abi_codec.hpp"
#include "core/abi_type.hpp"
#include "core/abi_value.hpp"
#include "core/fixed_bytes.hpp"
#include "core/keccak.hpp"
#include "core/result.hpp"

namespace keeper::abi {

struct Function {
    std::string name;
    std::vector<Type> inputs;
    std::string canonical;  // "liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)"
    Selector selector{};    // keccak256(canonical)[0..4)
};

// "name(type [name], ...)". Errors say the position: "abi signature: expected
// ',' or ')' at position 14, found 'x'".
Result<Function> parse_function(std::string_view signature);

// selector ++ encode(inputs, args). Parse the Function once and reuse it on
// hot paths; the string overload parses every time.
Result<Bytes> encode_call(const Function& function, std::span<const Value> args);
Result<Bytes> encode_call(std::string_view signature, std::span<const Value> args);

struct EventParam {
    std::string name;  // may be empty
    Type type;
    bool indexed = false;
};

struct EventSpec {
    std::string name;
    std::vector<EventParam> params;
    bool anonymous = false;
    // Derived by make_event:
    std::string canonical;          // "Transfer(address,address,uint256)"
    Bytes32 topic0;                 // keccak256(canonical); unused when anonymous
    std::vector<Type> data_types;   // the non-indexed types, in order
    std::size_t indexed_count = 0;
};

// Checks the indexed count (at most 3, or 4 when anonymous) and derives the
// canonical signature, topic0 and data layout.
Result<EventSpec> make_event(std::string name, std::vector<EventParam> params, bool anonymous = false);
// "Transfer(address indexed from, address indexed to, uint256 value)",
// optionally followed by " anonymous".
Result<EventSpec> parse_event(std::string_view text);

struct NamedValue {
    std::string name;
    Value value;
};

struct DecodedLog {
    std::vector<NamedValue> values;  // in declaration order, indexed or not
    // The first value with that name, or nullptr.
    const Value* find(std::string_view name) const;

    // values[i] as its type. decode_log has checked every value against its
    // declared type, so on its output these cannot miss; they still fail
    // softly ("value 2 is not an address") rather than trust that.
    Result<Address> address_at(std::size_t i) const;
    Result<U256> uint_at(std::size_t i) const;
    Result<I256> int_at(std::size_t i) const;
    Result<bool> bool_at(std::size_t i) const;
    Result<Bytes> bytes_at(std::size_t i) const;
    Result<Bytes32> bytes32_at(std::size_t i) const;  // a bytes32 value (or an indexed dynamic value's hash)
};

// Checks topic0 (unless anonymous) and the topic count, decodes indexed
// value types from their topics (with the decoder's padding checks) and the
// rest from `data`. Indexed bytes, string, arrays and tuples come back as the
// 32-byte topic itself (a keccak hash; the value is not recoverable), as
// Bytes of size 32.
Result<DecodedLog> decode_log(const EventSpec& event, std::span<const Bytes32> topics, ByteView data);

}  // namespace keeper::abi

#pragma once
// Typed reads of one field of a node's JSON object. Every failure names the
// field and says what was wrong, e.g. "'gasUsed': not a 0x quantity: \"12\"".
// Quantities follow the JSON-RPC encoding: "0x"-prefixed hex, at most 256 bits.
#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::chain::field {

// Values on their own (a call's whole result), `what` names them in errors.
Result<U256> quantity(const nlohmann::json& value, std::string_view what);
Result<std::uint64_t> quantity_u64(const nlohmann::json& value, std::string_view what);
Result<Address> address(const nlohmann::json& value, std::string_view what);
Result<Bytes32> bytes32(const nlohmann::json& value, std::string_view what);
Result<Bytes> data(const nlohmann::json& value, std::string_view what);

// Members of an object; a missing member is an error naming it.
Result<U256> quantity_of(const nlohmann::json& object, std::string_view name);
Result<std::uint64_t> u64_of(const nlohmann::json& object, std::string_view name);
Result<Address> address_of(const nlohmann::json& object, std::string_view name);
Result<Bytes32> bytes32_of(const nlohmann::json& object, std::string_view name);
Result<Bytes> data_of(const nlohmann::json& object, std::string_view name);

// Members that may be absent or null (nullopt), but not malformed.
Result<std::optional<U256>> optional_quantity_of(const nlohmann::json& object, std::string_view name);
Result<std::optional<Address>> optional_address_of(const nlohmann::json& object, std::string_view name);

}  // namespace keeper::chain::field

#include "chain/json_fields.hpp"

#include "core/hex.hpp"
#include "net/printable_excerpt.hpp"

namespace keeper::chain::field {
namespace {

using nlohmann::json;

std::string named(std::string_view what) { return "'" + std::string(what) + "'"; }

std::string shown(const json& value) { return net::printable_excerpt(value.dump(), 80); }

Result<std::string_view> prefixed_hex(const json& value, std::string_view what) {
    if (!value.is_string()) return fail(named(what) + ": not a string: " + shown(value));
    const std::string& text = value.get_ref<const std::string&>();
    if (text.size() < 2 || text[0] != '0' || text[1] != 'x')
        return fail(named(what) + ": not 0x-prefixed hex: " + shown(value));
    return std::string_view(text);
}

Result<const json*> member(const json& object, std::string_view name) {
    if (!object.is_object()) return fail("expected an object holding " + named(name) + ", got " + shown(object));
    auto it = object.find(name);
    if (it == object.end()) return fail(named(name) + ": missing");
    return &*it;
}

template <class T, class Read>
Result<T> read_member(const json& object, std::string_view name, Read read) {
    auto m = member(object, name);
    if (!m) return std::unexpected(m.error());
    return read(**m, name);
}

template <class T, class Read>
Result<std::optional<T>> read_optional(const json& object, std::string_view name, Read read) {
    if (!object.is_object()) return fail("expected an object holding " + named(name) + ", got " + shown(object));
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::optional<T>{};
    auto v = read(*it, name);
    if (!v) return std::unexpected(v.error());
    return std::optional<T>{std::move(*v)};
}

}  // namespace

Result<U256> quantity(const json& value, std::string_view what) {
    auto text = prefixed_hex(value, what);
    if (!text) return std::unexpected(text.error());
    auto v = U256::from_hex(*text);
    if (!v) return fail(named(what) + ": bad quantity: " + v.error().message);
    return *v;
}

Result<std::uint64_t> quantity_u64(const json& value, std::string_view what) {
    auto v = quantity(value, what);
    if (!v) return std::unexpected(v.error());
    if (!v->fits_u64()) return fail(named(what) + ": does not fit 64 bits: " + shown(value));
    return v->low64();
}

Result<Address> address(const json& value, std::string_view what) {
    auto text = prefixed_hex(value, what);
    if (!text) return std::unexpected(text.error());
    auto a = Address::parse(*text);
    if (!a) return fail(named(what) + ": bad address: " + a.error().message);
    return *a;
}

Result<Bytes32> bytes32(const json& value, std::string_view what) {
    auto text = prefixed_hex(value, what);
    if (!text) return std::unexpected(text.error());
    auto b = Bytes32::from_hex(*text);
    if (!b) return fail(named(what) + ": bad 32-byte value: " + b.error().message);
    return *b;
}

Result<Bytes> data(const json& value, std::string_view what) {
    auto text = prefixed_hex(value, what);
    if (!text) return std::unexpected(text.error());
    auto b = hex::decode(*text);
    if (!b) return fail(named(what) + ": bad hex data: " + b.error().message);
    return std::move(*b);
}

Result<U256> quantity_of(const json& object, std::string_view name) { return read_member<U256>(object, name, quantity); }
Result<std::uint64_t> u64_of(const json& object, std::string_view name) {
    return read_member<std::uint64_t>(object, name, quantity_u64);
}
Result<Address> address_of(const json& object, std::string_view name) {
    return read_member<Address>(object, name, address);
}
Result<Bytes32> bytes32_of(const json& object, std::string_view name) {
    return read_member<Bytes32>(object, name, bytes32);
}
Result<Bytes> data_of(const json& object, std::string_view name) { return read_member<Bytes>(object, name, data); }

Result<std::optional<U256>> optional_quantity_of(const json& object, std::string_view name) {
    return read_optional<U256>(object, name, quantity);
}
Result<std::optional<Address>> optional_address_of(const json& object, std::string_view name) {
    return read_optional<Address>(object, name, address);
}

}  // namespace keeper::chain::field

// fuzz-libs: keeper::core
// Text from configs, JSON-RPC answers and operators: hex::decode,
// U256::from_hex/from_dec and Address::parse must accept or reject without
// crashing, and what they accept must print back to an equivalent text.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/address.hpp"
#include "core/hex.hpp"
#include "core/u256.hpp"

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check_hex(std::string_view text) {
    auto bytes = keeper::hex::decode(text);
    if (!bytes) return;
    if (keeper::hex::encode(*bytes, false) != lower(keeper::hex::strip_prefix(text))) std::abort();
}

void check_u256_hex(std::string_view text) {
    auto v = keeper::U256::from_hex(text);
    if (!v) return;
    auto again = keeper::U256::from_hex(v->to_hex());
    if (!again || *again != *v) std::abort();
    // Every accepted hex text is at most 64 significant digits: its bytes agree with to_be().
    const auto be = v->to_be();
    if (keeper::U256::from_be(be) != *v) std::abort();
}

void check_u256_dec(std::string_view text) {
    auto v = keeper::U256::from_dec(text);
    if (!v) return;
    const std::size_t first = text.find_first_not_of('0');
    const std::string_view significant = first == std::string_view::npos ? "0" : text.substr(first);
    if (v->to_dec() != significant) std::abort();
}

void check_address(std::string_view text) {
    auto a = keeper::Address::parse(text);
    if (!a) return;
    const std::string checksummed = a->checksummed();
    auto again = keeper::Address::parse(checksummed);
    if (!again || *again != *a) std::abort();
    if (lower(checksummed) != lower(text)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_hex(text);
    check_u256_hex(text);
    check_u256_dec(text);
    check_address(text);
    return 0;
}

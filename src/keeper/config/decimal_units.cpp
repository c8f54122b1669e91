#include "keeper/config/decimal_units.hpp"

#include <array>
#include <charconv>
#include <optional>

namespace keeper::config {

namespace {

bool all_digits(std::string_view text) {
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

Result<U256> parse_scaled_decimal(std::string_view text, unsigned decimals) {
    if (decimals > 77) return fail("decimal: scale above 10^77");
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || !all_digits(whole)) return fail("decimal: expected digits before any '.'");
    if (dot != std::string_view::npos && (fraction.empty() || !all_digits(fraction)))
        return fail("decimal: expected digits after '.'");
    while (fraction.size() > decimals && fraction.back() == '0') fraction.remove_suffix(1);
    if (fraction.size() > decimals)
        return fail("decimal: more than " + std::to_string(decimals) + " decimal places");

    auto whole_value = U256::from_dec(whole);
    if (!whole_value) return fail("decimal: value too large");
    std::optional<U256> scaled = checked_mul(*whole_value, U256::pow10(decimals));
    if (!scaled) return fail("decimal: value too large");
    if (fraction.empty()) return *scaled;
    // The fraction's digits as an integer, padded to `decimals` places.
    auto fraction_value = U256::from_dec(fraction);
    if (!fraction_value) return fail("decimal: value too large");
    const U256 fraction_scaled =
        *fraction_value * U256::pow10(decimals - static_cast<unsigned>(fraction.size()));
    auto total = checked_add(*scaled, fraction_scaled);
    if (!total) return fail("decimal: value too large");
    return *total;
}

std::string shortest_fixed_text(double value) {
    // 309 integer digits for DBL_MAX, plus sign, point and the longest
    // shortest-round-trip fraction of a subnormal: 1100 is comfortably enough.
    std::array<char, 1100> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::fixed);
    if (result.ec != std::errc{}) return "nan";
    return std::string(buffer.data(), result.ptr);
}

}  // namespace keeper::config

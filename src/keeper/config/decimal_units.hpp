#pragma once
// Human decimals ("1.05", "0.5") to exact scaled integers (1.05 -> 1.05e18 wad,
// 0.5 gwei -> 5e8 wei) without passing through binary floating point, so the
// operator's number is the keeper's number to the last unit.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::config {

// "<digits>[.<digits>]" times 10^decimals. Rejects signs, exponents, empty
// parts and more significant fractional digits than `decimals` (trailing
// zeros beyond it are fine); errors do not quote the text.
Result<U256> parse_scaled_decimal(std::string_view text, unsigned decimals);

// The shortest fixed-notation text that reads back as `value` ("1.05" for the
// double nearest 1.05), so a TOML float means what its author typed.
std::string shortest_fixed_text(double value);

}  // namespace keeper::config

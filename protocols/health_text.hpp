#pragma once
// Health as people and scripts read it (scan's `health` field).
#include <string>

#include "core/u256.hpp"

namespace keeper::protocols {

// "0.973100000000000000" trimmed to "0.9731"; "1.0" for exactly 1e18; "inf" for U256 max.
std::string wad_to_decimal(const U256& wad);

}  // namespace keeper::protocols

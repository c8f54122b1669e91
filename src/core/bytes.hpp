#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace keeper {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline void append(Bytes& out, ByteView tail) { out.insert(out.end(), tail.begin(), tail.end()); }

}  // namespace keeper

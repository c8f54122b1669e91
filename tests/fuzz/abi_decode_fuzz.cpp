// fuzz-libs: keeper::core
// Hostile return data and logs must decode or fail with an error, never
// crash, read out of bounds or allocate without bound. Whatever decodes
// must re-encode, and the re-encoding (canonical, strict offsets) must decode
// to the same values. Type strings are fuzzed too: a parsed type's canonical
// text must parse back to the same type.
//
// Input: first byte < 0x80 picks a type list from the table below and the
// rest is the data; otherwise the bytes up to the first '\n' are a type
// list and the rest is the data.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/abi_codec.hpp"
#include "core/abi_type.hpp"

namespace {

using keeper::abi::Type;

constexpr std::array<std::string_view, 12> kTypeLists = {
    "uint256",
    "address,uint256,bool",
    "bytes",
    "string[]",
    "uint256[][]",
    "int8,int24,int256,uint8,uint128",
    "bytes3[2],bytes32,bytes1",
    "(uint256,(address,bytes)[])[2]",
    "(address,address,address,address,uint256),address,uint256,uint256,bytes",
    "uint128,uint128,uint128,uint128,uint128,uint128",
    "(bytes,string)[],bool[3][]",
    "uint32[],bytes10,bytes,string",
};

const std::vector<std::vector<Type>>& table() {
    static const auto parsed = [] {
        std::vector<std::vector<Type>> out;
        for (auto text : kTypeLists) {
            auto list = keeper::abi::parse_type_list(text);
            if (!list) std::abort();  // the table is ours: a typo is a bug
            out.push_back(std::move(*list));
        }
        return out;
    }();
    return parsed;
}

void check_type_roundtrip(const std::vector<Type>& types) {
    for (const Type& t : types) {
        auto again = keeper::abi::parse_type(t.canonical());
        if (!again || !(*again == t)) std::abort();
    }
}

void check_decode(const std::vector<Type>& types, keeper::ByteView data) {
    auto values = keeper::abi::decode(types, data);
    if (!values) return;
    auto encoded = keeper::abi::encode(types, *values);
    if (!encoded) std::abort();  // decoded values always satisfy their types
    auto again = keeper::abi::decode(types, *encoded);
    if (!again || *again != *values) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    if (data[0] < 0x80) {
        const auto& types = table()[data[0] % table().size()];
        check_decode(types, keeper::ByteView(data + 1, size - 1));
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
        // Only a type string: exercise the parser.
        auto list = keeper::abi::parse_type_list(text);
        if (list) check_type_roundtrip(*list);
        return 0;
    }
    auto list = keeper::abi::parse_type_list(text.substr(0, newline));
    if (!list) return 0;
    check_type_roundtrip(*list);
    check_decode(*list, keeper::ByteView(data + 1 + newline + 1, size - 1 - newline - 1));
    return 0;
}

// Parsing canonical ABI type strings: structure, sizes, and the error text
// for each way a type string can be malformed.
#include <gtest/gtest.h>

#include "core/abi_type.hpp"

namespace keeper::abi {
namespace abi_type_test {

struct TypeShape {
    const char* text;
    const char* canonical;
    bool dynamic;
    std::size_t head_size;
};

TEST(AbiType, ParsesCanonicalTypesWithTheirSizes) {
    const std::vector<TypeShape> cases = {
        {"uint256", "uint256", false, 32},
        {"uint", "uint256", false, 32},  // synonym, canonicalised for selectors
        {"int", "int256", false, 32},
        {"int24", "int24", false, 32},
        {"address", "address", false, 32},
        {"bool", "bool", false, 32},
        {"bytes10", "bytes10", false, 32},
        {"bytes32", "bytes32", false, 32},
        {"bytes", "bytes", true, 32},
        {"string", "string", true, 32},
        {"uint32[]", "uint32[]", true, 32},
        {"uint32[3]", "uint32[3]", false, 96},
        {"uint32[3][2]", "uint32[3][2]", false, 192},
        {"string[2]", "string[2]", true, 32},
        {"(uint256,address)", "(uint256,address)", false, 64},
        {"(uint256,bytes)", "(uint256,bytes)", true, 32},
        {"(uint256,(address,bytes)[])[2]", "(uint256,(address,bytes)[])[2]", true, 32},
        {"(address,address,address,address,uint256)", "(address,address,address,address,uint256)", false, 160},
        {"(uint,(int,bool)[2])", "(uint256,(int256,bool)[2])", false, 160},
    };
    for (const auto& c : cases) {
        auto t = parse_type(c.text);
        ASSERT_TRUE(t.has_value()) << c.text << ": " << t.error().message;
        EXPECT_EQ(t->canonical(), c.canonical) << c.text;
        EXPECT_EQ(t->is_dynamic(), c.dynamic) << c.text;
        EXPECT_EQ(t->head_size(), c.head_size) << c.text;
    }
}

TEST(AbiType, ExposesStructure) {
    const Type t = parse_type("(uint256,(address,bytes)[])[2]").value();
    ASSERT_EQ(t.kind(), Kind::FixedArray);
    EXPECT_EQ(t.length(), 2u);
    const Type& tuple = t.element();
    ASSERT_EQ(tuple.kind(), Kind::Tuple);
    ASSERT_EQ(tuple.components().size(), 2u);
    EXPECT_EQ(tuple.components()[0], Type::uint(256));
    EXPECT_EQ(tuple.components()[1], Type::array(Type::tuple({Type::address(), Type::bytes()})));
    EXPECT_EQ(parse_type("bytes10").value().byte_size(), 10u);
    EXPECT_EQ(parse_type("int24").value().bits(), 24u);
}

struct Malformed {
    std::string text;
    const char* message;
};

TEST(AbiType, RejectsMalformedTypeStringsNamingThePosition) {
    const std::vector<Malformed> cases = {
        {"", "abi type: expected a type at position 0, found end of text"},
        {"uint7", "abi type: unknown type 'uint7' at position 0"},
        {"uint264", "abi type: unknown type 'uint264' at position 0"},
        {"uint08", "abi type: unknown type 'uint08' at position 0"},
        {"int0", "abi type: unknown type 'int0' at position 0"},
        {"bytes0", "abi type: unknown type 'bytes0' at position 0"},
        {"bytes33", "abi type: unknown type 'bytes33' at position 0"},
        {"fixed128x18", "abi type: unknown type 'fixed128x18' at position 0"},
        {"Uint256", "abi type: expected a type at position 0, found 'U'"},
        {"uint256 ", "abi type: expected end of type at position 7, found ' '"},
        {"uint256[", "abi type: expected digit or ']' at position 8, found end of text"},
        {"uint256[3x]", "abi type: expected digit or ']' at position 9, found 'x'"},
        {"uint256[0]", "abi type: array length at position 8 must be 1..4294967296 without leading zeros, found '0'"},
        {"uint256[01]", "abi type: array length at position 8 must be 1..4294967296 without leading zeros, found '01'"},
        {"uint256[99999999999999999999999]",
         "abi type: array length at position 8 must be 1..4294967296 without leading zeros, found "
         "'99999999999999999999999'"},
        {"uint256[4294967296]", "abi type: static size of array at position 7 exceeds 2^32 bytes"},
        {"(uint256", "abi type: expected ',' or ')' at position 8, found end of text"},
        {"(uint256,)", "abi type: expected a type at position 9, found ')'"},
        {"(uint256;address)", "abi type: expected ',' or ')' at position 8, found ';'"},
        {"()", "abi type: empty tuple at position 0 (Solidity has no empty structs)"},
        {"(uint256)[2]x", "abi type: expected end of type at position 12, found 'x'"},
        {std::string(40, '(') + "uint256" + std::string(40, ')'), "abi type: nesting deeper than 32 at position 33"},
        {"uint256[[]]",
         "abi type: expected digit or ']' at position 8, found '['"},
    };
    for (const auto& c : cases) {
        auto t = parse_type(c.text);
        ASSERT_FALSE(t.has_value()) << c.text;
        EXPECT_EQ(t.error().message, c.message) << c.text;
    }
}

TEST(AbiType, RejectsArraySuffixesNestedTooDeep) {
    std::string text = "uint256";
    for (int i = 0; i < 33; ++i) text += "[]";
    EXPECT_EQ(parse_type(text).error().message, "abi type: nesting deeper than 32 at position 71");
}

TEST(AbiType, ParsesTypeLists) {
    EXPECT_TRUE(parse_type_list("").value().empty());
    const auto list = parse_type_list("uint256,(address,bool),bytes").value();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(canonical_list(list), "uint256,(address,bool),bytes");
    EXPECT_EQ(parse_type_list("uint256,,bool").error().message,
              "abi type: expected a type at position 8, found ','");
    EXPECT_EQ(parse_type_list("uint256 bool").error().message,
              "abi type: expected ',' or end of list at position 7, found ' '");
}

}  // namespace abi_type_test
}  // namespace keeper::abi

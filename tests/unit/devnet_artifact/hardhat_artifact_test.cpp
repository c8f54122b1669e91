// Hardhat artifacts and library linking: a placeholder is "__$" + the first
// 34 hex digits of keccak256("<source>:<Library>") + "$__" (20 bytes of
// text-as-hex), listed by byte offset in linkReferences; linking writes the
// library's address over each one. Synthetic artifacts pin the rules; the
// pinned @aave/core-v3 Pool artifact (installed by scripts/setup) is read in
// tests/integration/devnet/pinned_aave_artifact_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/hex.hpp"
#include "keeper/devnet/hardhat_artifact.hpp"

namespace keeper::devnet {
namespace hardhat_artifact_test {

const std::string kLib = "contracts/lib/MathLib.sol:MathLib";
const std::string kOther = "contracts/lib/Other.sol:Other";

Address filled(std::uint8_t byte) {
    Address a;
    a.bytes.fill(byte);
    return a;
}

// {"contractName": "Thing", "sourceName": "contracts/Thing.sol", "bytecode": <code>,
//  "linkReferences": <refs>}
std::string artifact(const std::string& bytecode, const nlohmann::json& refs) {
    return nlohmann::json{{"contractName", "Thing"},
                          {"sourceName", "contracts/Thing.sol"},
                          {"abi", nlohmann::json::array()},
                          {"bytecode", bytecode},
                          {"linkReferences", refs}}
        .dump();
}

nlohmann::json refs_of(const std::string& source, const std::string& name, std::initializer_list<int> starts,
                       int length = 20) {
    nlohmann::json uses = nlohmann::json::array();
    for (int start : starts) uses.push_back({{"start", start}, {"length", length}});
    return {{source, {{name, uses}}}};
}

// 0x6080 <MathLib> fe <MathLib> 00: 44 bytes, placeholders at 2 and 23.
const std::string kTwoUses = "0x6080" + library_placeholder(kLib) + "fe" + library_placeholder(kLib) + "00";

TEST(LibraryPlaceholder, IsTheFirst17BytesOfTheKeccakOfTheQualifiedName) {
    // keccak256("contracts/protocol/libraries/logic/BorrowLogic.sol:BorrowLogic")
    //   = 0xc3724b8d563dc83a94e797176cddecb3b916231d2d9da5ef49ae6212164af8c9
    EXPECT_EQ(library_placeholder("contracts/protocol/libraries/logic/BorrowLogic.sol:BorrowLogic"),
              "__$c3724b8d563dc83a94e797176cddecb3b9$__");
    EXPECT_EQ(library_placeholder(kLib).size(), 40u);
}

TEST(HardhatArtifact, ParsesCodeWithZerosWhereThePlaceholdersWere) {
    auto parsed = parse_hardhat_artifact(artifact(kTwoUses, refs_of("contracts/lib/MathLib.sol", "MathLib", {23, 2})));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->contract_name, "Thing");
    EXPECT_EQ(parsed->source_name, "contracts/Thing.sol");
    ASSERT_EQ(parsed->bytecode.size(), 44u);
    EXPECT_EQ(hex::encode(parsed->bytecode), "0x6080" + std::string(40, '0') + "fe" + std::string(40, '0') + "00");
    ASSERT_EQ(parsed->link_references.size(), 2u);  // sorted by start
    EXPECT_EQ(parsed->link_references[0].start, 2u);
    EXPECT_EQ(parsed->link_references[1].start, 23u);
    EXPECT_EQ(parsed->link_references[0].library, kLib);
}

TEST(HardhatArtifact, LinkWritesTheLibraryAddressOverEachPlaceholder) {
    const auto parsed =
        parse_hardhat_artifact(artifact(kTwoUses, refs_of("contracts/lib/MathLib.sol", "MathLib", {2, 23}))).value();
    auto linked = link_bytecode(parsed, {{kLib, filled(0x11)}, {kOther, filled(0x22)}});
    ASSERT_TRUE(linked.has_value()) << linked.error().message;
    EXPECT_EQ(hex::encode(*linked), "0x6080" + std::string(40, '1') + "fe" + std::string(40, '1') + "00");

    auto missing = link_bytecode(parsed, {{kOther, filled(0x22)}});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message, "Thing: library contracts/lib/MathLib.sol:MathLib is not deployed");
}

TEST(HardhatArtifact, CodeWithoutLibrariesLinksToItself) {
    const auto parsed = parse_hardhat_artifact(artifact("0x6080604052", nlohmann::json::object())).value();
    EXPECT_EQ(link_bytecode(parsed, {}).value(), hex::decode("0x6080604052").value());
}

struct BadArtifact {
    const char* what;
    std::string text;
    std::string error;
};

TEST(HardhatArtifact, RejectsReferencesThatDoNotMatchTheCode) {
    const std::string lib_source = "contracts/lib/MathLib.sol";
    const BadArtifact cases[] = {
        {"a placeholder no reference lists", artifact(kTwoUses, refs_of(lib_source, "MathLib", {2})),
         "Thing: artifact: bytecode byte 23 is '__', not hex (an unlisted library placeholder?)"},
        {"a reference over another library's placeholder",
         artifact(kTwoUses, refs_of("contracts/lib/Other.sol", "Other", {2, 23})),
         "Thing: artifact: bytes 2..22 are not the placeholder of contracts/lib/Other.sol:Other"},
        {"a reference over plain code", artifact(kTwoUses, refs_of(lib_source, "MathLib", {0, 2, 23})),
         "Thing: artifact: bytes 0..20 are not the placeholder of " + kLib},
        {"a length other than 20", artifact(kTwoUses, refs_of(lib_source, "MathLib", {2, 23}, 19)),
         "Thing: artifact: link reference of " + kLib + " has length 19, expected 20"},
        {"a reference past the end", artifact(kTwoUses, refs_of(lib_source, "MathLib", {2, 23, 44})),
         "Thing: artifact: link reference of " + kLib + " at byte 44 is past the end (44 bytes)"},
        {"a truncated placeholder",
         artifact("0x6080" + library_placeholder(kLib).substr(0, 38), refs_of(lib_source, "MathLib", {2})),
         "Thing: artifact: link reference of " + kLib + " at byte 2 runs past the end (21 bytes)"},
        {"an odd number of digits", artifact("0x608", nlohmann::json::object()),
         "Thing: artifact: bytecode has an odd number of hex digits"},
        {"overlapping references", artifact(kTwoUses, refs_of(lib_source, "MathLib", {2, 12, 23})),
         "Thing: artifact: link reference of " + kLib + " at byte 12 overlaps the one before it"},
        {"a negative start", artifact(kTwoUses, refs_of(lib_source, "MathLib", {-2})),
         "Thing: artifact: a link reference of " + kLib + " lacks an unsigned start or length"},
        {"not hex", artifact("0x60zz", nlohmann::json::object()),
         "Thing: artifact: bytecode byte 1 is 'zz', not hex (an unlisted library placeholder?)"},
        {"no code (an interface)", artifact("0x", nlohmann::json::object()),
         "artifact Thing: empty bytecode (an interface or abstract contract?)"},
        {"no bytecode field", R"({"contractName": "Thing", "sourceName": "x.sol"})",
         "artifact: no string field 'bytecode'"},
        {"not JSON", "{\"contractName\": ", "artifact: not a JSON object"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto parsed = parse_hardhat_artifact(c.text);
        ASSERT_FALSE(parsed.has_value());
        EXPECT_EQ(parsed.error().message, c.error);
    }
}

}  // namespace hardhat_artifact_test
}  // namespace keeper::devnet

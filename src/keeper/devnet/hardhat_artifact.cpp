#include "keeper/devnet/hardhat_artifact.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/hex.hpp"
#include "core/keccak.hpp"

#ifndef KEEPER_TOOLS_DIR
#define KEEPER_TOOLS_DIR ""
#endif

namespace keeper::devnet {
namespace {

constexpr std::size_t kAddressSize = 20;

using Json = nlohmann::json;

Result<std::string> string_field(const Json& doc, std::string_view key) {
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_string()) return fail("artifact: no string field '" + std::string(key) + "'");
    return it->get<std::string>();
}

// {"<source>": {"<Library>": [{"start": n, "length": 20}, ...]}}
Result<std::vector<LinkReference>> parse_link_references(const Json& doc) {
    std::vector<LinkReference> refs;
    const auto it = doc.find("linkReferences");
    if (it == doc.end()) return refs;
    if (!it->is_object()) return fail("artifact: linkReferences is not an object");
    for (const auto& [source, libraries] : it->items()) {
        if (!libraries.is_object()) return fail("artifact: linkReferences." + source + " is not an object");
        for (const auto& [library, uses] : libraries.items()) {
            const std::string name = source + ":" + library;
            if (!uses.is_array()) return fail("artifact: link references of " + name + " are not a list");
            for (const auto& use : uses) {
                if (!use.is_object() || !use.contains("start") || !use.contains("length") ||
                    !use["start"].is_number_unsigned() || !use["length"].is_number_unsigned())
                    return fail("artifact: a link reference of " + name + " lacks an unsigned start or length");
                const auto length = use["length"].get<std::uint64_t>();
                if (length != kAddressSize)
                    return fail("artifact: link reference of " + name + " has length " + std::to_string(length) +
                                ", expected 20");
                refs.push_back({name, static_cast<std::size_t>(use["start"].get<std::uint64_t>())});
            }
        }
    }
    std::sort(refs.begin(), refs.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    return refs;
}

// Decodes the hex creation code, zeroing each placeholder after checking it
// names the library its reference says.
Result<Bytes> decode_unlinked(std::string_view text, const std::vector<LinkReference>& refs) {
    text = hex::strip_prefix(text);
    if (text.size() % 2 != 0) return fail("artifact: bytecode has an odd number of hex digits");
    const std::size_t size = text.size() / 2;
    Bytes code;
    code.reserve(size);
    std::size_t next_ref = 0;
    for (std::size_t offset = 0; offset < size;) {
        if (next_ref < refs.size() && refs[next_ref].start == offset) {
            const LinkReference& ref = refs[next_ref++];
            if (offset + kAddressSize > size)
                return fail("artifact: link reference of " + ref.library + " at byte " + std::to_string(offset) +
                            " runs past the end (" + std::to_string(size) + " bytes)");
            const std::string expected = library_placeholder(ref.library);
            if (text.substr(2 * offset, expected.size()) != expected)
                return fail("artifact: bytes " + std::to_string(offset) + ".." + std::to_string(offset + kAddressSize) +
                            " are not the placeholder of " + ref.library);
            code.insert(code.end(), kAddressSize, 0);
            offset += kAddressSize;
            continue;
        }
        if (next_ref < refs.size() && refs[next_ref].start < offset)
            return fail("artifact: link reference of " + refs[next_ref].library + " at byte " +
                        std::to_string(refs[next_ref].start) + " overlaps the one before it");
        const int high = hex::digit_value(text[2 * offset]);
        const int low = hex::digit_value(text[2 * offset + 1]);
        if (high < 0 || low < 0)
            return fail("artifact: bytecode byte " + std::to_string(offset) + " is '" +
                        std::string(text.substr(2 * offset, 2)) + "', not hex (an unlisted library placeholder?)");
        code.push_back(static_cast<std::uint8_t>(high * 16 + low));
        ++offset;
    }
    if (next_ref < refs.size())
        return fail("artifact: link reference of " + refs[next_ref].library + " at byte " +
                    std::to_string(refs[next_ref].start) + " is past the end (" + std::to_string(size) + " bytes)");
    return code;
}

}  // namespace

std::string library_placeholder(std::string_view fully_qualified_name) {
    const Bytes32 digest = keccak256(fully_qualified_name);
    return "__$" + hex::encode(ByteView(digest.bytes.data(), 17), false) + "$__";
}

Result<HardhatArtifact> parse_hardhat_artifact(std::string_view json_text) {
    const Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return fail("artifact: not a JSON object");
    HardhatArtifact artifact;
    auto name = string_field(doc, "contractName");
    if (!name) return std::unexpected(name.error());
    auto source = string_field(doc, "sourceName");
    if (!source) return std::unexpected(source.error());
    auto bytecode = string_field(doc, "bytecode");
    if (!bytecode) return std::unexpected(bytecode.error());
    auto refs = parse_link_references(doc);
    if (!refs) return std::unexpected(context(*name, refs.error()));
    auto code = decode_unlinked(*bytecode, *refs);
    if (!code) return std::unexpected(context(*name, code.error()));
    if (code->empty()) return fail("artifact " + *name + ": empty bytecode (an interface or abstract contract?)");
    artifact.contract_name = std::move(*name);
    artifact.source_name = std::move(*source);
    artifact.bytecode = std::move(*code);
    artifact.link_references = std::move(*refs);
    return artifact;
}

Result<HardhatArtifact> load_hardhat_artifact(const std::string& artifacts_dir, std::string_view source_name,
                                              std::string_view contract_name) {
    namespace fs = std::filesystem;
    const fs::path path = fs::path(artifacts_dir) / std::string(source_name) / (std::string(contract_name) + ".json");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read " + path.string() + ": run scripts/setup, or set $KEEPER_AAVE_ARTIFACTS");
    std::ostringstream text;
    text << in.rdbuf();
    auto artifact = parse_hardhat_artifact(text.str());
    if (!artifact) return std::unexpected(context(path.string(), artifact.error()));
    if (artifact->contract_name != contract_name)
        return fail(path.string() + ": holds contract " + artifact->contract_name + ", expected " +
                    std::string(contract_name));
    return artifact;
}

Result<Bytes> link_bytecode(const HardhatArtifact& artifact, const LibraryAddresses& libraries) {
    Bytes code = artifact.bytecode;
    for (const auto& ref : artifact.link_references) {
        const auto it = libraries.find(ref.library);
        if (it == libraries.end())
            return fail(artifact.contract_name + ": library " + ref.library + " is not deployed");
        if (ref.start + kAddressSize > code.size())
            return fail(artifact.contract_name + ": link reference at byte " + std::to_string(ref.start) +
                        " past the end");
        std::copy(it->second.bytes.begin(), it->second.bytes.end(),
                  code.begin() + static_cast<std::ptrdiff_t>(ref.start));
    }
    return code;
}

std::string aave_artifacts_dir() {
    if (const char* env = std::getenv("KEEPER_AAVE_ARTIFACTS"); env != nullptr && *env != '\0') return env;
    return (std::filesystem::path(KEEPER_TOOLS_DIR) / "node_modules" / "@aave" / "core-v3" / "artifacts").string();
}

}  // namespace keeper::devnet

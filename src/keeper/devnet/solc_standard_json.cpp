#include "keeper/devnet/solc_standard_json.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/hex.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/compile_lock.hpp"

#ifndef KEEPER_CONTRACT_CACHE_DIR
#define KEEPER_CONTRACT_CACHE_DIR ""
#endif

namespace keeper::devnet {
namespace fs = std::filesystem;
namespace {

using Json = nlohmann::json;

Result<std::string> read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<void> write_text(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return fail("cannot write " + path.string());
    out << text;
    if (!out) return fail("cannot write " + path.string());
    return {};
}

fs::path cache_root() {
    if (const char* env = std::getenv("KEEPER_CONTRACT_CACHE"); env != nullptr && *env != '\0') return env;
    if (std::string_view(KEEPER_CONTRACT_CACHE_DIR).empty()) return fs::temp_directory_path() / "keeper-contracts";
    return KEEPER_CONTRACT_CACHE_DIR;
}

// node solc.js --standard-json --base-path B < input > output (stderr too).
Result<void> run_solc(const StandardJsonJob& job, const fs::path& input, const fs::path& output) {
    std::vector<std::string> args{"node", job.solc_js, "--standard-json", "--base-path", job.base_path};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int in_fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) return fail("solc: open " + input.string() + ": " + std::strerror(errno));
    const int out_fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out_fd < 0) {
        ::close(in_fd);
        return fail("solc: open " + output.string() + ": " + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(in_fd);
        ::close(out_fd);
        return fail(std::string("solc: fork: ") + std::strerror(errno));
    }
    if (pid == 0) {  // child: async-signal-safe calls only until exec
        ::dup2(in_fd, STDIN_FILENO);
        ::dup2(out_fd, STDOUT_FILENO);
        ::dup2(out_fd, STDERR_FILENO);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(in_fd);
    ::close(out_fd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return fail(std::string("solc: waitpid: ") + std::strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        auto text = read_text(output);
        return fail("node " + job.solc_js + " --standard-json failed (status " + std::to_string(status) +
                    "; is node on PATH and scripts/setup run?): " + (text ? text->substr(0, 2000) : "<no output>"));
    }
    return {};
}

// solc-js may print notes (">>> Cannot retry compilation with SMT ...")
// before the document: keep from the first '{'. Errors fail the compile.
Result<std::string> checked_output(std::string text) {
    const auto brace = text.find('{');
    if (brace == std::string::npos) return fail("solc: no JSON in the output: " + text.substr(0, 2000));
    text.erase(0, brace);
    const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return fail("solc: output is not a JSON object");
    std::string errors;
    int count = 0;
    if (const auto it = doc.find("errors"); it != doc.end() && it->is_array()) {
        for (const auto& e : *it) {
            if (e.value("severity", "") != "error") continue;
            if (++count <= 3) errors += "\n" + e.value("formattedMessage", e.value("message", std::string("?")));
        }
    }
    if (count > 0) return fail("solc: " + std::to_string(count) + " errors:" + errors);
    return text;
}

}  // namespace

Result<std::string> compile_standard_json(const StandardJsonJob& job) {
    const Bytes32 digest = keccak256(std::string_view(job.version_note + "\n" + job.input_json));
    const std::string key = hex::encode(ByteView(digest.bytes.data(), 8), false);
    const fs::path cache = cache_root();
    const fs::path final_path = cache / (job.cache_name + "-" + key + ".json");
    if (fs::exists(final_path)) return read_text(final_path);

    std::error_code ec;
    fs::create_directories(cache, ec);
    if (ec) return fail("solc: create " + cache.string() + ": " + ec.message());
    const CompileLock lock(cache / (job.cache_name + "-" + key + ".lock"));
    if (fs::exists(final_path)) return read_text(final_path);  // compiled while we waited
    std::string tmp_template = (cache / "tmp-XXXXXX").string();
    if (::mkdtemp(tmp_template.data()) == nullptr)
        return fail("solc: mkdtemp in " + cache.string() + ": " + std::strerror(errno));
    const fs::path tmp_dir = tmp_template;
    const auto cleanup = [&] { fs::remove_all(tmp_dir, ec); };
    if (auto wrote = write_text(tmp_dir / "input.json", job.input_json); !wrote) {
        cleanup();
        return std::unexpected(wrote.error());
    }
    if (auto ran = run_solc(job, tmp_dir / "input.json", tmp_dir / "raw.json"); !ran) {
        cleanup();
        return std::unexpected(ran.error());
    }
    auto raw = read_text(tmp_dir / "raw.json");
    auto output = raw ? checked_output(std::move(*raw)) : Result<std::string>(std::unexpected(raw.error()));
    if (!output) {
        cleanup();
        return std::unexpected(output.error());
    }
    if (auto wrote = write_text(tmp_dir / "output.json", *output); !wrote) {
        cleanup();
        return std::unexpected(wrote.error());
    }
    // Publish atomically; if another process won the race its copy is equal.
    fs::rename(tmp_dir / "output.json", final_path, ec);
    cleanup();
    return output;
}

Result<HardhatArtifact> standard_json_artifact(std::string_view output_json, std::string_view source_key,
                                               std::string_view contract_name) {
    const Json doc = Json::parse(output_json, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return fail("solc output: not a JSON object");
    const std::string where = std::string(source_key) + ":" + std::string(contract_name);
    const auto contracts = doc.find("contracts");
    if (contracts == doc.end() || !contracts->contains(std::string(source_key)))
        return fail("solc output: no source " + std::string(source_key));
    const Json& source = (*contracts)[std::string(source_key)];
    if (!source.contains(std::string(contract_name))) return fail("solc output: no contract " + where);
    const Json& evm = source[std::string(contract_name)].value("evm", Json::object());
    const Json& bytecode = evm.value("bytecode", Json::object());
    if (!bytecode.contains("object") || !bytecode["object"].is_string())
        return fail("solc output: " + where + " has no evm.bytecode.object");
    // Hardhat's artifact shape is solc's bytecode object plus names.
    const Json artifact{{"contractName", std::string(contract_name)},
                        {"sourceName", std::string(source_key)},
                        {"bytecode", bytecode["object"]},
                        {"linkReferences", bytecode.value("linkReferences", Json::object())}};
    auto parsed = parse_hardhat_artifact(artifact.dump());
    if (!parsed) return std::unexpected(context("solc output " + where, parsed.error()));
    return parsed;
}

}  // namespace keeper::devnet

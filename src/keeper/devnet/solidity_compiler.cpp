#include "keeper/devnet/solidity_compiler.hpp"

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

#include "core/hex.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/compile_lock.hpp"
#include "keeper/devnet/executable_lookup.hpp"
#include "keeper/devnet/hardhat_artifact.hpp"

#ifndef KEEPER_SOLCJS_PATH
#define KEEPER_SOLCJS_PATH ""
#endif
#ifndef KEEPER_CONTRACTS_DIR
#define KEEPER_CONTRACTS_DIR ""
#endif
#ifndef KEEPER_CONTRACT_CACHE_DIR
#define KEEPER_CONTRACT_CACHE_DIR ""
#endif
#ifndef KEEPER_TOOLS_DIR
#define KEEPER_TOOLS_DIR ""
#endif

namespace keeper::devnet {
namespace fs = std::filesystem;
namespace {

Result<std::string> read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path cache_root() {
    if (const char* env = std::getenv("KEEPER_CONTRACT_CACHE"); env != nullptr && *env != '\0') return env;
    if (std::string_view(KEEPER_CONTRACT_CACHE_DIR).empty()) return fs::temp_directory_path() / "keeper-contracts";
    return KEEPER_CONTRACT_CACHE_DIR;
}

// solcjs names its outputs after the path it was given (relative to the
// directory it runs in), '/' and '.' becoming '_'.
std::string output_stem(const fs::path& relative_source, std::string_view contract) {
    std::string stem = relative_source.generic_string();
    for (char& c : stem)
        if (c == '.' || c == '/') c = '_';
    return stem + "_" + std::string(contract);
}

// Runs solcjs in `work_dir` on `file` (relative to it) writing to `out_dir`;
// its stdout and stderr go to out_dir/solc.log, quoted in the error on failure.
Result<void> run_solcjs(const fs::path& work_dir_path, const fs::path& relative_source, const fs::path& out_dir) {
    const std::string exe = solcjs_executable();
    if (!is_runnable(exe))
        return fail("solcjs not found (" + exe + (exe == "solcjs" ? " not in " KEEPER_SOLCJS_PATH " nor on PATH" : "") +
                    "): run scripts/setup, or set $KEEPER_SOLCJS");
    const std::string work_dir = work_dir_path.string();
    const std::string file = relative_source.generic_string();
    const std::string out = out_dir.string();
    const std::string log = (out_dir / "solc.log").string();
    std::vector<std::string> args{exe, "--bin", "--abi", "--optimize", "-o", out, file};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return fail("solcjs: open " + log + ": " + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(log_fd);
        return fail(std::string("solcjs: fork: ") + std::strerror(errno));
    }
    if (pid == 0) {  // child: async-signal-safe calls only until exec
        if (::chdir(work_dir.c_str()) != 0) ::_exit(126);
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(log_fd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return fail(std::string("solcjs: waitpid: ") + std::strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        auto output = read_text(log);
        // 127: exec failed, or the script's `#!/usr/bin/env node` found no node.
        const std::string hint =
            WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (cannot run it: run scripts/setup)" : "";
        return fail("solcjs " + exe + " " + file + " failed (status " + std::to_string(status) + ")" + hint +
                    ": " + (output ? *output : std::string("<no output>")));
    }
    return {};
}

// Writes each library's address (40 hex digits) over its placeholders.
Result<void> link_libraries(std::string& bin_hex, const std::map<std::string, Address>& libraries) {
    for (const auto& [name, address] : libraries) {
        const std::string placeholder = library_placeholder(name);
        const std::string digits = hex::encode(address.bytes, false);
        for (auto at = bin_hex.find(placeholder); at != std::string::npos; at = bin_hex.find(placeholder, at))
            bin_hex.replace(at, placeholder.size(), digits);
    }
    if (const auto at = bin_hex.find("__$"); at != std::string::npos)
        return fail("unlinked library placeholder " + bin_hex.substr(at, 40));
    return {};
}

Result<CompiledContract> load(const fs::path& dir, const std::string& stem,
                              const std::map<std::string, Address>& libraries) {
    auto bin = read_text(dir / (stem + ".bin"));
    if (!bin) return std::unexpected(bin.error());
    auto abi_text = read_text(dir / (stem + ".abi"));
    if (!abi_text) return std::unexpected(abi_text.error());
    while (!bin->empty() && (bin->back() == '\n' || bin->back() == '\r' || bin->back() == ' ')) bin->pop_back();
    if (auto linked = link_libraries(*bin, libraries); !linked)
        return std::unexpected(context("solcjs output " + stem + ".bin", linked.error()));
    auto code = hex::decode(*bin);
    if (!code) return std::unexpected(context("solcjs output " + stem + ".bin", code.error()));
    if (code->empty()) return fail("solcjs output " + stem + ".bin is empty (abstract contract or interface?)");
    return CompiledContract{std::move(*code), std::move(*abi_text)};
}

}  // namespace

std::string solcjs_executable() {
    if (const char* env = std::getenv("KEEPER_SOLCJS"); env != nullptr && *env != '\0') return env;
    const std::string pinned = KEEPER_SOLCJS_PATH;
    if (!pinned.empty() && ::access(pinned.c_str(), X_OK) == 0) return pinned;
    return "solcjs";
}

std::string contract_source(std::string_view file_name) {
    return (fs::path(KEEPER_CONTRACTS_DIR) / std::string(file_name)).string();
}

std::string morpho_blue_source_dir() {
    if (const char* env = std::getenv("KEEPER_MORPHO_SRC"); env != nullptr && *env != '\0') return env;
    return (fs::path(KEEPER_TOOLS_DIR) / "node_modules" / "@morpho-org" / "morpho-blue" / "src").string();
}

Result<CompiledContract> compile_contract(const std::string& source_path, std::string_view contract_name) {
    std::error_code ec;
    const fs::path source = fs::absolute(source_path, ec);
    if (ec) return fail("compile " + source_path + ": " + ec.message());
    return compile_contract(source.string(), contract_name, source.parent_path().string());
}

Result<CompiledContract> compile_contract(const std::string& source_path, std::string_view contract_name,
                                          const std::string& import_root) {
    return compile_contract(source_path, contract_name, import_root, {});
}

Result<CompiledContract> compile_contract(const std::string& source_path, std::string_view contract_name,
                                          const std::string& import_root,
                                          const std::map<std::string, Address>& libraries) {
    std::error_code ec;
    const fs::path source = fs::absolute(source_path, ec).lexically_normal();
    if (ec) return fail("compile " + source_path + ": " + ec.message());
    const fs::path root = fs::absolute(import_root, ec).lexically_normal();
    if (ec) return fail("compile " + source_path + ": " + ec.message());
    const fs::path relative = source.lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..")
        return fail("compile " + source.string() + ": not inside its import root " + root.string());
    auto text = read_text(source);
    if (!text) return std::unexpected(text.error());

    const std::string stem = output_stem(relative, contract_name);
    // The key covers the path solcjs sees too: the same text under another
    // relative path gives differently named outputs.
    const Bytes32 digest = keccak256(std::string_view(relative.generic_string() + "\n" + *text));
    const std::string key = hex::encode(ByteView(digest.bytes.data(), 8), false);
    const fs::path cache = cache_root();
    const fs::path final_dir = cache / (source.stem().string() + "-" + key);
    if (fs::exists(final_dir / (stem + ".bin"))) return load(final_dir, stem, libraries);

    fs::create_directories(cache, ec);
    if (ec) return fail("compile: create " + cache.string() + ": " + ec.message());
    const CompileLock lock(cache / (source.stem().string() + "-" + key + ".lock"));
    if (fs::exists(final_dir / (stem + ".bin"))) return load(final_dir, stem, libraries);  // compiled while we waited
    std::string tmp_template = (cache / "tmp-XXXXXX").string();
    if (::mkdtemp(tmp_template.data()) == nullptr)
        return fail("compile: mkdtemp in " + cache.string() + ": " + std::strerror(errno));
    const fs::path tmp_dir = tmp_template;
    auto compiled = run_solcjs(root, relative, tmp_dir);
    if (!compiled) {
        fs::remove_all(tmp_dir, ec);
        return std::unexpected(compiled.error());
    }
    // Publish atomically; if another process won the race, use its copy.
    fs::rename(tmp_dir, final_dir, ec);
    if (ec) fs::remove_all(tmp_dir, ec);
    return load(final_dir, stem, libraries);
}

}  // namespace keeper::devnet

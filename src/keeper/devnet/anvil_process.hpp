#pragma once
// A real anvil node (for `margin-keeper demo`, `run --fork` and integration
// tests), owned like a file handle: start()
// picks a free port on 127.0.0.1, launches anvil and waits until its JSON-RPC
// answers; the destructor stops it (SIGTERM, then SIGKILL after a bound). The
// child asks the kernel to kill it when the thread that started it dies
// (PR_SET_PDEATHSIG), so a crashed test or demo leaves no orphan node behind.
//
// Which anvil: $KEEPER_ANVIL if set, else `anvil` in the directory of the
// running executable, else `anvil` on PATH (scripts/test, scripts/demo and
// ctest put the .tools/bin that scripts/setup fills on PATH). No checkout path
// is compiled in: this is part of the production binary (`run --fork`). When
// none exists start() fails saying to run scripts/setup.
//
// A fork URL (it carries the provider's key) reaches anvil through its
// environment, never its command line, and is scrubbed from output() and
// from start()'s errors.
#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/result.hpp"

namespace keeper::devnet {

struct AnvilOptions {
    std::optional<std::uint64_t> chain_id;        // anvil's default is 31337
    std::optional<std::uint64_t> block_time_s;    // interval mining instead of automine
    bool no_mining = false;                       // blocks only on evm_mine
    std::optional<std::string> fork_url;          // secret: never on anvil's command line
    std::optional<std::uint64_t> fork_block_number;
    std::vector<std::string> extra_args;
    std::chrono::milliseconds start_timeout{20000};
};

// One of the ten accounts anvil funds with 10000 ether from its default
// mnemonic ("test test test test test test test test test test test junk").
struct DevAccount {
    std::string_view private_key_hex;  // 0x + 64 hex digits
    std::string_view address_hex;      // EIP-55

    Address address() const;
};

const std::array<DevAccount, 10>& dev_accounts();

class AnvilProcess {
public:
    static Result<AnvilProcess> start(const AnvilOptions& options = {});

    AnvilProcess(AnvilProcess&& other) noexcept;
    AnvilProcess& operator=(AnvilProcess&& other) noexcept;
    AnvilProcess(const AnvilProcess&) = delete;
    AnvilProcess& operator=(const AnvilProcess&) = delete;
    ~AnvilProcess();

    const std::string& url() const { return url_; }  // http://127.0.0.1:<port>
    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    // What anvil wrote to stdout/stderr so far (for failure messages), the
    // fork URL and its secret pieces scrubbed (anvil prints the URL it forks).
    std::string output() const;

    // Stops the node now; the destructor does the same if not called.
    void stop();

private:
    AnvilProcess() = default;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::string url_;
    std::string log_path_;  // anvil's stdout+stderr, removed on stop
    std::string fork_config_dir_;  // the foundry.toml that names the fork URL's variable, removed on stop
    std::optional<std::string> fork_url_;
};

// The path start() runs: see the header comment.
std::string anvil_executable();

}  // namespace keeper::devnet

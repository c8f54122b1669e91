#include "keeper/devnet/anvil_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "keeper/devnet/executable_lookup.hpp"
#include "net/http_client.hpp"
#include "net/url_redaction.hpp"

namespace keeper::devnet {
namespace {

constexpr std::array<DevAccount, 10> kDevAccounts{{
    {"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
    {"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
    {"0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"},
    {"0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", "0x90F79bf6EB2c4f870365E785982E1f101E93b906"},
    {"0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"},
    {"0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"},
    {"0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e", "0x976EA74026E726554dB657fA54763abd0C3a0aa9"},
    {"0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955"},
    {"0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97", "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"},
    {"0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"},
}};

constexpr int kStartAttempts = 3;  // another process may take the port between our probe and anvil's bind
constexpr auto kPollInterval = std::chrono::milliseconds(25);
constexpr auto kStopGrace = std::chrono::seconds(3);

// The kernel hands out a free ephemeral port for port 0; we read it back and
// release it for anvil. A race with another process is possible, hence retries.
Result<std::uint16_t> pick_free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    // sockaddr_in and sockaddr are layout-compatible by POSIX contract.
    auto* generic = reinterpret_cast<sockaddr*>(&addr);
    if (::bind(fd, generic, sizeof(addr)) != 0 || ::getsockname(fd, generic, &len) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return fail("bind 127.0.0.1:0: " + why);
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The fork URL never goes on anvil's command line, which every user of the
// machine can read (`ps`, /proc/<pid>/cmdline), and the URL carries the
// provider's key. anvil (checked with 1.7) has no environment variable for
// --fork-url, but resolves a --fork-url that is not a URL as an alias from
// foundry.toml's [rpc_endpoints], whose values may name an environment
// variable; FOUNDRY_CONFIG says which foundry.toml. So: a foundry.toml of our
// own that holds no secret, and the URL in the child's environment only
// (readable by the same user alone, like the keeper's own config).
constexpr const char* kForkAlias = "margin_keeper_fork";
constexpr const char* kForkUrlVariable = "MARGIN_KEEPER_FORK_URL";
constexpr const char* kFoundryConfigVariable = "FOUNDRY_CONFIG";

// A private directory (0700) with the foundry.toml that maps kForkAlias to
// ${MARGIN_KEEPER_FORK_URL}; its path, for stop() to remove.
Result<std::string> write_fork_config() {
    char dir_template[] = "/tmp/keeper-anvil-fork-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) return fail(std::string("anvil: mkdtemp: ") + std::strerror(errno));
    const std::string dir = dir_template;
    std::ofstream toml(dir + "/foundry.toml");
    toml << "# Written by margin-keeper for the anvil of `run --fork`: the URL to fork\n"
            "# comes from the environment, never from the command line.\n"
            "[rpc_endpoints]\n"
         << kForkAlias << " = \"${" << kForkUrlVariable << "}\"\n";
    toml.close();
    if (!toml) {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
        return fail("anvil: cannot write " + dir + "/foundry.toml");
    }
    return dir;
}

// Our environment, plus the fork URL and the foundry.toml to read it through.
std::vector<std::string> anvil_environment(const AnvilOptions& o, const std::string& fork_config_dir) {
    std::vector<std::string> env;
    const auto overridden = [](std::string_view entry) {
        for (std::string_view name : {kForkUrlVariable, kFoundryConfigVariable})
            if (entry.starts_with(name) && entry.size() > name.size() && entry[name.size()] == '=') return true;
        return false;
    };
    for (char** e = environ; *e != nullptr; ++e)
        if (!overridden(*e)) env.emplace_back(*e);
    if (o.fork_url) {
        env.push_back(std::string(kForkUrlVariable) + "=" + *o.fork_url);
        env.push_back(std::string(kFoundryConfigVariable) + "=" + fork_config_dir + "/foundry.toml");
    }
    return env;
}

std::vector<std::string> anvil_arguments(const AnvilOptions& o, std::uint16_t port) {
    std::vector<std::string> args{anvil_executable(), "--host", "127.0.0.1", "--port", std::to_string(port)};
    if (o.chain_id) args.insert(args.end(), {"--chain-id", std::to_string(*o.chain_id)});
    if (o.block_time_s) args.insert(args.end(), {"--block-time", std::to_string(*o.block_time_s)});
    if (o.no_mining) args.emplace_back("--no-mining");
    if (o.fork_url) args.insert(args.end(), {"--fork-url", kForkAlias});
    if (o.fork_block_number) args.insert(args.end(), {"--fork-block-number", std::to_string(*o.fork_block_number)});
    args.insert(args.end(), o.extra_args.begin(), o.extra_args.end());
    return args;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(char* const* argv, char* const* envp, int log_fd, pid_t parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);  // the parent died before prctl took effect
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execvpe(argv[0], argv, envp);
    static constexpr char msg[] = "anvil_process: exec failed\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, msg, sizeof(msg) - 1);
    ::_exit(127);
}

bool answers_json_rpc(const std::string& url) {
    net::HttpOptions options;
    options.connect_timeout = std::chrono::milliseconds(250);
    options.total_timeout = std::chrono::milliseconds(1000);
    net::HttpClient http(url, options);
    auto response = http.post(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})");
    return response.has_value() && response->ok() && response->body.find("\"result\"") != std::string::npos;
}

enum class Launch { ready, port_taken, failed };

}  // namespace

Address DevAccount::address() const {
    auto parsed = Address::parse(address_hex);
    if (!parsed) std::abort();  // the table above is wrong: a bug, not an input error
    return *parsed;
}

const std::array<DevAccount, 10>& dev_accounts() { return kDevAccounts; }

std::string anvil_executable() {
    if (const char* env = std::getenv("KEEPER_ANVIL"); env != nullptr && *env != '\0') return env;
    // Installed side by side (a release archive, /usr/local/bin): found
    // without PATH, and without a checkout path compiled in.
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const std::string beside = (self.parent_path() / "anvil").string();
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
    return "anvil";
}

Result<AnvilProcess> AnvilProcess::start(const AnvilOptions& options) {
    if (const std::string exe = anvil_executable(); !is_runnable(exe))
        return fail("anvil not found (" + exe + (exe == "anvil" ? " not beside margin-keeper nor on PATH" : "") +
                    "): run scripts/setup and put .tools/bin on PATH, or set $KEEPER_ANVIL");
    std::string fork_config_dir;
    if (options.fork_url) {
        auto written = write_fork_config();
        if (!written) return std::unexpected(written.error());
        fork_config_dir = *written;
    }
    // Owns the directory until a started node takes it over.
    struct RemoveDir {
        std::string* dir;
        ~RemoveDir() {
            std::error_code ignored;
            if (!dir->empty()) std::filesystem::remove_all(*dir, ignored);
        }
    } remove_fork_config{&fork_config_dir};
    const std::vector<std::string> env = anvil_environment(options, fork_config_dir);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    std::string last_error;
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        auto port = pick_free_port();
        if (!port) return std::unexpected(context("anvil", port.error()));

        char log_template[] = "/tmp/keeper-anvil-XXXXXX";
        const int log_fd = ::mkstemp(log_template);
        if (log_fd < 0) return fail(std::string("anvil: mkstemp: ") + std::strerror(errno));

        const std::vector<std::string> args = anvil_arguments(options, *port);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);

        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0) {
            ::close(log_fd);
            ::unlink(log_template);
            return fail(std::string("anvil: fork: ") + std::strerror(errno));
        }
        if (pid == 0) exec_child(argv.data(), envp.data(), log_fd, parent);
        ::close(log_fd);

        AnvilProcess node;
        node.pid_ = pid;
        node.port_ = *port;
        node.url_ = "http://127.0.0.1:" + std::to_string(*port);
        node.log_path_ = log_template;
        node.fork_url_ = options.fork_url;

        const auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
        Launch launch = Launch::failed;
        std::string why;
        while (true) {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                node.pid_ = -1;  // reaped: nothing left to stop
                const std::string out = node.output();
                launch = out.find("in use") != std::string::npos ? Launch::port_taken : Launch::failed;
                why = "exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                      " before answering";
                break;
            }
            if (answers_json_rpc(node.url_)) {
                launch = Launch::ready;
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                why = "did not answer JSON-RPC within " + std::to_string(options.start_timeout.count()) + " ms";
                break;
            }
            std::this_thread::sleep_for(kPollInterval);
        }
        if (launch == Launch::ready) {
            node.fork_config_dir_ = std::exchange(fork_config_dir, std::string());
            return node;
        }
        last_error = "anvil (" + args.front() + ") on port " + std::to_string(*port) + " " + why +
                     "; its output:\n" + node.output();
        if (launch != Launch::port_taken) break;
    }
    return fail(last_error);
}

AnvilProcess::AnvilProcess(AnvilProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      port_(other.port_),
      url_(std::move(other.url_)),
      log_path_(std::exchange(other.log_path_, std::string())),
      fork_config_dir_(std::exchange(other.fork_config_dir_, std::string())),
      fork_url_(std::move(other.fork_url_)) {}

AnvilProcess& AnvilProcess::operator=(AnvilProcess&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = std::exchange(other.pid_, -1);
        port_ = other.port_;
        url_ = std::move(other.url_);
        log_path_ = std::exchange(other.log_path_, std::string());
        fork_config_dir_ = std::exchange(other.fork_config_dir_, std::string());
        fork_url_ = std::move(other.fork_url_);
    }
    return *this;
}

AnvilProcess::~AnvilProcess() { stop(); }

std::string AnvilProcess::output() const {
    if (log_path_.empty()) return {};
    // anvil prints the URL it forks ("Endpoint: ...", and in its errors).
    std::string text = read_file(log_path_);
    return fork_url_ ? net::scrub_url(std::move(text), *fork_url_) : text;
}

void AnvilProcess::stop() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
        bool reaped = false;
        while (!reaped && std::chrono::steady_clock::now() < deadline) {
            reaped = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
            if (!reaped) std::this_thread::sleep_for(kPollInterval);
        }
        if (!reaped) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        pid_ = -1;
    }
    if (!log_path_.empty()) {
        ::unlink(log_path_.c_str());
        log_path_.clear();
    }
    if (!fork_config_dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(fork_config_dir_, ignored);
        fork_config_dir_.clear();
    }
}

}  // namespace keeper::devnet

// End to end: RPC URLs carry credentials (user:password@) and API keys (in
// the path or query), and none of them may reach the binary's output, its
// error messages, or the command line of the anvil it starts for --fork
// (visible to every user in `ps`). Driven as operators drive it: the
// margin-keeper binary against a real anvil, through a proxy that ignores the
// request path (anvil answers only "/"), or against a port nobody listens on.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../keeper/keeper_process.hpp"
#include "support/anvil_process.hpp"
#include "support/fault_proxy.hpp"

namespace keeper {
namespace url_redaction_test {

using namespace std::chrono_literals;

constexpr const char* kPassword = "secret";
constexpr const char* kApiKey = "SECRETKEY";

// A bound, not listening, socket: connecting to its port is refused, and no
// other process can take the port while the test holds it.
class DeadPort {
public:
    DeadPort() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        auto* generic = reinterpret_cast<sockaddr*>(&addr);
        ok_ = fd_ >= 0 && ::bind(fd_, generic, sizeof(addr)) == 0 && ::getsockname(fd_, generic, &len) == 0;
        port_ = ntohs(addr.sin_port);
    }
    ~DeadPort() {
        if (fd_ >= 0) ::close(fd_);
    }
    DeadPort(const DeadPort&) = delete;
    DeadPort& operator=(const DeadPort&) = delete;
    bool ok() const { return ok_; }
    std::uint16_t port() const { return port_; }

private:
    int fd_ = -1;
    bool ok_ = false;
    std::uint16_t port_ = 0;
};

// http://user:secret@127.0.0.1:<port>/v2/SECRETKEY?apikey=SECRETKEY
std::string secret_url(std::uint16_t port) {
    return std::string("http://user:") + kPassword + "@127.0.0.1:" + std::to_string(port) + "/v2/" + kApiKey +
           "?apikey=" + kApiKey;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// argv of a process, NULs shown as spaces.
std::string cmdline_of(pid_t pid) {
    std::string text = read_text("/proc/" + std::to_string(pid) + "/cmdline");
    for (char& c : text)
        if (c == '\0') c = ' ';
    return text;
}

std::set<pid_t> children_of(pid_t parent) {
    std::set<pid_t> out;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(parent) + "/task", ec)) {
        std::istringstream ids(read_text(task.path() / "children"));
        for (pid_t child = 0; ids >> child;) out.insert(child);
    }
    return out;
}

#define EXPECT_NO_SECRET(text)                                                     \
    do {                                                                           \
        const std::string shown_ = (text);                                         \
        EXPECT_EQ(shown_.find(kPassword), std::string::npos) << shown_;            \
        EXPECT_EQ(shown_.find(kApiKey), std::string::npos) << shown_;              \
        EXPECT_EQ(shown_.find("user:"), std::string::npos) << shown_;              \
    } while (false)

class UrlRedactionTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dead_.ok());
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-redaction-" + std::to_string(::getpid()) + "-" + std::to_string(dead_.port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // The upstream node, reached through a proxy that forwards any path to
    // anvil's "/": the secret path and password travel like a provider's.
    void start_live_node() {
        auto started = testing::AnvilProcess::start();
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        auto proxy = testing::FaultProxy::start(anvil_->port());
        ASSERT_TRUE(proxy) << proxy.error().message;
        proxy_ = std::move(*proxy);
    }
    std::uint16_t live_port() const {
        const std::string url = proxy_->url();
        return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    }

    // A config with these RPC URLs and one Morpho "deployment" at an address
    // with no code: nothing to track, which is all a round needs here.
    std::string write_config(const std::vector<std::string>& rpc) {
        const auto path = dir_ / "keeper.toml";
        std::ofstream toml(path);
        toml << "state_dir = \"" << (dir_ / "state").string() << "\"\n[chain]\nrpc = [";
        for (std::size_t i = 0; i < rpc.size(); ++i) toml << (i ? ", " : "") << '"' << rpc[i] << '"';
        toml << "]\npoll_interval_ms = 100\n"
             << "[signer]\nprivate_key_env = \"KEEPER_REDACTION_KEY\"\n"
             << "[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" << testing::dev_accounts()[5].address_hex
             << "\"\nstart_block = 0\n";
        return path.string();
    }
    std::vector<std::pair<std::string, std::string>> env() const {
        return {{"KEEPER_REDACTION_KEY", std::string(testing::dev_accounts()[1].private_key_hex)}};
    }

    DeadPort dead_;
    std::filesystem::path dir_;
    std::optional<testing::AnvilProcess> anvil_;
    std::unique_ptr<testing::FaultProxy> proxy_;
};

TEST_F(UrlRedactionTest, ChainInfoAgainstADeadNodeNamesHostAndPortButNoSecret) {
    auto run = testing::run_keeper({"chain-info", "--rpc", secret_url(dead_.port())}, {}, dir_, "chain-info-dead");
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find("127.0.0.1:" + std::to_string(dead_.port())), std::string::npos) << run.err;
    EXPECT_NO_SECRET(run.out);
    EXPECT_NO_SECRET(run.err);
}

TEST_F(UrlRedactionTest, ChainInfoThroughASecretPathPrintsTheRedactedUrl) {
    start_live_node();
    auto run = testing::run_keeper({"chain-info", "--rpc", secret_url(live_port())}, {}, dir_, "chain-info-live");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("chain id:     31337"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("rpc:          http://127.0.0.1:" + std::to_string(live_port()) + "/<redacted>\n"),
              std::string::npos)
        << run.out;
    EXPECT_NO_SECRET(run.out);
    EXPECT_NO_SECRET(run.err);
}

TEST_F(UrlRedactionTest, ScanAgainstADeadNodeLogsNoSecret) {
    const std::string config = write_config({secret_url(dead_.port())});
    auto run = testing::run_keeper({"scan", "--config", config}, env(), dir_, "scan-dead");
    EXPECT_NE(run.exit_code, 0) << run.err;
    EXPECT_NE(run.err.find("127.0.0.1:" + std::to_string(dead_.port())), std::string::npos) << run.err;
    EXPECT_NO_SECRET(run.out);
    EXPECT_NO_SECRET(run.err);
}

TEST_F(UrlRedactionTest, ForkModeKeepsTheUpstreamUrlOffAnvilsCommandLine) {
    start_live_node();
    const std::string config = write_config({secret_url(live_port())});
    testing::KeeperProcess keeper({"run", "--config", config, "--fork"}, env(), dir_, "fork");

    // The anvil child once it has exec'd (before that it is a copy of us).
    std::optional<pid_t> anvil;
    std::string anvil_cmdline;
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (!anvil && std::chrono::steady_clock::now() < until && !keeper.wait(0ms)) {
        for (pid_t child : children_of(keeper.pid())) {
            const std::string cmdline = cmdline_of(child);
            if (cmdline.find("anvil") == std::string::npos || cmdline.find("margin-keeper") != std::string::npos)
                continue;
            anvil = child;
            anvil_cmdline = cmdline;
        }
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(anvil) << "no anvil child seen; keeper stderr:\n" << keeper.err();
    EXPECT_NO_SECRET(anvil_cmdline);
    EXPECT_EQ(anvil_cmdline.find("127.0.0.1:" + std::to_string(live_port())), std::string::npos) << anvil_cmdline;

    // The fork really is of the upstream behind the secret URL.
    ASSERT_TRUE(keeper.wait_for_log("fork mode: transactions go to", 60s)) << keeper.err();
    EXPECT_GT(proxy_->requests(), 0u);
    EXPECT_TRUE(keeper.wait_for_log("new heads by", 60s)) << keeper.err();
    keeper.signal(SIGTERM);
    EXPECT_EQ(keeper.wait(20s), 0) << keeper.err();
    EXPECT_NO_SECRET(keeper.out());
    EXPECT_NO_SECRET(keeper.err());
}

TEST_F(UrlRedactionTest, ForkModeFailingToReachUpstreamLogsAnvilsOutputWithoutTheSecret) {
    const std::string config = write_config({secret_url(dead_.port())});
    auto run = testing::run_keeper({"run", "--config", config, "--fork"}, env(), dir_, "fork-dead");
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find("fork mode"), std::string::npos) << run.err;
    EXPECT_NO_SECRET(run.out);
    EXPECT_NO_SECRET(run.err);
}

}  // namespace url_redaction_test
}  // namespace keeper

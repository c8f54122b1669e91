// End to end, the binary as operators run it (issue #16, items 4 and 10):
// a state directory of another chain is refused under --dry-run and kept
// whole, or moved aside with --archive-state; the signing key leaves the
// environment once read (the daemon's /proc/<pid>/environ and the --fork
// anvil's hold no trace of it) and core dumps are off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "keeper/state/state_store.hpp"
#include "keeper_process.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace state_and_secrets_test {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKeyVariable = "KEEPER_SECRETS_E2E_KEY";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class StateAndSecretsTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-secrets-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        // A Morpho address with no contract: no events, no markets. Enough for
        // the daemon to start, sync and idle, which is all these tests need.
        std::ofstream(config_path()) << "state_dir = \"" << state_dir().string() << "\"\n"
                                     << "[chain]\nrpc = [\"" << anvil_->url() << "\"]\npoll_interval_ms = 100\n"
                                     << "[signer]\nprivate_key_env = \"" << kKeyVariable << "\"\n"
                                     << "[[protocols]]\nkind = \"morpho-blue\"\n"
                                     << "address = \"0x00000000000000000000000000000000000000aa\"\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string config_path() const { return (dir_ / "keeper.toml").string(); }
    std::filesystem::path state_dir() const { return dir_ / "state"; }
    static std::string key_hex() { return std::string(testing::dev_accounts()[1].private_key_hex); }
    std::vector<std::pair<std::string, std::string>> env() const { return {{kKeyVariable, key_hex()}}; }

    // State written for chain 1: a journaled liquidation that may be in
    // flight there (an intent is journaled just before the broadcast).
    void write_chain_1_state() {
        auto opened = state::StateStore::open(state_dir(), 1);
        ASSERT_TRUE(opened) << opened.error().message;
        state::JournalEntry entry;
        entry.work_key = "morpho-blue:0x01:0x02";
        entry.nonce = 7;
        entry.detail = "in flight on chain 1";
        ASSERT_TRUE(opened->store.journal_intent(entry));
    }
    // The chain 1 journal entry, read from <dir>/keeper.sqlite3.
    static void expect_chain_1_entry(const std::filesystem::path& dir) {
        auto opened = state::StateStore::open(dir, 1);
        ASSERT_TRUE(opened) << opened.error().message;
        auto entries = opened->store.open_journal_entries();
        ASSERT_TRUE(entries);
        ASSERT_EQ(entries->size(), 1u);
        EXPECT_EQ(entries->front().work_key, "morpho-blue:0x01:0x02");
        EXPECT_EQ(entries->front().nonce, 7u);
        EXPECT_EQ(entries->front().detail, "in flight on chain 1");
    }
    std::vector<std::filesystem::path> archives() const {
        std::vector<std::filesystem::path> out;
        for (const auto& file : std::filesystem::directory_iterator(state_dir()))
            if (std::regex_match(file.path().filename().string(),
                                 std::regex(R"(keeper\.chain-1\.\d{8}T\d{6}Z\.sqlite3)")))
                out.push_back(file.path());
        return out;
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::filesystem::path dir_;
};

// Item 4: even a dry run used to wipe the whole database, journal included.
TEST_F(StateAndSecretsTest, AnotherChainsStateIsRefusedUnderDryRunAndTheJournalStays) {
    write_chain_1_state();
    auto run = testing::run_keeper({"run", "--config", config_path(), "--dry-run", "--once"}, env(), dir_, "refused",
                                   60s);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_THAT(run.err, HasSubstr("state in " + state_dir().string() + " belongs to chain 1, but this node is "
                                   "chain 31337"));
    EXPECT_THAT(run.err, HasSubstr("--archive-state"));
    EXPECT_THAT(run.err, HasSubstr("--state-dir"));
    EXPECT_TRUE(archives().empty());
    expect_chain_1_entry(state_dir());
}

TEST_F(StateAndSecretsTest, ArchiveStateMovesItAsideWholeAndStartsAfresh) {
    write_chain_1_state();
    auto run = testing::run_keeper({"run", "--config", config_path(), "--dry-run", "--once", "--archive-state"}, env(),
                                   dir_, "archived", 60s);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto moved = archives();
    ASSERT_EQ(moved.size(), 1u) << run.err;
    EXPECT_THAT(run.err, HasSubstr("moved to " + moved.front().string()));

    // The archive is chain 1's database as it was.
    const auto elsewhere = dir_ / "archived";
    std::filesystem::create_directories(elsewhere);
    std::filesystem::copy_file(moved.front(), elsewhere / "keeper.sqlite3");
    expect_chain_1_entry(elsewhere);
    // And the state directory now belongs to this chain.
    auto now = state::StateStore::open(state_dir(), 31337);
    ASSERT_TRUE(now) << now.error().message;
    EXPECT_EQ(now->message, "state in " + state_dir().string() + ": resumed, chain 31337");
}

// Item 10: the daemon holds the key in memory only. Its environment (which
// /proc shows as the process started with it, whatever unsetenv did) has no
// trace of it, and it can dump no core: RLIMIT_CORE is 0, hard limit included.
TEST_F(StateAndSecretsTest, TheRunningDaemonHasNoKeyInItsEnvironmentAndNoCoreDumps) {
    testing::KeeperProcess keeper({"run", "--config", config_path(), "--dry-run"}, env(), dir_, "daemon");
    ASSERT_TRUE(keeper.wait_for_log("new heads by", 60s)) << keeper.err();

    const std::string proc = "/proc/" + std::to_string(keeper.pid());
    const std::string environ_text = read_file(proc + "/environ");  // readable by root only once not dumpable
    EXPECT_THAT(environ_text, Not(HasSubstr(kKeyVariable)));
    EXPECT_THAT(environ_text, Not(HasSubstr(key_hex().substr(2, 16))));

    const std::string limits = read_file(proc + "/limits");
    std::smatch core;
    ASSERT_TRUE(std::regex_search(limits, core, std::regex(R"(Max core file size\s+(\S+)\s+(\S+))"))) << limits;
    EXPECT_EQ(core[1].str(), "0") << limits;
    EXPECT_EQ(core[2].str(), "0") << limits;

    keeper.signal(SIGTERM);
    EXPECT_EQ(keeper.wait(30s), 0) << keeper.err();
    EXPECT_THAT(keeper.err(), Not(HasSubstr(key_hex().substr(2, 16))));
}

// The anvil that --fork starts is a child: it must not inherit the key.
TEST_F(StateAndSecretsTest, TheForkModeAnvilNeverSeesTheKey) {
    testing::KeeperProcess keeper({"run", "--config", config_path(), "--fork"}, env(), dir_, "fork");
    ASSERT_TRUE(keeper.wait_for_log("new heads by", 90s)) << keeper.err();
    std::smatch pid;
    const std::string err = keeper.err();
    ASSERT_TRUE(std::regex_search(err, pid, std::regex(R"(\(pid (\d+)\))"))) << err;
    const std::string environ_text = read_file("/proc/" + pid[1].str() + "/environ");
    EXPECT_FALSE(environ_text.empty()) << "anvil pid " << pid[1].str() << " not readable";
    EXPECT_THAT(environ_text, Not(HasSubstr(kKeyVariable)));
    EXPECT_THAT(environ_text, Not(HasSubstr(key_hex().substr(2, 16))));
    keeper.signal(SIGTERM);
    EXPECT_EQ(keeper.wait(30s), 0) << keeper.err();
}

TEST_F(StateAndSecretsTest, SelfCheckReportsCoreDumpsDisabled) {
    auto check = testing::run_keeper({"self-check"}, {}, dir_, "self-check", 30s);
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_TRUE(std::regex_search(check.out, std::regex(R"(core dumps disabled\s+ok)"))) << check.out;
}

// A bare hex key (no 0x, so it starts with a letter and passes as a variable
// name) given where the variable's name belongs: refused, never echoed.
TEST_F(StateAndSecretsTest, AKeyGivenAsTheVariableNameIsRefusedWithoutEchoingIt) {
    const std::string bare = std::string(testing::dev_accounts()[0].private_key_hex).substr(2);
    ASSERT_TRUE(bare.front() >= 'a' && bare.front() <= 'f') << "the test needs a key starting with a letter";
    // No variable of that name: the old keeper answered "environment variable <the key> is not set".
    auto run = testing::run_keeper({"run", "--config", config_path(), "--dry-run", "--once", "--private-key-env", bare},
                                   {}, dir_, "key-as-name", 60s);
    EXPECT_NE(run.exit_code, 0);
    EXPECT_THAT(run.err, HasSubstr("looks like a private key"));
    EXPECT_THAT(run.out + run.err, Not(HasSubstr(bare.substr(0, 16))));
}

}  // namespace state_and_secrets_test
}  // namespace keeper

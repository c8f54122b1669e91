#pragma once
// The margin-keeper binary as operators run it: a child process with its own
// argv and environment, stdout and stderr captured to files, stopped with a
// signal of the test's choosing (SIGTERM for a clean stop, SIGKILL for a crash).
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#ifndef KEEPER_BINARY
#error "KEEPER_BINARY (path of margin-keeper) must be defined by the build"
#endif

namespace keeper::testing {

class KeeperProcess {
public:
    KeeperProcess(std::vector<std::string> args, std::vector<std::pair<std::string, std::string>> env,
                  const std::filesystem::path& log_dir, const std::string& name)
        : out_path_(log_dir / (name + ".out")), err_path_(log_dir / (name + ".err")) {
        std::vector<std::string> argv_s{KEEPER_BINARY};
        argv_s.insert(argv_s.end(), args.begin(), args.end());
        std::vector<std::string> env_s;
        for (char** e = environ; *e != nullptr; ++e) env_s.emplace_back(*e);
        for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
        std::vector<char*> argv, envp;
        for (auto& a : argv_s) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (auto& e : env_s) envp.push_back(e.data());
        envp.push_back(nullptr);
        const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            ::dup2(out, STDOUT_FILENO);
            ::dup2(err, STDERR_FILENO);
            ::execve(argv[0], argv.data(), envp.data());
            ::_exit(127);
        }
        ::close(out);
        ::close(err);
    }
    KeeperProcess(const KeeperProcess&) = delete;
    KeeperProcess& operator=(const KeeperProcess&) = delete;
    ~KeeperProcess() {
        if (pid_ > 0 && !exit_code_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    pid_t pid() const { return pid_; }
    void signal(int sig) { ::kill(pid_, sig); }

    // The exit code, or nullopt if it is still running after `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout) {
        if (exit_code_) return exit_code_;
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (true) {
            int status = 0;
            const pid_t done = ::waitpid(pid_, &status, WNOHANG);
            if (done == pid_) {
                exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return exit_code_;
            }
            if (std::chrono::steady_clock::now() >= until) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    // Waits until stderr contains `needle` (true) or the process exits or the time runs out (false).
    bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (err().find(needle) != std::string::npos) return true;
            if (wait(std::chrono::milliseconds(0))) return err().find(needle) != std::string::npos;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    std::string out() const { return read(out_path_); }
    std::string err() const { return read(err_path_); }

private:
    static std::string read(const std::filesystem::path& path) {
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    std::filesystem::path out_path_, err_path_;
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

// Runs to completion (or kills after `timeout`, reporting 124).
struct Finished {
    int exit_code = -1;
    std::string out, err;
};
inline Finished run_keeper(std::vector<std::string> args, std::vector<std::pair<std::string, std::string>> env,
                           const std::filesystem::path& log_dir, const std::string& name,
                           std::chrono::milliseconds timeout = std::chrono::seconds(90)) {
    KeeperProcess process(std::move(args), std::move(env), log_dir, name);
    const auto code = process.wait(timeout);
    return {code.value_or(124), process.out(), process.err()};
}

}  // namespace keeper::testing

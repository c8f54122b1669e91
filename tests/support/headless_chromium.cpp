#include "support/headless_chromium.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace keeper::testing {

std::optional<std::filesystem::path> find_chromium() {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const auto candidate = std::filesystem::path(dir) / "chromium";
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (::access("/usr/bin/chromium", X_OK) == 0) return std::filesystem::path("/usr/bin/chromium");
    return std::nullopt;
}

ChromiumRun run_headless_chromium(const std::filesystem::path& chromium, const std::vector<std::string>& args,
                                  const std::filesystem::path& dir, std::chrono::seconds timeout) {
    const auto profile = dir / "chromium-profile";
    std::filesystem::remove_all(profile);
    std::filesystem::create_directories(profile);
    std::vector<std::string> owned{chromium.string(),
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile.string()};
    owned.insert(owned.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(owned.size() + 1);
    for (auto& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);

    const auto out_path = dir / "chromium.out", err_path = dir / "chromium.err";
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::setpgid(0, 0);  // its renderer and GPU children go with it on a timeout
        ::dup2(out, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out);
    ::close(err);
    ChromiumRun run;
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (int status = 0;;) {
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() > until) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            run.exit_code = 124;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(-pid, SIGKILL);  // stray children of the group, if any
    const auto slurp = [](const std::filesystem::path& p) {
        std::ifstream in(p);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    run.out = slurp(out_path);
    run.err = slurp(err_path);
    return run;
}

}  // namespace keeper::testing

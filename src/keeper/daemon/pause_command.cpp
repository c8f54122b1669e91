// `margin-keeper pause` and `resume`: the operator's kill switch. They only
// write or remove the pause file in the state directory; the running daemon
// reads it at the start of every round, so the next round sends nothing new
// (work in flight is still followed to its end). No signal, no socket: it
// works the same whether the daemon runs, is stopped or restarts.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "keeper/daemon/command_line.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/pause_switch.hpp"

namespace keeper::app {
namespace {

constexpr const char* kUsage =
    "usage: margin-keeper pause  (--config FILE | --state-dir DIR) [--reason TEXT]\n"
    "       margin-keeper resume (--config FILE | --state-dir DIR)\n"
    "\n"
    "pause writes DIR/paused: the running daemon sends no new action from its next\n"
    "round on (in-flight work is still followed), logs it, sets keeper_actions_paused\n"
    "to 1, /readyz says why, and an actions_paused alert goes out. resume removes it.";

Result<std::filesystem::path> state_dir_of(const CommandLine& line) {
    if (!line.config_path && line.overrides.state_dir) return *line.overrides.state_dir;
    auto config = load_effective_config(line);
    if (!config) return std::unexpected(config.error());
    return config::effective_state_dir(*config, config::process_getenv);
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

int switch_command(const char* name, int argc, char** argv, bool pause) {
    auto line = parse_command_line(argc, argv,
                                   pause ? std::vector<std::string>{"--reason"} : std::vector<std::string>{});
    if (!line) {
        std::fprintf(stderr, "margin-keeper %s: %s\n", name, line.error().message.c_str());
        return 2;
    }
    if (line->help) {
        std::puts(kUsage);
        return 0;
    }
    auto dir = state_dir_of(*line);
    if (!dir) {
        std::fprintf(stderr, "margin-keeper %s: %s\n", name, dir.error().message.c_str());
        return 2;
    }
    if (pause) {
        const std::string reason = line->reason.value_or("paused by operator") + " (" + utc_now() + ")";
        if (auto written = write_pause(*dir, reason); !written) {
            std::fprintf(stderr, "margin-keeper pause: %s\n", written.error().message.c_str());
            return 1;
        }
        std::printf("paused: %s (%s)\n", reason.c_str(), pause_file(*dir).c_str());
        return 0;
    }
    auto removed = remove_pause(*dir);
    if (!removed) {
        std::fprintf(stderr, "margin-keeper resume: %s\n", removed.error().message.c_str());
        return 1;
    }
    if (*removed)
        std::printf("resumed (%s removed)\n", pause_file(*dir).c_str());
    else
        std::printf("was not paused (no %s)\n", pause_file(*dir).c_str());
    return 0;
}

}  // namespace

int pause_command(int argc, char** argv) { return switch_command("pause", argc, argv, true); }
int resume_command(int argc, char** argv) { return switch_command("resume", argc, argv, false); }

}  // namespace keeper::app

#pragma once
// The keeper's subcommands. Each returns the process exit code: 0 success,
// 1 a runtime failure (node, state), 2 a usage or configuration error.
namespace keeper::app {

int scan_command(int argc, char** argv);
// `margin-keeper stress`: the book revalued under price scenarios (issue #20).
int stress_command(int argc, char** argv);
int run_command(int argc, char** argv);
int demo_command(int argc, char** argv);
// `margin-keeper pause` / `resume`: the kill switch in the state directory.
int pause_command(int argc, char** argv);
int resume_command(int argc, char** argv);

}  // namespace keeper::app

#pragma once
// The options `run`, `scan` and `stress` share, parsed from argv into types: flags that
// override the configuration file (rpc, signer, state directory) and the
// mode switches. Unknown flags are errors naming the flag.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::app {

struct CommandLine {
    std::optional<std::string> config_path;
    config::CliOverrides overrides;
    bool json = false;                     // scan
    bool dry_run = false;                  // run
    bool fork = false;                     // run: fork the configured rpc
    std::optional<std::string> fork_url;   // run: fork this url
    bool once = false;                     // run: stop when nothing is left to do
    bool archive_state = false;            // run: move another chain's state aside, never delete it
    std::optional<std::size_t> limit;      // scan: print at most this many rows
    std::optional<std::string> scenarios;  // stress: the scenario file
    std::optional<std::uint64_t> seed;     // stress: Monte-Carlo seed (overrides [monte_carlo] seed)
    std::optional<std::size_t> draws;      // stress: Monte-Carlo draws (overrides [monte_carlo] draws)
    std::optional<std::string> html;       // stress: write the report as one HTML page here
    std::optional<std::string> reason;     // pause: why, for logs, /readyz and the alert
    bool help = false;
};

// `allowed` lists the flags this command accepts, e.g. {"--json", "--limit"}
// on top of the common ones (--config, --rpc, --state-dir, signer flags).
Result<CommandLine> parse_command_line(int argc, char** argv, const std::vector<std::string>& allowed);

// The configuration file with the command line's overrides applied.
Result<config::KeeperConfig> load_effective_config(const CommandLine& line);

}  // namespace keeper::app

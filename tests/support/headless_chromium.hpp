#pragma once
// Debian's Chromium, headless, as the browser end-to-end tests run it: a
// fresh profile, and the flags that keep it off the network (this machine's
// closed network refuses its background connections, many at a time).
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace keeper::testing {

// `chromium` on PATH, else /usr/bin/chromium; nullopt when neither is there.
std::optional<std::filesystem::path> find_chromium();

struct ChromiumRun {
    int exit_code = -1;  // 124 when it ran past the timeout (then killed with its children)
    std::string out, err;
};

// Runs `chromium --headless ...` with `args` after the common flags (e.g.
// "--dump-dom", url), its profile in dir/chromium-profile (made afresh) and
// its output in dir/chromium.out and dir/chromium.err.
ChromiumRun run_headless_chromium(const std::filesystem::path& chromium, const std::vector<std::string>& args,
                                  const std::filesystem::path& dir,
                                  std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace keeper::testing

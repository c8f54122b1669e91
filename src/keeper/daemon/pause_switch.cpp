#include "keeper/daemon/pause_switch.hpp"

#include "keeper/daemon/state_file.hpp"

#include <fstream>
#include <system_error>

namespace keeper::app {

std::filesystem::path pause_file(const std::filesystem::path& state_dir) { return state_dir / "paused"; }

Result<void> write_pause(const std::filesystem::path& state_dir, const std::string& reason) {
    return write_state_file(state_dir, pause_file(state_dir).filename().string(), reason + "\n");
}

Result<bool> remove_pause(const std::filesystem::path& state_dir) {
    std::error_code ec;
    const bool removed = std::filesystem::remove(pause_file(state_dir), ec);
    if (ec) return fail("cannot remove " + pause_file(state_dir).string() + ": " + ec.message());
    return removed;
}

std::optional<std::string> read_pause(const std::filesystem::path& state_dir) {
    std::ifstream in(pause_file(state_dir));
    if (!in) return std::nullopt;
    std::string line;
    std::getline(in, line);
    if (line.size() > 200) line.resize(200);
    if (line.empty()) line = "no reason given";
    return line;
}

}  // namespace keeper::app

#include "keeper/daemon/pause_switch.hpp"

#include <fstream>
#include <system_error>

namespace keeper::app {

std::filesystem::path pause_file(const std::filesystem::path& state_dir) { return state_dir / "paused"; }

Result<void> write_pause(const std::filesystem::path& state_dir, const std::string& reason) {
    std::error_code ec;
    std::filesystem::create_directories(state_dir, ec);
    if (ec) return fail("cannot create " + state_dir.string() + ": " + ec.message());
    const auto target = pause_file(state_dir);
    const auto temporary = state_dir / "paused.tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << reason << "\n";
        if (!out) return fail("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, target, ec);
    if (ec) return fail("cannot write " + target.string() + ": " + ec.message());
    return {};
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

#include "keeper/daemon/state_file.hpp"

#include <fstream>
#include <string>
#include <system_error>

namespace keeper::app {

Result<void> write_state_file(const std::filesystem::path& state_dir, std::string_view name, std::string_view text) {
    std::error_code ec;
    std::filesystem::create_directories(state_dir, ec);
    if (ec) return fail("cannot create " + state_dir.string() + ": " + ec.message());
    const auto target = state_dir / name;
    const auto temporary = state_dir / (std::string(name) + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        if (!out) return fail("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, target, ec);
    if (ec) return fail("cannot write " + target.string() + ": " + ec.message());
    return {};
}

}  // namespace keeper::app

#pragma once
// A small file the daemon keeps beside its database in the state directory
// (`paused`, `budget.json`), written whole: a temporary file, then a rename,
// so a reader (the next round, a restarted keeper) never sees half of it.
#include <filesystem>
#include <string_view>

#include "core/result.hpp"

namespace keeper::app {

Result<void> write_state_file(const std::filesystem::path& state_dir, std::string_view name, std::string_view text);

}  // namespace keeper::app

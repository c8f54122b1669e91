#pragma once
// The operator's kill switch: a file `paused` in the state directory. Present
// = no new actions (work in flight is still shepherded to its end); its text
// says who paused and why. `margin-keeper pause` writes it, `resume` removes
// it, and the circuit breaker writes it too, so a tripped breaker survives a
// restart and only an operator lifts it. The round reads it every time.
#include <filesystem>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace keeper::app {

std::filesystem::path pause_file(const std::filesystem::path& state_dir);

// Written whole (temporary file + rename): a reader never sees half a reason.
Result<void> write_pause(const std::filesystem::path& state_dir, const std::string& reason);
// True when a pause was lifted, false when there was none.
Result<bool> remove_pause(const std::filesystem::path& state_dir);
// The reason when paused (its first line, at most 200 bytes; "no reason given" when empty).
std::optional<std::string> read_pause(const std::filesystem::path& state_dir);

}  // namespace keeper::app

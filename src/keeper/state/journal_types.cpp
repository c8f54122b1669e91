#include "keeper/state/journal_types.hpp"

#include <array>
#include <utility>

namespace keeper::state {
namespace {

// The text is what the database stores and what an operator reads with the
// sqlite3 shell: renaming one is a schema change.
constexpr std::array<std::pair<JournalStatus, std::string_view>, 7> kStatusNames{{
    {JournalStatus::intent, "intent"},
    {JournalStatus::broadcast, "broadcast"},
    {JournalStatus::mined, "mined"},
    {JournalStatus::confirmed, "confirmed"},
    {JournalStatus::reverted, "reverted"},
    {JournalStatus::replaced_elsewhere, "replaced_elsewhere"},
    {JournalStatus::abandoned, "abandoned"},
}};

}  // namespace

bool is_open(JournalStatus status) {
    return status == JournalStatus::intent || status == JournalStatus::broadcast || status == JournalStatus::mined;
}

std::string_view to_string(JournalStatus status) {
    for (const auto& [value, name] : kStatusNames)
        if (value == status) return name;
    return "unknown";
}

Result<JournalStatus> parse_journal_status(std::string_view text) {
    for (const auto& [value, name] : kStatusNames)
        if (name == text) return value;
    return fail("unknown journal status '" + std::string(text) + "'");
}

std::string_view to_string(JournalPayload payload) {
    return payload == JournalPayload::nonce_fill ? "nonce_fill" : "intent";
}

Result<JournalPayload> parse_journal_payload(std::string_view text) {
    if (text == "intent") return JournalPayload::intent;
    if (text == "nonce_fill") return JournalPayload::nonce_fill;
    return fail("unknown journal attempt payload '" + std::string(text) + "'");
}

}  // namespace keeper::state

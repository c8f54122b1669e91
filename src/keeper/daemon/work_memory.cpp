#include "keeper/daemon/work_memory.hpp"

namespace keeper::app {

void forget_settled_through(std::map<std::string, std::uint64_t>& settled_at, std::uint64_t synced_through) {
    std::erase_if(settled_at, [&](const auto& entry) { return entry.second <= synced_through; });
}

void forget_unless_in(std::map<std::string, std::string>& reported, const std::set<std::string>& liquidatable) {
    std::erase_if(reported, [&](const auto& entry) { return !liquidatable.contains(entry.first); });
}

void forget_unless_in_flight(std::map<std::int64_t, std::size_t>& record_of_journal,
                             const std::set<std::int64_t>& in_flight) {
    std::erase_if(record_of_journal, [&](const auto& entry) { return !in_flight.contains(entry.first); });
}

}  // namespace keeper::app

#pragma once
// Pruning what a liquidator remembers per piece of work, so a daemon that
// runs for months holds memory for the work in progress only: each entry
// goes once its work is final and nothing reads it any more.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace keeper::app {

// Settle blocks are read only while the book lags them (the position is
// looked at again once the tracker has applied that block): entries at or
// below `synced_through` go.
void forget_settled_through(std::map<std::string, std::uint64_t>& settled_at, std::uint64_t synced_through);

// Reports are compared with the next one for the same position while it
// stays liquidatable: entries of positions not in `liquidatable` go (a
// position liquidatable again later is reported afresh).
void forget_unless_in(std::map<std::string, std::string>& reported, const std::set<std::string>& liquidatable);

// A journal entry's record is filled by its final outcome: entries whose id
// is no longer in flight are final and go.
void forget_unless_in_flight(std::map<std::int64_t, std::size_t>& record_of_journal,
                             const std::set<std::int64_t>& in_flight);

}  // namespace keeper::app

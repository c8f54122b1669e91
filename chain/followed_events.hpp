#pragma once
// The step every protocol's log decoder shares: find the followed event by
// its topic0, decode it exactly, hand the values to the protocol's own
// conversion. Each decoder keeps only its table of events and conversions.
#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "chain/rpc_types.hpp"
#include "core/abi_signature.hpp"
#include "core/result.hpp"

namespace keeper::chain {

// decode_log, and the data must be exactly the event's static words: the
// events protocols emit that we follow carry only static data, and decoding
// alone would accept trailing bytes that no such contract emits.
Result<abi::DecodedLog> decode_static_log(const abi::EventSpec& spec, const Log& log);

// `Row` has an `abi::EventSpec spec`; convert(row, decoded) -> Result<Event>.
// nullopt: no row has the log's topic0 (not an event of this family).
// Errors name the family and the event ("morpho log Borrow: ...").
template <class Event, class Row, class Convert>
Result<std::optional<Event>> decode_followed(std::span<const Row> table, const Log& log, std::string_view family,
                                             Convert convert) {
    if (log.topics.empty()) return std::optional<Event>{};
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const Row& row) { return row.spec.topic0 == log.topics[0]; });
    if (it == table.end()) return std::optional<Event>{};
    const std::string stage = std::string(family) + " log " + it->spec.name;
    auto decoded = decode_static_log(it->spec, log);
    if (!decoded) return std::unexpected(context(stage, decoded.error()));
    auto event = convert(*it, *decoded);
    if (!event) return std::unexpected(context(stage, event.error()));
    return std::optional<Event>{std::move(*event)};
}

}  // namespace keeper::chain

#pragma once
// Text a peer sent us (a node's error message, an HTTP error body, a
// contract's revert reason) on its way into our errors and logs: bounded, so
// a hostile or broken node cannot flood a log line, and printable, so it
// cannot forge log lines (newlines), move a terminal's cursor or recolour it
// (escape sequences), hide text (bidi overrides) or break a JSON log
// (invalid UTF-8).
#include <cstddef>
#include <string>
#include <string_view>

namespace keeper::net {

// `text` with tab, CR and LF as spaces; other control characters (C0, DEL,
// C1), Unicode line separators and bidi controls, and bytes that are not
// valid UTF-8 as '?'. At most `max_bytes` bytes: when cut, it ends in "..."
// and never splits a UTF-8 sequence.
std::string printable_excerpt(std::string_view text, std::size_t max_bytes);

// The bound for one error message from a node: longer than any wording the
// send-error and range-limit classifiers look for, short enough for a log line.
inline constexpr std::size_t node_message_bytes = 512;

}  // namespace keeper::net

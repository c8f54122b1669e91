#include "net/printable_excerpt.hpp"

#include <algorithm>

namespace keeper::net {
namespace {

constexpr std::string_view ellipsis = "...";

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = b(0);
    if (lead < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (in(lead, 0xC2, 0xDF)) {
        n = 2;
    } else if (in(lead, 0xE0, 0xEF)) {
        n = 3;
        if (lead == 0xE0) lo = 0xA0;
        if (lead == 0xED) hi = 0x9F;
    } else if (in(lead, 0xF0, 0xF4)) {
        n = 4;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (s.size() < n || !in(b(1), lo, hi)) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (!in(b(i), 0x80, 0xBF)) return 0;
    return n;
}

// Well-formed, but not to be printed: C1 controls (U+0080..U+009F), line and
// paragraph separators (U+2028, U+2029), bidi embeddings and overrides
// (U+202A..U+202E) and isolates (U+2066..U+2069).
bool is_hidden_control(std::string_view seq) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(seq[i]); };
    if (seq.size() == 2) return b(0) == 0xC2 && b(1) <= 0x9F;
    if (seq.size() == 3 && b(0) == 0xE2) {
        if (b(1) == 0x80) return in(b(2), 0xA8, 0xAE);
        if (b(1) == 0x81) return in(b(2), 0xA6, 0xA9);
    }
    return false;
}

}  // namespace

std::string printable_excerpt(std::string_view text, std::size_t max_bytes) {
    const std::size_t room = max_bytes >= ellipsis.size() ? max_bytes - ellipsis.size() : 0;
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    std::size_t fits_with_ellipsis = 0;  // the longest prefix of `out` that leaves room for "..."
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::string_view piece;
        std::size_t used = 1;
        if (c == '\t' || c == '\n' || c == '\r') {
            piece = " ";
        } else if (c < 0x20 || c == 0x7F) {
            piece = "?";
        } else if (const std::size_t n = utf8_length(text.substr(i)); n == 0) {
            piece = "?";
        } else {
            used = n;
            piece = text.substr(i, n);
            if (is_hidden_control(piece)) piece = "?";
        }
        if (out.size() + piece.size() > max_bytes) {
            // Too small a bound for "...": the whole characters that fit.
            if (max_bytes < ellipsis.size()) return out;
            out.resize(fits_with_ellipsis);
            out += ellipsis;
            return out;
        }
        out += piece;
        if (out.size() <= room) fits_with_ellipsis = out.size();
        i += used;
    }
    return out;
}

}  // namespace keeper::net

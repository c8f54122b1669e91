#include "chain/send_error.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace keeper::chain {

SendRefusal classify_send_refusal(std::string_view message) {
    std::string m(message);
    std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto has = [&](std::string_view p) { return m.find(p) != std::string::npos; };
    if (has("already known") || has("already imported") || has("known transaction")) return SendRefusal::already_known;
    if (has("nonce too low") || has("nonce is too low") || has("nonce has already been used")) return SendRefusal::nonce_too_low;
    if (has("underpriced") && (has("replacement") || has("replace"))) return SendRefusal::replacement_underpriced;
    if (has("max fee per gas less than block base fee") || has("fee cap less than block base fee") ||
        has("feecap") || has("underpriced") || has("tip too low") || has("gas price too low"))
        return SendRefusal::fee_too_low;
    if (has("insufficient funds")) return SendRefusal::insufficient_funds;
    return SendRefusal::other;
}

}  // namespace keeper::chain

#include "chain/send_error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace keeper::chain {
namespace {

struct Wording {
    std::string_view phrase;  // lower case; matched anywhere in the lower-cased message
    SendRefusal meaning;
};

// Order matters: the first phrase found wins, so the specific ("replacement
// transaction underpriced") comes before the general ("underpriced").
constexpr std::array kWordings{
    // the node already holds this very transaction
    Wording{"already known", SendRefusal::already_known},              // geth, Erigon, Reth
    Wording{"alreadyknown", SendRefusal::already_known},               // Nethermind (AcceptTxResult.AlreadyKnown)
    Wording{"already imported", SendRefusal::already_known},           // anvil, OpenEthereum
    Wording{"known transaction", SendRefusal::already_known},          // Besu
    Wording{"transaction_already_known", SendRefusal::already_known},  // Besu reason code
    Wording{"existing tx with same hash", SendRefusal::already_known}, // Erigon
    Wording{"already exists in the pool", SendRefusal::already_known},
    // the nonce is spent
    Wording{"nonce too low", SendRefusal::nonce_too_low},       // geth, Reth, anvil, Besu ("Nonce too low")
    Wording{"nonce is too low", SendRefusal::nonce_too_low},    // OpenEthereum
    Wording{"oldnonce", SendRefusal::nonce_too_low},            // Nethermind (AcceptTxResult.OldNonce)
    Wording{"nonce_too_low", SendRefusal::nonce_too_low},       // Besu reason code
    Wording{"nonce has already been used", SendRefusal::nonce_too_low},
    // same nonce pending with fees we did not beat
    Wording{"replacement transaction underpriced", SendRefusal::replacement_underpriced},  // geth, Reth, Erigon, Besu
    Wording{"replacement_underpriced", SendRefusal::replacement_underpriced},              // Besu reason code
    Wording{"replacement fee too low", SendRefusal::replacement_underpriced},
    Wording{"insufficient gas price to replace", SendRefusal::replacement_underpriced},    // anvil
    Wording{"replacementnotallowed", SendRefusal::replacement_underpriced},               // Nethermind
    Wording{"feetoolowtocompete", SendRefusal::fee_too_low},                               // Nethermind
    // fees below what the node or the block accepts
    Wording{"max fee per gas less than block base fee", SendRefusal::fee_too_low},  // geth, Reth, anvil
    Wording{"fee cap less than block base fee", SendRefusal::fee_too_low},
    Wording{"transaction underpriced", SendRefusal::fee_too_low},                   // geth, Reth, Erigon
    Wording{"feetoolow", SendRefusal::fee_too_low},                                 // Nethermind
    Wording{"gas price below configured minimum", SendRefusal::fee_too_low},        // Besu
    Wording{"gas_price_too_low", SendRefusal::fee_too_low},                         // Besu reason code
    Wording{"tip too low", SendRefusal::fee_too_low},
    Wording{"gas price too low", SendRefusal::fee_too_low},
    Wording{"max priority fee per gas higher than max fee per gas", SendRefusal::rejected},
    // the sender cannot pay
    Wording{"insufficient funds", SendRefusal::insufficient_funds},            // geth, Reth, Erigon, anvil
    Wording{"insufficientfunds", SendRefusal::insufficient_funds},             // Nethermind
    Wording{"upfront cost exceeds account balance", SendRefusal::insufficient_funds},  // Besu
    Wording{"upfront_cost_exceeds_balance", SendRefusal::insufficient_funds},          // Besu reason code
    // other definite refusals: the transaction is not in any pool
    Wording{"intrinsic gas too low", SendRefusal::rejected},       // geth, Reth, anvil
    Wording{"intrinsic gas exceeds gas limit", SendRefusal::rejected},  // Besu
    Wording{"exceeds block gas limit", SendRefusal::rejected},     // geth, Reth, Erigon
    Wording{"gaslimitexceeded", SendRefusal::rejected},            // Nethermind
    Wording{"invalid sender", SendRefusal::rejected},              // geth, Erigon
    Wording{"invalid signature", SendRefusal::rejected},
    Wording{"invalid chain id", SendRefusal::rejected},
    Wording{"wrong_chain_id", SendRefusal::rejected},              // Besu reason code
    Wording{"oversized data", SendRefusal::rejected},              // geth, Reth
    Wording{"txpool is full", SendRefusal::rejected},              // geth, Reth
    Wording{"nonce too high", SendRefusal::rejected},              // Reth, anvil
    Wording{"noncegap", SendRefusal::rejected},                    // Nethermind
    Wording{"too distant from current sender nonce", SendRefusal::rejected},  // Besu
    Wording{"transaction type not supported", SendRefusal::rejected},
};

}  // namespace

SendRefusal classify_send_refusal(std::string_view message) {
    std::string m(message);
    std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const Wording& w : kWordings)
        if (m.find(w.phrase) != std::string::npos) return w.meaning;
    return SendRefusal::unknown;
}

bool is_definite_refusal(SendRefusal refusal) {
    switch (refusal) {
        case SendRefusal::replacement_underpriced:
        case SendRefusal::fee_too_low:
        case SendRefusal::insufficient_funds:
        case SendRefusal::rejected:
            return true;
        case SendRefusal::unknown:
        case SendRefusal::already_known:
        case SendRefusal::nonce_too_low:
            return false;
    }
    return false;
}

std::string_view to_string(SendRefusal refusal) {
    switch (refusal) {
        case SendRefusal::unknown: return "unknown";
        case SendRefusal::already_known: return "already_known";
        case SendRefusal::nonce_too_low: return "nonce_too_low";
        case SendRefusal::replacement_underpriced: return "replacement_underpriced";
        case SendRefusal::fee_too_low: return "fee_too_low";
        case SendRefusal::insufficient_funds: return "insufficient_funds";
        case SendRefusal::rejected: return "rejected";
    }
    return "unknown";
}

}  // namespace keeper::chain

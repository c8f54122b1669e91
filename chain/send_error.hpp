#pragma once
// What an eth_sendRawTransaction error means for the shepherd. Nodes word
// these differently (geth, Erigon, Nethermind, Reth, Besu, anvil); we match
// the stable phrases of each. Only wordings known to mean "the node did not
// take this transaction" let the shepherd drop an attempt and reuse its
// nonce: anything unrecognised may be a transaction that is live, so the
// attempt is kept and check() decides from receipts and nonce counts.
#include <string_view>

namespace keeper::chain {

enum class SendRefusal {
    unknown,                 // unrecognised: the transaction may be live; keep the attempt
    already_known,           // the node has this exact transaction: as good as accepted
    nonce_too_low,           // the nonce is used: ours mined, or someone else's did
    replacement_underpriced, // same nonce in the pool with fees we did not beat by enough
    fee_too_low,             // below the base fee or the node's minimum tip
    insufficient_funds,      // the sender cannot pay gas * fee + value
    rejected,                // another definite refusal (intrinsic gas, gas limit, signature, pool full, ...)
};

SendRefusal classify_send_refusal(std::string_view message);

// True when the node certainly did not take the transaction: its attempt can
// be forgotten (it can never be mined).
bool is_definite_refusal(SendRefusal refusal);

std::string_view to_string(SendRefusal refusal);

}  // namespace keeper::chain

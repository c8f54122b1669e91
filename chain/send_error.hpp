#pragma once
// What an eth_sendRawTransaction refusal means for the shepherd. Nodes word
// these differently (geth, reth, anvil, erigon); we match the stable phrases.
#include <string_view>

namespace keeper::chain {

enum class SendRefusal {
    other,                   // give up on this attempt and report
    already_known,           // the node has this exact transaction: success
    nonce_too_low,           // the nonce is used: ours mined, or someone else's did
    replacement_underpriced, // same nonce in the pool with fees we did not beat by enough
    fee_too_low,             // below the base fee or the node's minimum tip
    insufficient_funds,
};

SendRefusal classify_send_refusal(std::string_view message);

}  // namespace keeper::chain

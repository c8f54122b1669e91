#pragma once
// Sends the keeper's transactions and sees each one through to a final
// receipt: fees from eth_feeHistory, the nonce from the NonceBook, and when a
// transaction sits unmined for a few blocks (or a reorg takes its block
// away), a replacement with the same nonce. Every attempt shares one nonce,
// so at most one of them can ever be mined: a piece of work is never sent
// twice.
//
// Before any re-send the payload is simulated again at the head: work that
// would now revert is not re-sent; its nonce is filled instead with a 0-value
// transfer to ourselves (21,000 gas), which replaces the stale payload in
// the pool and keeps every later nonce moving. A nonce is never left as a gap.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "chain/fee_policy.hpp"
#include "chain/nonce_book.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/send_error.hpp"
#include "chain/transaction.hpp"

namespace keeper::chain {

struct TxIntent {
    Address to;
    Bytes data;
    U256 value_wei;
    GasLimit gas_limit;
};

// What a signed attempt carries: the work itself, or the 0-value self-transfer
// that fills its nonce when the work would no longer succeed.
enum class AttemptPayload { intent, nonce_fill };

struct TxAttempt {
    Bytes32 hash;
    Eip1559Fees fees;
    std::uint64_t sent_at_block = 0;
    AttemptPayload payload = AttemptPayload::intent;
};

struct InFlightTx {
    Nonce nonce;
    TxIntent intent;
    std::vector<TxAttempt> attempts;  // oldest first; every one has `nonce`

    // Working memory of the shepherd, not journaled: after a restart each
    // starts from its safe value (nothing suspected, nothing seen mined, no
    // back-off).
    std::uint64_t spent_without_receipt_since = 0;  // head of the check that first saw it (0: not seen)
    std::uint64_t seen_mined_in = 0;                // block of the receipt last seen (0: none)
    std::uint64_t next_send_block = 0;              // after a refused send, not before this head
};

enum class TxStatus {
    pending,
    mined,                 // in a canonical block, fewer than `confirmations` deep
    confirmed,             // `confirmations` deep; receipt.success says whether it reverted
    nonce_used_elsewhere,  // the nonce is spent, `confirmations` deep, by none of our attempts
    abandoned,             // never broadcast, would revert now, and its nonce was handed back
};

struct TxOutcome {
    TxStatus status = TxStatus::pending;
    std::optional<Receipt> receipt;
    std::uint64_t confirmations = 0;  // 1 = in the head block
    bool filled = false;              // the receipt is our nonce fill: the work itself did not happen
    bool reorged_out = false;         // pending again: the block that held it left the canonical chain
    std::string note;                 // why the shepherd did what it did this check (for the log), if anything
};

struct ShepherdPolicy {
    std::uint64_t replace_after_blocks = 3;
    // Blocks (head included) before a receipt is final. Until then a reorg
    // can take it back and the work stays open: 3 is a safe default on L1
    // mainnet, where deeper reorgs have not happened since the merge.
    std::uint64_t confirmations = 3;
    unsigned fee_history_blocks = 10;
    double reward_percentile = 50;
    FeeCaps caps;
};

// eth_feeHistory(blocks, "latest", [percentile]) as a FeeHistory.
RpcResult<FeeHistory> read_fee_history(JsonRpcClient& client, unsigned blocks, double percentile);

// The transfer that fills a nonce whose work is abandoned: 0 wei to ourselves.
TxIntent nonce_fill_intent(const Address& sender);

class TxShepherd {
public:
    // Called with each signed attempt BEFORE it is broadcast, so a journal
    // knows every hash that may reach the chain even if we crash mid-send.
    using BeforeBroadcast = std::function<Result<void>(const InFlightTx&, const TxAttempt&)>;
    // Called when the node certainly refused an attempt: it can never be
    // mined, so the journal may forget it.
    using Refused = std::function<void(const InFlightTx&, const TxAttempt&)>;

    TxShepherd(JsonRpcClient& client, const PrivateKey& key, ChainId chain_id, NonceBook& nonces,
               ShepherdPolicy policy = {}, BeforeBroadcast before_broadcast = {}, Refused refused = {});

    // `max_priority_fee_wei`: a cap on the first attempt's tip below the
    // market's (a backrun must not outbid the transaction it follows);
    // re-sends price by the market again.
    Result<InFlightTx> send(const TxIntent& intent, std::uint64_t head_block,
                            std::optional<U256> max_priority_fee_wei = std::nullopt);

    // One look at a transaction, in an order that cannot mistake our own
    // mined transaction for someone else's:
    //  1. the sender's nonce count at the block `confirmations` deep,
    //  2. then every attempt's receipt (each must still be canonical).
    // A receipt found is ours (mined or confirmed). Without one, a count past
    // our nonce means the nonce was spent, that deep, by another transaction:
    // concluded only when a later check (a re-read at a newer head) agrees.
    // Otherwise it waits, and re-sends when the last attempt has waited
    // `replace_after_blocks` or its block was reorged away: simulated first,
    // re-sent if it still succeeds, else its nonce is filled.
    Result<TxOutcome> check(InFlightTx& tx, std::uint64_t head_block);

    const Address& sender() const { return sender_; }
    const ShepherdPolicy& policy() const { return policy_; }

private:
    struct Broadcast {
        TxAttempt attempt;
        std::optional<SendRefusal> refusal;  // set when the node answered with a recognised or unknown error
    };
    Result<Broadcast> broadcast(InFlightTx& tx, AttemptPayload payload, const Eip1559Fees& fees,
                                std::uint64_t head_block);
    Result<Eip1559Fees> market_fees();
    // The (re-)send of a transaction that is not mined: simulate, then the
    // payload again or a nonce fill.
    Result<TxOutcome> resend(InFlightTx& tx, std::uint64_t head_block, bool reorged_out);

    JsonRpcClient& client_;
    const PrivateKey& key_;
    Address sender_;
    ChainId chain_id_;
    NonceBook& nonces_;
    ShepherdPolicy policy_;
    BeforeBroadcast before_broadcast_;
    Refused refused_;
};

}  // namespace keeper::chain

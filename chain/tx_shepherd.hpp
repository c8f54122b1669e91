#pragma once
// Sends the keeper's transactions and sees each one through to a receipt:
// fees from eth_feeHistory, the nonce from the NonceBook, and when a
// transaction sits unmined for a few blocks, a replacement with the same nonce
// and payload and higher fees. Every attempt shares one nonce, so at most one
// of them can ever be mined: a liquidation is never sent twice.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "chain/fee_policy.hpp"
#include "chain/nonce_book.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/transaction.hpp"

namespace keeper::chain {

struct TxIntent {
    Address to;
    Bytes data;
    U256 value_wei;
    GasLimit gas_limit;
};

struct TxAttempt {
    Bytes32 hash;
    Eip1559Fees fees;
    std::uint64_t sent_at_block = 0;
};

struct InFlightTx {
    Nonce nonce;
    TxIntent intent;
    std::vector<TxAttempt> attempts;  // oldest first; every one has `nonce`
};

enum class TxStatus {
    pending,
    mined,                  // in a canonical block, fewer than `confirmations` deep
    confirmed,              // `confirmations` deep; receipt.success says whether it reverted
    nonce_used_elsewhere,   // the nonce is spent but by none of our attempts
};

struct TxOutcome {
    TxStatus status = TxStatus::pending;
    std::optional<Receipt> receipt;
    std::uint64_t confirmations = 0;  // 1 = in the head block
};

struct ShepherdPolicy {
    std::uint64_t replace_after_blocks = 3;
    std::uint64_t confirmations = 1;  // blocks (head included) before a receipt is final
    unsigned fee_history_blocks = 10;
    double reward_percentile = 50;
    FeeCaps caps;
};

// eth_feeHistory(blocks, "latest", [percentile]) as a FeeHistory.
RpcResult<FeeHistory> read_fee_history(JsonRpcClient& client, unsigned blocks, double percentile);

class TxShepherd {
public:
    // Called with each signed attempt BEFORE it is broadcast, so a journal
    // knows every hash that may reach the chain even if we crash mid-send.
    using BeforeBroadcast = std::function<Result<void>(const InFlightTx&, const TxAttempt&)>;

    TxShepherd(JsonRpcClient& client, const PrivateKey& key, ChainId chain_id, NonceBook& nonces,
               ShepherdPolicy policy = {}, BeforeBroadcast before_broadcast = {});

    Result<InFlightTx> send(const TxIntent& intent, std::uint64_t head_block);
    // Looks for a receipt of any attempt; a receipt counts only while its
    // block is still the canonical one at its height (a reorg can take it
    // back to the pool). Replaces the transaction when it has waited
    // `replace_after_blocks` since the last attempt. A transaction without
    // attempts (restored from a journal that recorded its nonce but crashed
    // before the first attempt) was never sent: it is sent now.
    Result<TxOutcome> check(InFlightTx& tx, std::uint64_t head_block);

    const Address& sender() const { return sender_; }

private:
    Result<TxAttempt> broadcast(InFlightTx& tx, const Eip1559Fees& fees, std::uint64_t head_block);

    JsonRpcClient& client_;
    const PrivateKey& key_;
    Address sender_;
    ChainId chain_id_;
    NonceBook& nonces_;
    ShepherdPolicy policy_;
    BeforeBroadcast before_broadcast_;
};

}  // namespace keeper::chain

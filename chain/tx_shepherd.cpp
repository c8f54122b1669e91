#include "chain/tx_shepherd.hpp"

#include "chain/send_error.hpp"
#include "chain/signer.hpp"

namespace keeper::chain {

RpcResult<FeeHistory> read_fee_history(JsonRpcClient& client, unsigned blocks, double percentile) {
    auto answer = client.call("eth_feeHistory", nlohmann::json::array({U256(blocks).to_hex(), "latest",
                                                                       nlohmann::json::array({percentile})}));
    if (!answer) return std::unexpected(answer.error());
    const auto& doc = *answer;
    auto malformed = [](const std::string& what) { return rpc_fail(RpcError::malformed("eth_feeHistory: " + what)); };
    if (!doc.is_object() || !doc.contains("baseFeePerGas") || !doc["baseFeePerGas"].is_array() ||
        doc["baseFeePerGas"].empty() || !doc["baseFeePerGas"].back().is_string())
        return malformed("'baseFeePerGas': missing, empty or not an array of quantities");
    auto next_base = U256::from_hex(doc["baseFeePerGas"].back().get<std::string>());
    if (!next_base) return malformed("'baseFeePerGas': " + next_base.error().message);
    FeeHistory history{*next_base, {}};
    if (doc.contains("reward") && doc["reward"].is_array()) {
        for (const auto& block : doc["reward"]) {
            if (!block.is_array() || block.empty() || !block[0].is_string()) return malformed("'reward': not an array of [quantity]");
            auto reward = U256::from_hex(block[0].get<std::string>());
            if (!reward) return malformed("'reward': " + reward.error().message);
            history.priority_rewards_wei.push_back(*reward);
        }
    }
    return history;
}

TxShepherd::TxShepherd(JsonRpcClient& client, const PrivateKey& key, ChainId chain_id, NonceBook& nonces,
                       ShepherdPolicy policy, BeforeBroadcast before_broadcast)
    : client_(client), key_(key), sender_(address_of(key)), chain_id_(chain_id), nonces_(nonces), policy_(policy),
      before_broadcast_(std::move(before_broadcast)) {}

Result<TxAttempt> TxShepherd::broadcast(InFlightTx& tx, const Eip1559Fees& fees, std::uint64_t head_block) {
    DynamicFeeTransaction body;
    body.chain_id = chain_id_;
    body.nonce = tx.nonce;
    body.max_fee_per_gas_wei = fees.max_fee_per_gas_wei;
    body.max_priority_fee_per_gas_wei = fees.max_priority_fee_per_gas_wei;
    body.gas_limit = tx.intent.gas_limit;
    body.to = tx.intent.to;
    body.value_wei = tx.intent.value_wei;
    body.data = tx.intent.data;
    const SignedTransaction signed_tx = sign(body, key_);
    const TxAttempt attempt{transaction_hash(signed_tx), fees, head_block};
    if (before_broadcast_) {
        auto journaled = before_broadcast_(tx, attempt);
        if (!journaled) return std::unexpected(context("send: journal", journaled.error()));
    }
    tx.attempts.push_back(attempt);
    auto sent = client_.send_raw_transaction(encode_raw(signed_tx));
    if (sent) return attempt;
    const RpcError& e = sent.error();
    if (e.kind != RpcError::Kind::rpc) {
        // No answer: the node may or may not have it. The attempt stays
        // recorded and check() finds its receipt if it was taken.
        return attempt;
    }
    switch (classify_send_refusal(e.message)) {
        case SendRefusal::already_known:
        case SendRefusal::nonce_too_low:  // check() tells whether one of ours took it
            return attempt;
        default:
            tx.attempts.pop_back();  // refused outright: it can never be mined
            return fail("send nonce " + std::to_string(tx.nonce.value) + ": " + e.message);
    }
}

Result<InFlightTx> TxShepherd::send(const TxIntent& intent, std::uint64_t head_block) {
    auto history = read_fee_history(client_, policy_.fee_history_blocks, policy_.reward_percentile);
    if (!history) return fail("send: " + history.error().message);
    auto fees = choose_fees(*history, policy_.caps);
    if (!fees) return std::unexpected(fees.error());
    InFlightTx tx{Nonce{nonces_.reserve()}, intent, {}};
    auto attempt = broadcast(tx, *fees, head_block);
    if (!attempt) {
        if (tx.attempts.empty()) nonces_.release(tx.nonce.value);
        return std::unexpected(attempt.error());
    }
    return tx;
}

Result<TxOutcome> TxShepherd::check(InFlightTx& tx, std::uint64_t head_block) {
    if (tx.attempts.empty()) {
        // Journaled with its nonce but never signed and sent (a crash between
        // the journal's two writes): nothing of it can be on chain, and every
        // later nonce waits behind it. Send it now.
        auto history = read_fee_history(client_, policy_.fee_history_blocks, policy_.reward_percentile);
        if (!history) return fail("resend: " + history.error().message);
        auto fees = choose_fees(*history, policy_.caps);
        if (!fees) return std::unexpected(fees.error());
        auto attempt = broadcast(tx, *fees, head_block);
        if (!attempt) return std::unexpected(attempt.error());
        return TxOutcome{};
    }
    for (auto it = tx.attempts.rbegin(); it != tx.attempts.rend(); ++it) {
        auto receipt = client_.get_transaction_receipt(it->hash);
        if (!receipt) return fail("check: " + receipt.error().message);
        if (!*receipt) continue;
        const Receipt& r = **receipt;
        auto block = client_.get_block_header(BlockId::number(r.block_number));
        if (!block) return fail("check: " + block.error().message);
        if (!*block || (**block).hash != r.block_hash) return TxOutcome{};  // reorged out: back to waiting
        const std::uint64_t depth = head_block >= r.block_number ? head_block - r.block_number + 1 : 1;
        return TxOutcome{depth >= policy_.confirmations ? TxStatus::confirmed : TxStatus::mined, r, depth};
    }
    auto mined_count = client_.get_transaction_count(sender_, BlockId::latest());
    if (!mined_count) return fail("check: " + mined_count.error().message);
    if (*mined_count > tx.nonce.value) {
        // Our nonce is spent yet no attempt has a receipt: a transaction from
        // another process using this key took it.
        nonces_.observe_chain_count(*mined_count);
        return TxOutcome{TxStatus::nonce_used_elsewhere, std::nullopt, 0};
    }
    if (tx.attempts.empty() || head_block < tx.attempts.back().sent_at_block + policy_.replace_after_blocks)
        return TxOutcome{};

    auto history = read_fee_history(client_, policy_.fee_history_blocks, policy_.reward_percentile);
    if (!history) return fail("replace: " + history.error().message);
    auto market = choose_fees(*history, policy_.caps);
    if (!market) return std::unexpected(market.error());
    auto fees = replacement_fees(tx.attempts.back().fees, *market, policy_.caps);
    if (!fees) return std::unexpected(fees.error());
    auto attempt = broadcast(tx, *fees, head_block);
    if (!attempt) return std::unexpected(attempt.error());
    return TxOutcome{};
}

}  // namespace keeper::chain

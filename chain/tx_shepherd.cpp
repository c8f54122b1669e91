#include "chain/tx_shepherd.hpp"

#include <algorithm>

#include "chain/canonical_receipt.hpp"
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

namespace {

TxOutcome used_elsewhere() {
    TxOutcome outcome;
    outcome.status = TxStatus::nonce_used_elsewhere;
    return outcome;
}

TxOutcome still_pending(bool reorged_out) {
    TxOutcome outcome;
    outcome.reorged_out = reorged_out;
    return outcome;
}

}  // namespace

TxIntent nonce_fill_intent(const Address& sender) { return TxIntent{sender, {}, U256(), GasLimit{21'000}}; }

TxShepherd::TxShepherd(JsonRpcClient& client, const PrivateKey& key, ChainId chain_id, NonceBook& nonces,
                       ShepherdPolicy policy, BeforeBroadcast before_broadcast, Refused refused)
    : client_(client), key_(key), sender_(address_of(key)), chain_id_(chain_id), nonces_(nonces), policy_(policy),
      before_broadcast_(std::move(before_broadcast)), refused_(std::move(refused)) {}

Result<Eip1559Fees> TxShepherd::market_fees() {
    auto history = read_fee_history(client_, policy_.fee_history_blocks, policy_.reward_percentile);
    if (!history) return fail("fees: " + history.error().message);
    return choose_fees(*history, policy_.caps);
}

Result<TxShepherd::Broadcast> TxShepherd::broadcast(InFlightTx& tx, AttemptPayload payload, const Eip1559Fees& fees,
                                                    std::uint64_t head_block) {
    const TxIntent body_of = payload == AttemptPayload::intent ? tx.intent : nonce_fill_intent(sender_);
    DynamicFeeTransaction body;
    body.chain_id = chain_id_;
    body.nonce = tx.nonce;
    body.max_fee_per_gas_wei = fees.max_fee_per_gas_wei;
    body.max_priority_fee_per_gas_wei = fees.max_priority_fee_per_gas_wei;
    body.gas_limit = body_of.gas_limit;
    body.to = body_of.to;
    body.value_wei = body_of.value_wei;
    body.data = body_of.data;
    const SignedTransaction signed_tx = sign(body, key_);
    const TxAttempt attempt{transaction_hash(signed_tx), fees, head_block, payload};
    // Signatures are deterministic (RFC 6979): the same body re-signed is the
    // same transaction, already journaled; it is re-broadcast, not added.
    const bool already_recorded = std::any_of(tx.attempts.begin(), tx.attempts.end(),
                                              [&](const TxAttempt& a) { return a.hash == attempt.hash; });
    if (!already_recorded) {
        if (before_broadcast_) {
            auto journaled = before_broadcast_(tx, attempt);
            if (!journaled) return std::unexpected(context("send: journal", journaled.error()));
        }
        tx.attempts.push_back(attempt);
    }
    auto sent = client_.send_raw_transaction(encode_raw(signed_tx));
    if (sent) return Broadcast{attempt, std::nullopt};
    const RpcError& e = sent.error();
    // No answer: the node may or may not have it. The attempt stays recorded
    // and check() finds its receipt if it was taken.
    if (e.kind != RpcError::Kind::rpc) return Broadcast{attempt, std::nullopt};
    const SendRefusal refusal = classify_send_refusal(e.message);
    if (!is_definite_refusal(refusal)) return Broadcast{attempt, refusal};  // check() decides
    if (!already_recorded) {
        tx.attempts.pop_back();  // refused outright: it can never be mined
        if (refused_) refused_(tx, attempt);
    }
    // Whatever refused it (fees, funds) will not change by the next block.
    tx.next_send_block = head_block + std::max<std::uint64_t>(1, policy_.replace_after_blocks);
    return fail("send nonce " + std::to_string(tx.nonce.value) + " refused (" + std::string(to_string(refusal)) +
                "): " + e.message);
}

Result<InFlightTx> TxShepherd::send(const TxIntent& intent, std::uint64_t head_block,
                                    std::optional<U256> max_priority_fee_wei) {
    auto fees = market_fees();
    if (!fees) return fail("send: " + fees.error().message);
    // Lowering the tip keeps max_fee >= tip, as EIP-1559 requires.
    if (max_priority_fee_wei && *max_priority_fee_wei < fees->max_priority_fee_per_gas_wei)
        fees->max_priority_fee_per_gas_wei = *max_priority_fee_wei;
    InFlightTx tx{Nonce{nonces_.reserve()}, intent, {}};
    auto sent = broadcast(tx, AttemptPayload::intent, *fees, head_block);
    if (!sent) {
        if (tx.attempts.empty()) nonces_.release(tx.nonce.value);
        return std::unexpected(sent.error());
    }
    return tx;
}

Result<TxOutcome> TxShepherd::resend(InFlightTx& tx, std::uint64_t head_block, bool reorged_out) {
    const std::string nonce = "nonce " + std::to_string(tx.nonce.value);
    auto market = market_fees();
    if (!market) return fail("re-send " + nonce + ": " + market.error().message);
    Eip1559Fees fees = *market;
    if (!tx.attempts.empty()) {
        // Above the last attempt by the replacement bump, so it displaces
        // that attempt if a pool still holds it.
        auto bumped = replacement_fees(tx.attempts.back().fees, *market, policy_.caps);
        if (!bumped) return fail("re-send " + nonce + ": " + bumped.error().message);
        fees = *bumped;
    }
    const std::string why = tx.attempts.empty() ? "journaled but never broadcast"
                            : reorged_out       ? "its block left the canonical chain"
                                                : "unmined for " + std::to_string(policy_.replace_after_blocks) + " blocks";
    TxOutcome outcome;
    outcome.reorged_out = reorged_out;
    AttemptPayload payload = tx.attempts.empty() ? AttemptPayload::intent : tx.attempts.back().payload;
    if (payload == AttemptPayload::intent) {
        // The chain moved since the work was decided: what succeeded then
        // may revert now (someone else liquidated first, prices recovered).
        const CallRequest call{sender_, tx.intent.to, tx.intent.data, tx.intent.value_wei, tx.intent.gas_limit.value};
        auto simulated = client_.eth_call(call, BlockId::latest());
        if (!simulated && simulated.error().kind != RpcError::Kind::rpc)
            return fail("re-send " + nonce + ": simulation: " + simulated.error().message);
        if (!simulated) {
            if (tx.attempts.empty() && nonces_.release(tx.nonce.value)) {
                outcome.status = TxStatus::abandoned;
                outcome.note = nonce + " " + why + ", and would now revert (" + simulated.error().message +
                               "): abandoned, nonce handed back";
                return outcome;
            }
            payload = AttemptPayload::nonce_fill;
            outcome.note = nonce + " " + why + ", and would now revert (" + simulated.error().message +
                           "): filling the nonce with a 0-value transfer to ourselves";
        } else {
            outcome.note = nonce + " " + why + ": simulated again, still succeeds: re-sent";
        }
    } else {
        outcome.note = nonce + " fill " + why + ": re-sent with higher fees";
    }
    auto sent = broadcast(tx, payload, fees, head_block);
    if (!sent) return std::unexpected(sent.error());
    return outcome;
}

Result<TxOutcome> TxShepherd::check(InFlightTx& tx, std::uint64_t head_block) {
    if (tx.attempts.empty()) {
        // Journaled with its nonce but never signed and sent (a crash between
        // the journal's two writes, or every attempt refused): nothing of it
        // can be on chain, and every later nonce waits behind it.
        if (head_block < tx.next_send_block) return TxOutcome{};
        // Nothing of ours was ever broadcast, so a spent nonce is certainly
        // someone else's: no need to wait for a second look.
        auto spent = client_.get_transaction_count(sender_, BlockId::latest());
        if (!spent) return fail("check: " + spent.error().message);
        if (*spent > tx.nonce.value) {
            nonces_.observe_chain_count(*spent);
            return used_elsewhere();
        }
        return resend(tx, head_block, false);
    }
    const std::uint64_t confirmations = std::max<std::uint64_t>(1, policy_.confirmations);
    const std::uint64_t deep_block = head_block + 1 >= confirmations ? head_block + 1 - confirmations : 0;
    // The count first, pinned to a block: a block mined between this read and
    // the receipts can only add receipts, never make ours look foreign.
    auto spent_through_deep = client_.get_transaction_count(sender_, BlockId::number(deep_block));
    if (!spent_through_deep) return fail("check: " + spent_through_deep.error().message);

    for (auto it = tx.attempts.rbegin(); it != tx.attempts.rend(); ++it) {
        auto receipt = read_canonical_receipt(client_, it->hash);
        if (!receipt) return fail("check: " + receipt.error().message);
        if (!*receipt) continue;  // none, or a stale one of a reorged-out block
        const Receipt& r = **receipt;
        const std::uint64_t depth = head_block >= r.block_number ? head_block - r.block_number + 1 : 1;
        tx.seen_mined_in = r.block_number;
        tx.spent_without_receipt_since = 0;
        TxOutcome outcome;
        outcome.status = depth >= confirmations ? TxStatus::confirmed : TxStatus::mined;
        outcome.receipt = r;
        outcome.confirmations = depth;
        outcome.filled = it->payload == AttemptPayload::nonce_fill;
        return outcome;
    }

    const bool reorged_out = tx.seen_mined_in != 0;
    tx.seen_mined_in = 0;
    if (*spent_through_deep > tx.nonce.value) {
        // Spent `confirmations` deep, and no attempt of ours has a receipt
        // read after that: another transaction of this key took the nonce.
        // A lagging node can answer receipts it does not have yet, so the
        // verdict waits for a second look at a newer head.
        if (tx.spent_without_receipt_since != 0 && tx.spent_without_receipt_since < head_block) {
            nonces_.observe_chain_count(*spent_through_deep);
            return used_elsewhere();
        }
        if (tx.spent_without_receipt_since == 0) tx.spent_without_receipt_since = head_block;
        return still_pending(reorged_out);
    }
    tx.spent_without_receipt_since = 0;
    const bool waited = head_block >= tx.attempts.back().sent_at_block + policy_.replace_after_blocks;
    if ((!reorged_out && !waited) || head_block < tx.next_send_block) return still_pending(reorged_out);
    return resend(tx, head_block, reorged_out);
}

}  // namespace keeper::chain

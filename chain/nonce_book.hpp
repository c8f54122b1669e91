#pragma once
// One signer's nonces, one source of truth. After a restart it is rebuilt from
// the chain and from the journal of what we sent, taking the higher: a
// transaction we broadcast may not have reached the node's pool (so the
// chain's pending count lags), and the journal may lag the chain when the key
// is also used elsewhere.
#include <cstdint>
#include <optional>

namespace keeper::chain {

class NonceBook {
public:
    // `chain_pending`: eth_getTransactionCount(signer, "pending").
    // `journal_highest_sent`: the highest nonce the journal recorded as broadcast.
    static NonceBook rebuild(std::uint64_t chain_pending, std::optional<std::uint64_t> journal_highest_sent);

    std::uint64_t peek() const { return next_; }
    // Takes the next nonce for a new transaction.
    std::uint64_t reserve() { return next_++; }
    // A reserved nonce that was never broadcast can be handed out again, but
    // only if nothing after it was reserved: otherwise a gap would strand
    // every later transaction.
    bool release(std::uint64_t nonce);
    // The node said "nonce too low": something else used the key. Move up to
    // its count; never down.
    void observe_chain_count(std::uint64_t chain_pending);

private:
    explicit NonceBook(std::uint64_t next) : next_(next) {}
    std::uint64_t next_;
};

}  // namespace keeper::chain

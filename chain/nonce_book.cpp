#include "chain/nonce_book.hpp"

#include <algorithm>

namespace keeper::chain {

NonceBook NonceBook::rebuild(std::uint64_t chain_pending, std::optional<std::uint64_t> journal_highest_sent) {
    const std::uint64_t from_journal = journal_highest_sent ? *journal_highest_sent + 1 : 0;
    return NonceBook(std::max(chain_pending, from_journal));
}

bool NonceBook::release(std::uint64_t nonce) {
    if (nonce + 1 != next_) return false;
    next_ = nonce;
    return true;
}

void NonceBook::observe_chain_count(std::uint64_t chain_pending) { next_ = std::max(next_, chain_pending); }

}  // namespace keeper::chain

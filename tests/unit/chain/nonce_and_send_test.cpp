#include <gtest/gtest.h>

#include "chain/nonce_book.hpp"

using namespace keeper::chain;

TEST(NonceBook, RebuildsFromTheHigherOfChainAndJournal) {
    // The journal saw nonce 7 broadcast but the node lost it from its pool: 8 next, not 7.
    EXPECT_EQ(NonceBook::rebuild(7, 7).peek(), 8u);
    // Another process advanced the key: trust the chain.
    EXPECT_EQ(NonceBook::rebuild(12, 7).peek(), 12u);
    EXPECT_EQ(NonceBook::rebuild(3, std::nullopt).peek(), 3u);
}

TEST(NonceBook, ReleasesOnlyTheLastReservedNonce) {
    auto book = NonceBook::rebuild(5, std::nullopt);
    EXPECT_EQ(book.reserve(), 5u);
    EXPECT_EQ(book.reserve(), 6u);
    EXPECT_FALSE(book.release(5));  // 6 is out: releasing 5 would leave a gap
    EXPECT_TRUE(book.release(6));
    EXPECT_EQ(book.peek(), 6u);
}

TEST(NonceBook, MovesUpButNeverDownOnChainCounts) {
    auto book = NonceBook::rebuild(5, std::nullopt);
    book.observe_chain_count(9);
    EXPECT_EQ(book.peek(), 9u);
    book.observe_chain_count(2);
    EXPECT_EQ(book.peek(), 9u);
}

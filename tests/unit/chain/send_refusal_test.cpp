// eth_sendRawTransaction refusals as each client words them. A wording the
// table does not know must come out `unknown`, which keeps the attempt: the
// transaction may be live, and dropping it would hand its nonce to other work.
#include <gtest/gtest.h>

#include <string_view>

#include "chain/send_error.hpp"

using namespace keeper::chain;

namespace send_refusal_test {

struct Case {
    std::string_view client;
    std::string_view message;
    SendRefusal expected;
};

constexpr Case kCases[] = {
    // already known: the node holds this very transaction
    {"geth", "already known", SendRefusal::already_known},
    {"erigon", "INTERNAL_ERROR: existing tx with same hash", SendRefusal::already_known},
    {"nethermind", "AlreadyKnown", SendRefusal::already_known},
    {"reth", "already known", SendRefusal::already_known},
    {"besu", "Known transaction", SendRefusal::already_known},
    {"anvil", "transaction already imported", SendRefusal::already_known},
    // nonce too low
    {"geth", "nonce too low: address 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, tx: 4 state: 5", SendRefusal::nonce_too_low},
    {"erigon", "nonce too low", SendRefusal::nonce_too_low},
    {"nethermind", "OldNonce, Current nonce: 5, nonce of rejected tx: 4", SendRefusal::nonce_too_low},
    {"reth", "nonce too low", SendRefusal::nonce_too_low},
    {"besu", "Nonce too low", SendRefusal::nonce_too_low},
    {"anvil", "nonce too low", SendRefusal::nonce_too_low},
    // replacement underpriced
    {"geth", "replacement transaction underpriced", SendRefusal::replacement_underpriced},
    {"erigon", "replacement transaction underpriced", SendRefusal::replacement_underpriced},
    {"nethermind", "ReplacementNotAllowed", SendRefusal::replacement_underpriced},
    {"reth", "replacement transaction underpriced", SendRefusal::replacement_underpriced},
    {"besu", "Replacement transaction underpriced", SendRefusal::replacement_underpriced},
    {"anvil", "Insufficient gas price to replace existing transaction", SendRefusal::replacement_underpriced},
    // fees too low for the block or the pool
    {"geth", "max fee per gas less than block base fee: address 0x.., maxFeePerGas: 1, baseFee: 7", SendRefusal::fee_too_low},
    {"geth", "transaction underpriced: tip needed 1, tip permitted 0", SendRefusal::fee_too_low},
    {"erigon", "fee cap less than block base fee", SendRefusal::fee_too_low},
    {"nethermind", "FeeTooLow, MaxFeePerGas too low. MaxFeePerGas: 1, BaseFee: 7", SendRefusal::fee_too_low},
    {"nethermind", "FeeTooLowToCompete", SendRefusal::fee_too_low},
    {"reth", "transaction underpriced", SendRefusal::fee_too_low},
    {"besu", "Gas price below configured minimum gas price", SendRefusal::fee_too_low},
    {"anvil", "max fee per gas less than block base fee", SendRefusal::fee_too_low},
    // insufficient funds
    {"geth", "insufficient funds for gas * price + value: balance 0, tx cost 21000", SendRefusal::insufficient_funds},
    {"nethermind", "InsufficientFunds, Account balance: 0, cumulative cost: 21000", SendRefusal::insufficient_funds},
    {"reth", "insufficient funds for gas * price + value", SendRefusal::insufficient_funds},
    {"besu", "Upfront cost exceeds account balance", SendRefusal::insufficient_funds},
    {"anvil", "Insufficient funds for gas * price + value", SendRefusal::insufficient_funds},
    // other definite refusals
    {"geth", "intrinsic gas too low", SendRefusal::rejected},
    {"geth", "exceeds block gas limit", SendRefusal::rejected},
    {"geth", "txpool is full", SendRefusal::rejected},
    {"nethermind", "NonceGap, Future nonce. Expected nonce: 5", SendRefusal::rejected},
    {"nethermind", "GasLimitExceeded", SendRefusal::rejected},
    {"besu", "Intrinsic gas exceeds gas limit", SendRefusal::rejected},
    {"reth", "nonce too high", SendRefusal::rejected},
    // unknown: keep the attempt, let check() decide
    {"any", "execution reverted", SendRefusal::unknown},
    {"any", "Internal error", SendRefusal::unknown},
    {"any", "request timed out", SendRefusal::unknown},
    {"any", "", SendRefusal::unknown},
};

TEST(SendRefusal, ClassifiesEachClientsWording) {
    for (const Case& c : kCases)
        EXPECT_EQ(classify_send_refusal(c.message), c.expected)
            << c.client << ": \"" << c.message << "\" -> " << to_string(classify_send_refusal(c.message));
}

TEST(SendRefusal, OnlyKnownRefusalsLetAnAttemptGo) {
    EXPECT_FALSE(is_definite_refusal(SendRefusal::unknown));
    EXPECT_FALSE(is_definite_refusal(SendRefusal::already_known));
    EXPECT_FALSE(is_definite_refusal(SendRefusal::nonce_too_low));
    EXPECT_TRUE(is_definite_refusal(SendRefusal::replacement_underpriced));
    EXPECT_TRUE(is_definite_refusal(SendRefusal::fee_too_low));
    EXPECT_TRUE(is_definite_refusal(SendRefusal::insufficient_funds));
    EXPECT_TRUE(is_definite_refusal(SendRefusal::rejected));
    // The defect this table exists for: Nethermind's AlreadyKnown used to fall
    // through to "refused", dropping a live transaction and reusing its nonce.
    EXPECT_FALSE(is_definite_refusal(classify_send_refusal("AlreadyKnown")));
}

}  // namespace send_refusal_test

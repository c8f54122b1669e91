#pragma once
// The journal: every transaction the keeper means to send, from intent to
// receipt, so that after a crash it knows what is already on its way and never
// sends a second transaction for the same work.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::state {

enum class JournalStatus {
    intent,              // decided and recorded, perhaps not yet sent
    broadcast,           // at least one signed attempt handed to a node
    mined,               // an attempt is in a block, not yet deep enough
    confirmed,           // final: mined, succeeded and deep enough
    reverted,            // final: mined and reverted
    replaced_elsewhere,  // final: the nonce was used by another transaction
    abandoned,           // final: given up (policy): never broadcast and its nonce handed back, or its
                         // nonce filled by a 0-value self-transfer (the receipt is the fill's)
};

// intent, broadcast and mined: the work may still land on chain.
bool is_open(JournalStatus status);
std::string_view to_string(JournalStatus status);
Result<JournalStatus> parse_journal_status(std::string_view text);

// What an attempt carried: the entry's own payload, or (when the work would
// no longer succeed) a 0-value transfer to the sender that fills its nonce.
enum class JournalPayload { intent, nonce_fill };
std::string_view to_string(JournalPayload payload);
Result<JournalPayload> parse_journal_payload(std::string_view text);

// One signed transaction sent for an entry (a fee bump adds another).
struct JournalAttempt {
    Bytes32 hash;
    U256 max_fee_per_gas_wei;
    U256 max_priority_fee_per_gas_wei;
    std::uint64_t sent_at_block = 0;
    JournalPayload payload = JournalPayload::intent;
    friend bool operator==(const JournalAttempt&, const JournalAttempt&) = default;
};

struct JournalReceipt {
    Bytes32 tx_hash;
    std::uint64_t block_number = 0;
    bool success = false;
    std::uint64_t gas_used = 0;
    U256 effective_gas_price_wei;
    friend bool operator==(const JournalReceipt&, const JournalReceipt&) = default;
};

// What an action was, typed: the executor's prediction for the work, so a
// record rebuilt after a restart compares the receipt with it (schema v4).
struct JournalAction {
    std::string protocol;      // "morpho-blue", "aave-v3"
    std::string kind;          // "liquidate", "start_auction", "bid"
    std::string subject;       // how logs name the work
    Address account;
    Bytes32 position_id;       // Morpho market id, Yield vault id; zero for Aave
    Address collateral_token;
    Address debt_token;
    U256 collateral_out;       // collateral-token units the keeper is predicted to receive
    U256 debt_in;              // debt-token units it is predicted to repay
    bool realised_balances = true;
    U256 profit;               // in profit_unit
    std::string profit_unit;
    friend bool operator==(const JournalAction&, const JournalAction&) = default;
};

struct JournalEntry {
    std::int64_t id = 0;
    std::string work_key;  // "morpho-blue:<market id hex>:<borrower hex>": at most one open entry per key
    Address from;
    Address to;
    Bytes data;
    U256 value_wei;
    std::uint64_t gas_limit = 0;
    std::uint64_t nonce = 0;
    JournalStatus status = JournalStatus::intent;
    std::vector<JournalAttempt> attempts;  // oldest first
    std::optional<JournalReceipt> receipt;
    std::uint64_t created_block = 0;
    std::string detail;  // free text or JSON for the operator: the prediction (seized, repaid, profit)
    std::optional<JournalAction> action;  // typed; none for approvals and entries older than schema v4
};

}  // namespace keeper::state

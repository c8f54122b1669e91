#pragma once
// What a protocol's pure decision asks for, and what became of it: the types
// the executor (src/keeper/daemon/action_executor.hpp) carries out for every
// protocol alike. Nothing here names Morpho, Aave or Yield: an adapter fills
// an Action with its own calldata and prediction, the executor does the I/O
// (balances, allowances, simulation, gas, fees, journal, sign, send,
// shepherd) and reports an ActionRecord.
#include <cstdint>
#include <optional>
#include <set>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"

namespace keeper::protocols {

enum class ActionKind : std::uint8_t {
    liquidate,       // Morpho liquidate, Aave liquidationCall (or our flash liquidator's liquidate)
    start_auction,   // Yield Witch.auction(vaultId, to): starts a Dutch auction, pays a reward
    bid,             // Yield Witch.payBase / payFYToken: buys (part of) an auction's collateral
    approve,         // ERC-20 approve(spender, max): the executor's own, for a TokenSpend
};
std::string_view to_string(ActionKind kind);

// A token the action makes `spender` pull from the keeper's address. The
// executor checks the allowance and, when it is short, sends one journaled
// approve(spender, max) (work key "approve:<token>:<spender>") and holds the
// action back until that approval has confirmed.
struct TokenSpend {
    Address token;
    Address spender;
    U256 amount;  // token units the action may pull at most
};

// The gas limit is ceil(eth_estimateGas x (100 + margin_percent) / 100) + extra_gas.
// Morpho: margin + 30,000 for the interest accrual the landing block may do;
// Aave: margin only.
struct GasRule {
    unsigned margin_percent = 20;
    std::uint64_t extra_gas = 0;
};

// What the decision expects to earn, in one unit of account, and how gas is
// priced in it. The executor judges after gas with the same rounding as the
// strategies (strategies/gas_cost.hpp: gas_limit x max_fee x unit_per_wei_1e36
// / 1e36, rounded up) and sends only when before_gas - gas >= min_after_gas
// and > 0.
struct ExpectedProfit {
    U256 before_gas;                         // in `unit`
    std::string unit;                        // for logs: "loan", "base units", "base"
    std::optional<U256> unit_per_wei_1e36;   // nullopt: judged before gas (the adapter warns once)
    U256 min_after_gas;                      // the operator's floor, in `unit`
};

// The prediction, typed: journaled with the transaction (so a record rebuilt
// after a restart still has it) and compared with the receipt. Amounts are in
// the named token's units.
struct Prediction {
    Address account;             // the borrower, the vault owner
    Bytes32 position_id;         // Morpho market id, Yield vault id; zero where the account is the position (Aave)
    Address collateral_token;    // what the keeper receives
    Address debt_token;          // what the keeper pays (or, flash-funded, earns its profit in)
    U256 collateral_out;         // collateral the keeper is predicted to receive
    U256 debt_in;                // debt the keeper is predicted to repay
    bool realised_balances = true;  // compare the keeper's token balances across the receipt's block
};

// One transaction a decision wants sent. Pure data: a decision fills it, the
// executor carries it out, a unit test compares it.
struct Action {
    ActionKind kind = ActionKind::liquidate;
    std::string protocol_key;    // the adapter's key(): "morpho-blue@0x…"
    // Stable name of the work: the same position gets the same key every
    // round, the journal holds at most one open entry per key, and a key with
    // open (or just landed, not yet applied) work is never decided again.
    std::string work_key;
    Address to;
    Bytes calldata;
    U256 value_wei;
    std::vector<TokenSpend> spends;
    GasRule gas;
    ExpectedProfit profit;
    Prediction prediction;
    // Send only once the next block is at least this one (a Dutch-auction bid
    // timed to the block where it first pays); nullopt: now.
    std::optional<std::uint64_t> not_before_block;
    std::string subject;  // how logs name the work: "0xBorrower in market 0x…", "Aave account 0x…"
    std::string summary;  // the plan in words, for logs (amounts, funding, reason)
};

// A liquidatable position the decision left alone for a reason waiting will
// not change (unprofitable, nothing to seize): logged once per change.
struct Declined {
    std::string work_key;
    std::string subject;
    std::string reason;
};

struct Decisions {
    std::vector<Action> actions;
    std::vector<Declined> declined;
    // Work left out because an input could not be read this round (a token
    // balance that failed): counted as "skipped on errors", not as declined.
    std::size_t skipped_unread = 0;
};

// A token whose keeper balance a decision needs, with the name its errors go
// under in logs ("market 0x…: loan token 0x…", "reserve 0x…").
struct FundingToken {
    Address token;
    std::string label;
};

// The keeper's token balances read this round (by the executor, before the
// decision), already net of what earlier actions of this round may spend. A
// token absent from the map could not be read (or waits out a backoff).
// A dry run reads an empty balance as unlimited ("what would it send if funded").
struct Holdings {
    std::map<Address, U256> balance_of;
    const U256* find(const Address& token) const {
        const auto it = balance_of.find(token);
        return it == balance_of.end() ? nullptr : &it->second;
    }
};

// Everything a decision may look at besides the protocol's snapshot. Pure
// inputs: a decision does no I/O and reads no clock.
struct DecisionInput {
    std::uint64_t head_block = 0;
    std::uint64_t head_timestamp = 0;
    Address keeper;               // the address that sends
    Holdings holdings;
    std::set<std::string> busy;   // work keys with open work, or landed work the state has not applied yet
    bool dry_run = false;
};

// What the protocol's own event in a receipt says moved (the adapter decodes
// it; nullopt: no such event of this work in the receipt).
struct Settlement {
    std::optional<U256> collateral_out;
    std::optional<U256> debt_in;
};

// What happened to one action, for logs, the demo's table and fork reports.
// One type for every protocol; units are in the names or in `profit_unit`.
struct ActionRecord {
    std::string protocol;        // "morpho-blue", "aave-v3"
    ActionKind kind = ActionKind::liquidate;
    std::string work_key;
    Prediction prediction;
    U256 predicted_profit;       // in profit_unit, after gas when gas was priced
    std::string profit_unit;
    std::uint64_t gas_limit = 0;
    std::string calldata_hex;
    bool dry_run = false;
    std::string simulation;      // dry-run: "ok", "reverted: …" or "simulation reverted: …"
    std::optional<Bytes32> tx_hash;
    std::optional<bool> success;
    std::optional<std::uint64_t> block;
    Settlement settled;          // from the receipt's event
    std::optional<U256> gas_used;
    // Balance differences of the keeper across the receipt's block.
    std::optional<U256> realised_collateral_gain;
    std::optional<U256> realised_debt_spent;
    std::optional<U256> realised_debt_gain;  // flash-funded: the profit, paid in the debt token
};

}  // namespace keeper::protocols

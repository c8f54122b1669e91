#pragma once
// A protocol's [[protocols]] table: each adapter parses and validates its own
// keys through ConfigTable, which the config loader implements over toml++
// (so errors keep their line numbers, unknown keys stay an error naming the
// key, and every problem of a file is reported at once).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"

namespace keeper::protocols {

// One [[protocols]] table's keys. Each getter marks its key as known; a
// missing required key, or a value of the wrong type, is reported as a
// problem and returns nullopt. The loader rejects the keys nobody asked for.
class ConfigTable {
public:
    virtual ~ConfigTable() = default;
    virtual bool has(std::string_view key) = 0;
    virtual std::optional<Address> address(std::string_view key, bool required) = 0;
    virtual std::optional<std::uint64_t> block_number(std::string_view key) = 0;  // 0 .. INT64_MAX
    virtual std::optional<bool> boolean(std::string_view key) = 0;
    // A token amount: a non-negative integer or a decimal string.
    virtual std::optional<U256> amount(std::string_view key) = 0;
    // An array of 32-byte ids; duplicates are reported.
    virtual std::optional<std::vector<Bytes32>> bytes32_list(std::string_view key) = 0;
    // A problem with `key` that only the protocol can judge (two keys that
    // exclude each other), reported with the key's line.
    virtual void problem(std::string_view key, std::string_view message) = 0;
};

// A parsed [[protocols]] table. Each protocol derives its own settings type.
struct ProtocolConfig {
    virtual ~ProtocolConfig() = default;
    virtual std::string_view kind() const = 0;
    // "morpho-blue@0x<address>": names the deployment in state and logs; two
    // tables with the same key are the same deployment (refused: it would be
    // tracked and liquidated twice).
    virtual std::string key() const = 0;
    virtual std::uint64_t start_block() const = 0;
};

// Operator-wide settings every adapter may use ([strategy], [engine], the mode).
struct KeeperSettings {
    bool dry_run = false;
    unsigned gas_margin_percent = 20;
    U256 min_profit_loan;                         // [strategy] min_profit (Morpho: loan-token units)
    std::optional<U256> max_loan_spend;           // [strategy] max_loan_spend
    std::map<Address, U256> native_price_1e36;    // [strategy.native_price_1e36]: token units per wei x 1e36
    // `run` judges exactly only what its float screen flags below a watch
    // line above [alerts] warning_health, so alerts stay exact; every
    // position at least every [engine] audit_every_blocks (0: every head).
    U256 warning_health_wad = U256(1'050'000'000'000'000'000ULL);
    std::uint64_t audit_every_blocks = 100;
    // ... and the riskiest rows of the last round every round, whatever the
    // screen says: the status page shows the 50 riskiest (StatusInputs) and
    // must show them as `scan` would in this block, not carried.
    std::size_t riskiest_rows_judged = 50;
    // `stress` costs the keeper's capital with flash loans: Aave pools read
    // Pool.FLASHLOAN_PREMIUM_TOTAL even where the keeper would not act.
    bool reads_flash_premium = false;
};

}  // namespace keeper::protocols

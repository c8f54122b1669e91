#pragma once
// The node's objects that the keeper reads, as typed values, and their
// decoders from JSON-RPC form. Decoders name the object and field that failed.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::chain {

// Which state a read is against: a named tag or a block number.
class BlockId {
public:
    static BlockId latest() { return BlockId("latest"); }
    static BlockId pending() { return BlockId("pending"); }
    static BlockId safe() { return BlockId("safe"); }
    static BlockId finalized() { return BlockId("finalized"); }
    static BlockId earliest() { return BlockId("earliest"); }
    static BlockId number(std::uint64_t n) { return BlockId(n); }

    nlohmann::json to_json() const;  // "latest" or "0x1b4"

private:
    explicit BlockId(const char* tag) : id_(std::string(tag)) {}
    explicit BlockId(std::uint64_t n) : id_(n) {}
    std::variant<std::string, std::uint64_t> id_;
};

// The transaction-like object of eth_call and eth_estimateGas.
struct CallRequest {
    std::optional<Address> from;
    std::optional<Address> to;  // nullopt: contract creation
    Bytes data;
    std::optional<U256> value;
    std::optional<std::uint64_t> gas;

    nlohmann::json to_json() const;
};

struct Log {
    Address address;
    std::vector<Bytes32> topics;
    Bytes data;
    std::optional<std::uint64_t> block_number;  // null while pending
    std::optional<Bytes32> block_hash;          // ties the log to one fork of its height
    std::optional<Bytes32> transaction_hash;
    std::optional<std::uint64_t> log_index;
    bool removed = false;  // true when a reorg dropped it
};

struct Receipt {
    Bytes32 transaction_hash;
    Bytes32 block_hash;
    std::uint64_t block_number = 0;
    Address from;
    std::optional<Address> to;                // nullopt for contract creation
    std::optional<Address> contract_address;  // set for contract creation
    bool success = false;                     // status 0x1
    U256 gas_used;
    U256 effective_gas_price;
    std::vector<Log> logs;
};

struct BlockHeader {
    std::uint64_t number = 0;
    Bytes32 hash;
    Bytes32 parent_hash;
    std::uint64_t timestamp = 0;
    std::optional<U256> base_fee_per_gas;  // nullopt before London
};

// A transaction the node holds unmined, as eth_subscribe("newPendingTransactions",
// true) and eth_getTransactionByHash deliver it: what a pending-mode keeper
// needs to recognise an oracle update and order itself behind it.
struct PendingTransaction {
    Bytes32 hash;
    Address from;
    std::optional<Address> to;  // nullopt: contract creation
    Bytes input;
    // maxPriorityFeePerGas (type 2 and later), else gasPrice (legacy, 2930):
    // the most it tips the block's producer.
    U256 priority_fee_wei;
};

Result<Log> decode_log(const nlohmann::json& object);
Result<Receipt> decode_receipt(const nlohmann::json& object);
Result<BlockHeader> decode_block_header(const nlohmann::json& object);
Result<PendingTransaction> decode_pending_transaction(const nlohmann::json& object);

}  // namespace keeper::chain

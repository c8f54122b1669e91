#pragma once
// A chain for daemon tests, served through a ScriptedNode: blocks 0..height,
// each with one log of contract A (topic A) and one of contract B (topic B);
// from `fork_from` on the hashes carry `fork` (a reorg replaced them).
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "chain/rpc_types.hpp"
#include "scripted_node.hpp"

namespace keeper::testing {

using nlohmann::json;

inline std::string quantity(std::uint64_t n) { return U256(n).to_hex(); }
inline Bytes32 word(std::uint64_t n, std::uint8_t fork = 0) {
    Bytes32 b;
    b.bytes[0] = fork;
    for (int i = 0; i < 8; ++i) b.bytes[31 - i] = static_cast<std::uint8_t>(n >> (8 * i));
    return b;
}

inline const Address kA = Address::parse("0x00000000000000000000000000000000000000a1").value();
inline const Address kB = Address::parse("0x00000000000000000000000000000000000000b1").value();
inline const Bytes32 kTopicA = word(0xa, 0xee), kTopicB = word(0xb, 0xee);

// Blocks 0..n with one log of A and one of B in every block; `fork` changes
// the hashes from `fork_from` on (a reorg).
struct ScriptedChain {
    std::uint64_t height = 0;
    std::uint8_t fork = 0;
    std::uint64_t fork_from = UINT64_MAX;

    Bytes32 hash(std::uint64_t n) const { return word(n + 1, n >= fork_from ? fork : 0); }
    json header(std::uint64_t n) const {
        return {{"number", quantity(n)}, {"hash", hash(n).hex()}, {"parentHash", n == 0 ? Bytes32{}.hex() : hash(n - 1).hex()},
                {"timestamp", quantity(1000 + n)}};
    }
    chain::BlockHeader block(std::uint64_t n) const {
        chain::BlockHeader h;
        h.number = n;
        h.hash = hash(n);
        h.parent_hash = n == 0 ? Bytes32{} : hash(n - 1);
        h.timestamp = 1000 + n;
        return h;
    }
    void serve(ScriptedNode& node) {
        node.methods["eth_getBlockByNumber"] = [this](const json& params) {
            const auto id = params[0].get<std::string>();
            const std::uint64_t n = id == "latest" ? height : U256::from_hex(id).value().low64();
            return n > height ? json(nullptr) : header(n);
        };
        node.methods["eth_getLogs"] = [this](const json& params) {
            const auto& f = params[0];
            const std::uint64_t from = U256::from_hex(f["fromBlock"].get<std::string>()).value().low64();
            const std::uint64_t to = U256::from_hex(f["toBlock"].get<std::string>()).value().low64();
            std::set<std::string> addresses;
            for (const auto& a : f["address"]) addresses.insert(a.get<std::string>());
            json logs = json::array();
            std::uint64_t index = 0;
            for (std::uint64_t n = from; n <= to; ++n)
                for (const auto& [address, topic] : {std::pair{kA, kTopicA}, std::pair{kB, kTopicB}}) {
                    if (!addresses.contains(address.hex())) continue;
                    logs.push_back({{"address", address.hex()}, {"topics", {topic.hex()}}, {"data", "0x"},
                                    {"blockNumber", quantity(n)}, {"blockHash", hash(n).hex()},
                                    {"transactionHash", word(n, 7).hex()}, {"logIndex", quantity(index++)}});
                }
            return logs;
        };
    }
};

}  // namespace keeper::testing

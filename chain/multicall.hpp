#pragma once
// Many read-only calls in one eth_call through an aggregator contract with
// Multicall3's `aggregate3((address,bool,bytes)[]) returns ((bool,bytes)[])`:
// the canonical Multicall3 on real chains, or contracts/Multicall.sol (same
// ABI) that ensure_multicall() deploys on a fresh test chain.
//
// Large batches are split into chunks of at most `max_calls_per_eth_call`
// calls (a node caps eth_call gas and response size); the chunks travel in
// one JSON-RPC batch request. Pin `block` to a number when the results must
// come from one state: "latest" may move between chunks.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/rpc_error.hpp"
#include "chain/rpc_types.hpp"
#include "chain/transaction.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper::chain {

// 0xcA11bde05977b3631167028862bE2a173976CA11, the same on every chain that has it.
Address canonical_multicall3_address();

struct SubCall {
    Address target;
    Bytes call_data;
    // false: a revert of this call reverts the whole chunk (an RpcError).
    // true: it comes back as success = false with the revert data.
    bool allow_failure = true;
};

struct SubCallOutcome {
    bool success = false;
    Bytes return_data;  // the revert data when !success

    // The return data, or an error "sub-call reverted: <reason>" naming the
    // Error(string) reason or the raw revert bytes.
    Result<Bytes> value() const;
    friend bool operator==(const SubCallOutcome&, const SubCallOutcome&) = default;
};

struct MulticallOptions {
    std::size_t max_calls_per_eth_call = 500;  // >= 1
    std::optional<std::uint64_t> gas;          // per eth_call; default: the node's cap
};

// The calldata of aggregate3(calls) (selector 0x82ad56cb).
Bytes encode_aggregate3(std::span<const SubCall> calls);
// aggregate3's return data; untrusted: must decode and hold exactly `expected_count` results.
Result<std::vector<SubCallOutcome>> decode_aggregate3(ByteView return_data, std::size_t expected_count);

class Multicall {
public:
    Multicall(JsonRpcClient& client, Address aggregator, MulticallOptions options = {});

    // Entry i is the outcome of calls[i]. An error (transport, node, a revert
    // of a call with allow_failure = false, malformed answer) fails the whole
    // batch and names the chunk.
    RpcResult<std::vector<SubCallOutcome>> aggregate3(std::span<const SubCall> calls,
                                                      const BlockId& block = BlockId::latest());

    const Address& aggregator() const { return aggregator_; }
    const MulticallOptions& options() const { return options_; }

private:
    JsonRpcClient* client_;
    Address aggregator_;
    MulticallOptions options_;
};

// For test chains: the canonical Multicall3 if the chain has code there,
// else deploys `init_code` (contracts/Multicall.sol, compiled by the caller:
// the keeper itself never needs solc) from `deployer` and returns the new
// address. Waits for the receipt by polling up to `receipt_polls` times
// `poll_interval` apart (anvil's automine answers on the first).
struct DeployOptions {
    std::uint32_t receipt_polls = 100;
    std::chrono::milliseconds poll_interval{100};
};
Result<Address> ensure_multicall(JsonRpcClient& client, const PrivateKey& deployer, ByteView init_code,
                                 const DeployOptions& options = {});

// eth_getCode(account, block) as bytes (empty for an account without code).
RpcResult<Bytes> get_code(JsonRpcClient& client, const Address& account, const BlockId& block = BlockId::latest());

}  // namespace keeper::chain

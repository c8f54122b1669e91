#pragma once
// What every protocol's liquidator does the same way: read an ERC-20, make
// sure a spender may pull a token (one journaled approval of the maximum),
// and walk the in-flight work it owns to its final outcome.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "chain/rpc_client.hpp"
#include "chain/tx_shepherd.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/daemon/work_errors.hpp"

namespace keeper::app {

// balanceOf/allowance-style call returning one uint256.
Result<U256> read_erc20(chain::JsonRpcClient& client, const Bytes& calldata, const Address& token,
                        const chain::BlockId& block);

// What a mined liquidation really moved for `holder`: its balances of both
// tokens at the end of `block` against the end of the block before. Only one
// of debt_spent (repaid from own funds) and debt_gain (a flash loan's profit,
// paid in the debt token) is non-zero. Nullopt when a read fails or the
// collateral balance fell (something else moved it in that block).
struct RealisedBalances {
    U256 collateral_gain;
    U256 debt_spent;
    U256 debt_gain;
};
std::optional<RealisedBalances> realised_balances(chain::JsonRpcClient& client, const Address& holder,
                                                  const Address& collateral, const Address& debt,
                                                  std::uint64_t block);

// The journal key of the approval of `spender` for `token`.
std::string approval_key(const Address& token, const Address& spender);

// True when `owner` already lets `spender` pull `token` without limit; else
// sends (once: never while one is open) approve(spender, max) and returns
// false, so the caller waits for it to confirm.
Result<bool> ensure_allowance(chain::JsonRpcClient& client, JournaledSender& sender, const Address& owner,
                              const Address& token, const Address& spender, std::uint64_t head_block,
                              const std::function<void(const std::string&)>& info);

// Checks every in-flight entry `owns` accepts; `settled_at` learns the block
// of each final outcome (or the head for a nonce used elsewhere), `confirmed`
// hears each receipt.
void check_owned_work(JournaledSender& sender, const chain::BlockHeader& head,
                      const std::function<bool(const SentWork&)>& owns,
                      std::map<std::string, std::uint64_t>& settled_at,
                      const std::function<void(const SentWork&, const chain::Receipt&)>& confirmed,
                      const std::function<void(const std::string&)>& warn);

// What check_owned_work does with one outcome: logs the shepherd's note and
// errors, records when final work settled, and hands real receipts (not a
// nonce fill's) to `confirmed`.
void report_outcome(const SentWork& work, const Result<WorkOutcome>& outcome, const chain::BlockHeader& head,
                    std::map<std::string, std::uint64_t>& settled_at,
                    const std::function<void(const SentWork&, const chain::Receipt&)>& confirmed,
                    const std::function<void(const std::string&)>& warn);

// This round's fees, read once per round: a node that cannot price gas stops
// this round's sends (counted under "<protocol>: fee history", logged once
// per change, skipped with backoff), not the round.
std::optional<chain::Eip1559Fees> read_round_fees(chain::JsonRpcClient& client, const chain::ShepherdPolicy& policy,
                                                  const std::string& protocol_key, WorkErrors& errors,
                                                  std::uint64_t head_block);

}  // namespace keeper::app

#include "keeper/daemon/liquidator_support.hpp"

#include <vector>

#include "chain/morpho/morpho_calls.hpp"

namespace keeper::app {

Result<U256> read_erc20(chain::JsonRpcClient& client, const Bytes& calldata, const Address& token,
                        const chain::BlockId& block) {
    auto answer = client.eth_call(chain::CallRequest{std::nullopt, token, calldata, std::nullopt, std::nullopt}, block);
    if (!answer) return std::unexpected(context("reading token " + token.checksummed(), Error(answer.error())));
    return chain::morpho_blue::decode_uint256(*answer);
}

std::optional<RealisedBalances> realised_balances(chain::JsonRpcClient& client, const Address& holder,
                                                  const Address& collateral, const Address& debt,
                                                  std::uint64_t block) {
    if (block == 0) return std::nullopt;
    const Bytes of_holder = chain::morpho_blue::encode_erc20_balance_of(holder);
    const auto before = chain::BlockId::number(block - 1);
    const auto after = chain::BlockId::number(block);
    auto c0 = read_erc20(client, of_holder, collateral, before), c1 = read_erc20(client, of_holder, collateral, after);
    auto d0 = read_erc20(client, of_holder, debt, before), d1 = read_erc20(client, of_holder, debt, after);
    if (!c0 || !c1 || !d0 || !d1 || *c1 < *c0) return std::nullopt;
    RealisedBalances r;
    r.collateral_gain = *c1 - *c0;
    if (*d0 >= *d1) r.debt_spent = *d0 - *d1;
    else r.debt_gain = *d1 - *d0;
    return r;
}

std::string approval_key(const Address& token, const Address& spender) {
    return "approve:" + token.hex() + ":" + spender.hex();
}

Result<bool> ensure_allowance(chain::JsonRpcClient& client, JournaledSender& sender, const Address& owner,
                              const Address& token, const Address& spender, std::uint64_t head_block,
                              const std::function<void(const std::string&)>& info) {
    const std::string key = approval_key(token, spender);
    if (sender.has_open(key)) return false;
    auto allowance = read_erc20(client, chain::morpho_blue::encode_erc20_allowance(owner, spender), token,
                                chain::BlockId::latest());
    if (!allowance) return std::unexpected(allowance.error());
    if (*allowance >= (U256::max() >> 1)) return true;
    const Bytes data = chain::morpho_blue::encode_erc20_approve(spender, U256::max());
    auto gas = client.estimate_gas(chain::CallRequest{owner, token, data, std::nullopt, std::nullopt});
    if (!gas) return std::unexpected(context("approve " + token.checksummed(), Error(gas.error())));
    auto sent = sender.send(key, chain::TxIntent{token, data, U256(), chain::GasLimit{*gas * 2}}, head_block,
                            "{\"approve\":\"" + token.checksummed() + "\"}", head_block);
    if (!sent) return std::unexpected(sent.error());
    info("approving " + spender.checksummed() + " to spend " + token.checksummed());
    return false;
}

void check_owned_work(JournaledSender& sender, const chain::BlockHeader& head,
                      const std::function<bool(const SentWork&)>& owns,
                      std::map<std::string, std::uint64_t>& settled_at,
                      const std::function<void(const SentWork&, const chain::Receipt&)>& confirmed,
                      const std::function<void(const std::string&)>& warn) {
    std::vector<SentWork> mine;
    for (const auto& [id, work] : sender.in_flight())
        if (owns(work)) mine.push_back(work);
    for (const auto& work : mine) {
        auto outcome = sender.check(work.journal_id, head.number);
        report_outcome(work, outcome, head, settled_at, confirmed, warn);
    }
}

void report_outcome(const SentWork& work, const Result<WorkOutcome>& outcome, const chain::BlockHeader& head,
                    std::map<std::string, std::uint64_t>& settled_at,
                    const std::function<void(const SentWork&, const chain::Receipt&)>& confirmed,
                    const std::function<void(const std::string&)>& warn) {
    if (!outcome) {
        warn("checking " + work.work_key + ": " + outcome.error().message);
        return;
    }
    if (!outcome->note.empty()) warn(work.work_key + ": " + outcome->note);
    switch (outcome->status) {
        case chain::TxStatus::pending:
        case chain::TxStatus::mined:
            break;
        case chain::TxStatus::confirmed:
            settled_at[work.work_key] = outcome->receipt->block_number;
            if (outcome->filled) {
                warn(work.work_key + ": nonce " + std::to_string(work.tx.nonce.value) +
                     " filled by our 0-value transfer in block " + std::to_string(outcome->receipt->block_number) +
                     " (tx " + outcome->receipt->transaction_hash.hex() + "); the work was not done");
                break;
            }
            if (confirmed) confirmed(work, *outcome->receipt);
            break;
        case chain::TxStatus::abandoned:
            settled_at[work.work_key] = head.number;
            break;
        case chain::TxStatus::nonce_used_elsewhere:
            settled_at[work.work_key] = head.number;
            warn(work.work_key + ": nonce " + std::to_string(work.tx.nonce.value) +
                 " was used by another transaction of this key; the work will be looked at again");
            break;
    }
}

std::optional<chain::Eip1559Fees> read_round_fees(chain::JsonRpcClient& client, const chain::ShepherdPolicy& policy,
                                                  const std::string& protocol_key, WorkErrors& errors,
                                                  std::uint64_t head_block) {
    const std::string fee_key = protocol_key + ": fee history";
    if (errors.skips(fee_key, head_block)) return std::nullopt;
    auto history = chain::read_fee_history(client, policy.fee_history_blocks, policy.reward_percentile);
    if (!history) {
        errors.failed(fee_key, head_block, fee_key + ": " + history.error().message);
        return std::nullopt;
    }
    auto chosen = chain::choose_fees(*history, policy.caps);
    if (!chosen) {
        errors.failed(fee_key, head_block, fee_key + ": " + chosen.error().message);
        return std::nullopt;
    }
    errors.succeeded(fee_key);
    return *chosen;
}

}  // namespace keeper::app

#include "keeper/daemon/liquidator_support.hpp"

#include <vector>

#include "chain/morpho/morpho_calls.hpp"

namespace keeper::app {

Result<U256> read_erc20(chain::JsonRpcClient& client, const Bytes& calldata, const Address& token,
                        const chain::BlockId& block) {
    auto answer = client.eth_call(chain::CallRequest{std::nullopt, token, calldata, std::nullopt, std::nullopt}, block);
    if (!answer) return fail("reading token " + token.checksummed() + ": " + answer.error().message);
    return chain::morpho_blue::decode_uint256(*answer);
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
    if (!gas) return fail("approve " + token.checksummed() + ": " + gas.error().message);
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
        if (!outcome) {
            warn("checking " + work.work_key + ": " + outcome.error().message);
            continue;
        }
        switch (outcome->status) {
            case chain::TxStatus::pending:
            case chain::TxStatus::mined:
                break;
            case chain::TxStatus::confirmed:
                settled_at[work.work_key] = outcome->receipt->block_number;
                confirmed(work, *outcome->receipt);
                break;
            case chain::TxStatus::nonce_used_elsewhere:
                settled_at[work.work_key] = head.number;
                warn(work.work_key + ": nonce " + std::to_string(work.tx.nonce.value) +
                     " was used by another transaction of this key; the work will be looked at again");
                break;
        }
    }
}

}  // namespace keeper::app

#include "protocols/aave_v3/aave_v3_decide.hpp"

#include <algorithm>

#include "chain/aave/aave_calls.hpp"
#include "core/abi_signature.hpp"
#include "protocols/health_text.hpp"
#include "strategies/aave_liquidation_plan.hpp"

namespace keeper::protocols::aave_v3 {
namespace {

// AaveFlashLiquidator.liquidate: flash-borrows the debt asset, liquidates,
// swaps the seized collateral back through its configured swapper and repays.
Bytes encode_flash_liquidate(const Address& collateral, const Address& debt, const Address& user,
                             const U256& debt_to_cover) {
    static const abi::Function liquidate = abi::parse_function("liquidate(address,address,address,uint256)").value();
    const abi::Value args[] = {abi::Value(collateral), abi::Value(debt), abi::Value(user), abi::Value(debt_to_cover)};
    return abi::encode_call(liquidate, args).value();
}

const AaveReserveAtBlock* reserve_by_id(const std::vector<AaveReserveAtBlock>& reserves, unsigned id) {
    for (const auto& r : reserves)
        if (r.data.id == id) return &r;
    return nullptr;
}

std::string subject_of(const AaveAccountHealth& account) { return "Aave account " + account.account.checksummed(); }

}  // namespace

std::string work_key(const Address& pool, const Address& user) { return "aave-v3:" + pool.hex() + ":" + user.hex(); }

std::vector<FundingToken> funding_tokens(const AaveSnapshot& snapshot, const DecisionInput& input,
                                         const DecideSettings& settings) {
    std::vector<FundingToken> tokens;
    if (settings.flash_liquidator) return tokens;
    for (const auto& account : snapshot.accounts) {
        if (!account.liquidatable || input.busy.contains(work_key(snapshot.pool, account.account))) continue;
        for (const auto& r : account.input.reserves) {
            if (!account.input.config.is_borrowing(r.id)) continue;
            const AaveReserveAtBlock* reserve = reserve_by_id(snapshot.reserves, r.id);
            if (reserve == nullptr) continue;
            if (std::none_of(tokens.begin(), tokens.end(), [&](const FundingToken& t) { return t.token == reserve->asset; }))
                tokens.push_back({reserve->asset, "reserve " + reserve->asset.checksummed()});
        }
    }
    return tokens;
}

Decisions decide(const AaveSnapshot& snapshot, const DecisionInput& input, const DecideSettings& settings) {
    Decisions out;
    Holdings left = input.holdings;  // what this round's earlier liquidations leave
    const strategies::AaveProfitRules rules{settings.min_profit_base, settings.max_debt_spend_base,
                                            settings.receive_a_token};
    // The native token's oracle price is base units per 1e18 wei: x 1e18 gives base per wei x 1e36.
    std::optional<U256> native_price_1e36;
    if (settings.native_token)
        for (const auto& r : snapshot.reserves)
            if (r.asset == *settings.native_token) native_price_1e36 = r.price * U256::pow10(18);
    for (const AaveAccountHealth& account : snapshot.accounts) {
        if (!account.liquidatable) continue;
        const std::string key = work_key(snapshot.pool, account.account);
        if (input.busy.contains(key)) continue;
        strategies::AaveFunding funding;
        // A debt reserve whose token cannot be read is left out of this
        // account's choices; the account is still liquidated through its
        // other debts if one pays.
        bool reserve_unread = false;
        if (settings.flash_liquidator) {
            if (!snapshot.flash_premium_bps) {
                ++out.skipped_unread;
                continue;
            }
            funding.flash_loan = true;
            funding.flash_premium_bps = *snapshot.flash_premium_bps;
        } else {
            for (const auto& r : account.input.reserves) {
                if (!account.input.config.is_borrowing(r.id)) continue;
                const AaveReserveAtBlock* reserve = reserve_by_id(snapshot.reserves, r.id);
                if (reserve == nullptr) continue;
                if (const U256* held = left.find(reserve->asset)) funding.debt_balances[r.id] = *held;
                else reserve_unread = true;
            }
        }
        auto plan = strategies::plan_aave_liquidation(snapshot.rules, account.input, funding, rules, std::nullopt);
        if (!plan || !plan->worth_sending) {
            if (reserve_unread) {  // the reserve that failed might have paid: not a decline
                ++out.skipped_unread;
                continue;
            }
            out.declined.push_back({key, subject_of(account), plan ? plan->reason : plan.error().message});
            continue;
        }
        const AaveReserveAtBlock* collateral = reserve_by_id(snapshot.reserves, plan->call.collateral_reserve_id);
        const AaveReserveAtBlock* debt = reserve_by_id(snapshot.reserves, plan->call.debt_reserve_id);
        if (collateral == nullptr || debt == nullptr) continue;
        const U256 seized = plan->quote.amounts.collateral_to_liquidator;
        const U256 repaid = plan->quote.amounts.debt_to_repay;
        Action action;
        action.kind = ActionKind::liquidate;
        action.protocol_key = settings.protocol_key;
        action.work_key = key;
        action.to = settings.flash_liquidator.value_or(snapshot.pool);
        action.calldata =
            settings.flash_liquidator
                ? encode_flash_liquidate(collateral->asset, debt->asset, account.account, plan->call.debt_to_cover)
                : chain::aave_v3::encode_liquidation_call(collateral->asset, debt->asset, account.account,
                                                          plan->call.debt_to_cover, settings.receive_a_token);
        if (!settings.flash_liquidator) action.spends.push_back({debt->asset, snapshot.pool, repaid});
        action.gas = GasRule{settings.gas_margin_percent, 0};
        action.profit.before_gas = plan->profit_base;
        action.profit.unit = "base units";
        action.profit.unit_per_wei_1e36 = native_price_1e36;
        action.profit.min_after_gas = settings.min_profit_base;
        // aTokens received instead of the collateral are not counted in balances.
        action.prediction = Prediction{account.account, Bytes32{}, collateral->asset, debt->asset, seized, repaid,
                                       !settings.receive_a_token};
        action.subject = subject_of(account);
        action.summary = "health factor " + wad_to_decimal(account.data.health_factor_wad) + ", repay " +
                         repaid.to_dec() + " of " + debt->asset.checksummed() + ", seize " + seized.to_dec() + " of " +
                         collateral->asset.checksummed() + (plan->flash_loan ? " with a flash loan" : "") +
                         (plan->reason.empty() ? "" : " (" + plan->reason + ")");
        if (!settings.flash_liquidator)
            if (auto it = left.balance_of.find(debt->asset); it != left.balance_of.end())
                it->second = it->second >= repaid ? it->second - repaid : U256();
        out.actions.push_back(std::move(action));
    }
    return out;
}

}  // namespace keeper::protocols::aave_v3

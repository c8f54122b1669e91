#include "protocols/morpho_blue/morpho_blue_decide.hpp"

#include <algorithm>

#include "chain/morpho/morpho_calls.hpp"

namespace keeper::protocols::morpho_blue {
namespace {

const MarketAtBlock* market_of(const MorphoSnapshot& snapshot, const morpho::MarketId& id) {
    for (const auto& m : snapshot.markets)
        if (m.id == id) return &m;
    return nullptr;
}

std::string subject_of(const PositionHealth& pos) {
    return pos.account.checksummed() + " in market " + pos.market.hex();
}

}  // namespace

std::string work_key(const morpho::MarketId& market, const Address& borrower) {
    return "morpho-blue:" + market.hex() + ":" + borrower.hex();
}

std::vector<FundingToken> funding_tokens(const MorphoSnapshot& snapshot, const DecisionInput& input) {
    std::vector<FundingToken> tokens;
    for (const auto& pos : snapshot.positions) {
        if (!pos.liquidatable || input.busy.contains(work_key(pos.market, pos.account))) continue;
        const MarketAtBlock* market = market_of(snapshot, pos.market);
        if (market == nullptr) continue;
        const Address& loan = market->params.loan_token;
        if (std::none_of(tokens.begin(), tokens.end(), [&](const FundingToken& t) { return t.token == loan; }))
            tokens.push_back({loan, "market " + pos.market.hex() + ": loan token " + loan.checksummed()});
    }
    return tokens;
}

Decisions decide(const MorphoSnapshot& snapshot, const DecisionInput& input, const DecideSettings& settings) {
    Decisions out;
    Holdings left = input.holdings;  // what this round's earlier liquidations leave
    for (const PositionHealth& pos : snapshot.positions) {
        if (!pos.liquidatable) continue;
        const std::string key = work_key(pos.market, pos.account);
        if (input.busy.contains(key)) continue;
        const MarketAtBlock* market = market_of(snapshot, pos.market);
        if (market == nullptr) continue;
        const Address loan_token = market->params.loan_token;
        U256* balance = left.balance_of.contains(loan_token) ? &left.balance_of[loan_token] : nullptr;
        if (balance == nullptr) {
            ++out.skipped_unread;  // its loan token's balance could not be read
            continue;
        }
        // One wei of head-room: with interest accrued between quote and
        // inclusion the repaid amount can round one wei higher.
        const U256 spendable = balance->is_zero() ? U256() : *balance - U256(1);
        // The largest request repays exactly the borrower's shares at today's
        // share price. Other liquidations landing first (each rounds the
        // market's borrow assets up, and bad debt is rounded up too) can lower
        // that price by a few wei, and the same request would then repay more
        // shares than the borrower has and revert. Sizing against all but one
        // millionth of the shares keeps the request valid through that.
        morpho::Position sized_against = pos.position;
        sized_against.borrow_shares = pos.position.borrow_shares - pos.position.borrow_shares / U256(1'000'000);
        const strategies::MorphoLiquidationInputs inputs{market->params, market->accrued, sized_against,
                                                         market->price_1e36, spendable};
        auto plan = strategies::plan_morpho_liquidation(inputs, settings.rules, std::nullopt);
        if (!plan) {
            out.declined.push_back({key, subject_of(pos), plan.error().message});
            continue;
        }
        if (!plan->worth_sending) {  // before gas: after gas it pays even less
            out.declined.push_back({key, subject_of(pos), plan->reason});
            continue;
        }
        Action action;
        action.kind = ActionKind::liquidate;
        action.protocol_key = settings.protocol_key;
        action.work_key = key;
        action.to = settings.morpho;
        action.calldata =
            chain::morpho_blue::encode_liquidate(market->params, pos.account, plan->request.seized_assets, U256());
        action.spends.push_back({loan_token, settings.morpho, plan->repaid_assets});
        action.gas = GasRule{settings.gas_margin_percent, kAccrualGasAllowance};
        action.profit.before_gas = plan->profit_loan;
        action.profit.unit = "loan";
        if (const auto p = settings.native_price_1e36.find(loan_token); p != settings.native_price_1e36.end())
            action.profit.unit_per_wei_1e36 = p->second;
        action.profit.min_after_gas = settings.rules.min_profit_loan;
        action.prediction = Prediction{pos.account, pos.market, market->params.collateral_token, loan_token,
                                       plan->request.seized_assets, plan->repaid_assets, true};
        action.subject = subject_of(pos);
        action.summary = "seize " + plan->request.seized_assets.to_dec() + " collateral, repay " +
                         plan->repaid_assets.to_dec() + " loan" +
                         (plan->reason.empty() ? "" : " (" + plan->reason + ")");
        *balance = *balance >= plan->repaid_assets ? *balance - plan->repaid_assets : U256();
        out.actions.push_back(std::move(action));
    }
    return out;
}

}  // namespace keeper::protocols::morpho_blue

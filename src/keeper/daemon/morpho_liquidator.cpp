#include "keeper/daemon/morpho_liquidator.hpp"

#include <nlohmann/json.hpp>

#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "core/hex.hpp"
#include "keeper/daemon/liquidator_support.hpp"
#include "keeper/daemon/work_memory.hpp"

namespace keeper::app {
namespace {

std::string amount(const U256& v) { return v.to_dec(); }

// What the engine predicts for one liquidation, before anything is simulated or sent.
LiquidationRecord predicted_record(const PositionHealth& pos, const strategies::LiquidationPlan& plan,
                                   const Bytes& calldata, bool dry_run) {
    LiquidationRecord record;
    record.market = pos.market;
    record.borrower = pos.account;
    record.predicted_seized = plan.request.seized_assets;
    record.predicted_repaid = plan.repaid_assets;
    record.predicted_profit_loan = plan.profit_loan;
    record.calldata_hex = hex::encode(calldata);
    record.dry_run = dry_run;
    return record;
}

}  // namespace

MorphoLiquidator::MorphoLiquidator(chain::JsonRpcClient& client, Address morpho, std::string protocol_key,
                                   Address liquidator, LiquidatorSettings settings, JournaledSender* sender, Log info,
                                   Log warn)
    : client_(client),
      morpho_(morpho),
      protocol_key_(std::move(protocol_key)),
      liquidator_(liquidator),
      settings_(std::move(settings)),
      sender_(sender),
      info_(std::move(info)),
      warn_(std::move(warn)),
      errors_(warn_, info_) {}

std::string MorphoLiquidator::work_key(const morpho::MarketId& market, const Address& borrower) {
    return "morpho-blue:" + market.hex() + ":" + borrower.hex();
}

// Liquidations go to this Morpho; approvals name it as the spender in their key.
bool MorphoLiquidator::owns(const SentWork& work) const {
    return work.tx.intent.to == morpho_ ||
           (work.work_key.starts_with("approve:") && work.work_key.ends_with(":" + morpho_.hex()));
}

bool MorphoLiquidator::busy() const {
    if (sender_ == nullptr) return false;
    for (const auto& [id, work] : sender_->in_flight())
        if (owns(work)) return true;
    return false;
}

Result<U256> MorphoLiquidator::erc20_read(const Bytes& calldata, const Address& token, const chain::BlockId& block) {
    return read_erc20(client_, calldata, token, block);
}

// Morpho pulls the repaid loan tokens with transferFrom: without an allowance
// every liquidation reverts. One approval of the maximum per loan token.
Result<bool> MorphoLiquidator::ensure_allowance(const Address& loan_token, std::uint64_t head_block) {
    return app::ensure_allowance(client_, *sender_, liquidator_, loan_token, morpho_, head_block, info_);
}

Result<void> MorphoLiquidator::check_in_flight(const chain::BlockHeader& head) {
    if (sender_ == nullptr) return {};
    check_owned_work(
        *sender_, head, [this](const SentWork& work) { return owns(work); }, settled_at_,
        [this](const SentWork& work, const chain::Receipt& receipt) { finish(work, receipt); }, warn_);
    std::set<std::int64_t> open;
    for (const auto& [id, work] : sender_->in_flight()) open.insert(id);
    forget_unless_in_flight(record_of_journal_, open);
    return {};
}

void MorphoLiquidator::finish(const SentWork& work, const chain::Receipt& receipt) {
    if (work.work_key.starts_with("approve:")) {
        if (receipt.success) info_("approval confirmed in block " + std::to_string(receipt.block_number));
        else warn_("approval reverted in block " + std::to_string(receipt.block_number));
        return;
    }
    const auto detail = nlohmann::json::parse(work.detail, nullptr, false);
    LiquidationRecord record;
    if (const auto known = record_of_journal_.find(work.journal_id); known != record_of_journal_.end()) {
        record = records_[known->second];
    } else if (!detail.is_discarded()) {
        // Sent before a restart: the journal's detail holds the prediction.
        auto text = [&](const char* field) {
            return detail.contains(field) && detail[field].is_string() ? detail[field].get<std::string>() : "";
        };
        if (auto b = Address::parse(text("borrower"))) record.borrower = *b;
        if (auto m = hex::decode_exact(text("market"), 32)) record.market = Bytes32::from_bytes(*m).value();
        if (auto v = U256::from_dec(text("seized"))) record.predicted_seized = *v;
        if (auto v = U256::from_dec(text("repaid"))) record.predicted_repaid = *v;
        if (auto v = U256::from_dec(text("profit_loan"))) record.predicted_profit_loan = *v;
    }
    record.tx_hash = receipt.transaction_hash;
    record.success = receipt.success;
    record.block = receipt.block_number;
    record.gas_used = receipt.gas_used;
    if (!receipt.success) {
        warn_("liquidation " + work.work_key + " reverted in block " + std::to_string(receipt.block_number) + " (tx " +
              receipt.transaction_hash.hex() + ")");
    } else {
        for (const auto& log : receipt.logs) {
            if (log.address != morpho_) continue;
            auto event = chain::morpho_blue::decode_event(log);
            if (!event || !event->has_value()) continue;
            if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event)) {
                record.seized = liq->seized_assets;
                record.repaid_assets = liq->repaid_assets;
            }
        }
        // The real outcome for the liquidator: balances before and after the block.
        if (!detail.is_discarded() && detail.contains("loan_token") && detail.contains("collateral_token")) {
            auto loan = Address::parse(detail["loan_token"].get<std::string>());
            auto coll = Address::parse(detail["collateral_token"].get<std::string>());
            if (loan && coll && receipt.block_number > 0) {
                const auto before = chain::BlockId::number(receipt.block_number - 1);
                const auto after = chain::BlockId::number(receipt.block_number);
                const Bytes of_me = chain::morpho_blue::encode_erc20_balance_of(liquidator_);
                auto c0 = erc20_read(of_me, *coll, before), c1 = erc20_read(of_me, *coll, after);
                auto l0 = erc20_read(of_me, *loan, before), l1 = erc20_read(of_me, *loan, after);
                if (c0 && c1 && l0 && l1 && *c1 >= *c0 && *l0 >= *l1) {
                    record.realised_collateral_gain = *c1 - *c0;
                    record.realised_loan_spent = *l0 - *l1;
                }
            }
        }
        std::string line = "liquidated " + record.borrower.checksummed() + " in market " + record.market.hex() +
                           ": seized " + (record.seized ? amount(*record.seized) : "?") + " (predicted " +
                           amount(record.predicted_seized) + "), repaid " +
                           (record.repaid_assets ? amount(*record.repaid_assets) : "?") + ", gas used " +
                           amount(receipt.gas_used) + ", block " + std::to_string(receipt.block_number) + ", tx " +
                           receipt.transaction_hash.hex();
        if (record.seized && *record.seized != record.predicted_seized)
            warn_(line + ": SEIZED AMOUNT DIFFERS FROM THE PREDICTION");
        else
            info_(line);
    }
    if (const auto known = record_of_journal_.find(work.journal_id); known != record_of_journal_.end())
        records_[known->second] = record;
    else
        records_.push_back(record);
}

Result<void> MorphoLiquidator::act(std::span<const PositionHealth> positions, std::span<const MarketAtBlock> markets,
                                   const chain::BlockHeader& head, std::uint64_t synced_through) {
    declined_.clear();
    awaiting_sync_ = 0;
    errors_.start_round();
    forget_settled_through(settled_at_, synced_through);
    std::set<std::string> liquidatable;  // work keys of this round's liquidatable positions
    std::map<Address, U256> balances;  // loan-token balance still unspent this block
    std::optional<chain::Eip1559Fees> fees;
    for (const PositionHealth& pos : positions) {
        if (!pos.liquidatable) continue;
        const std::string key = work_key(pos.market, pos.account);
        liquidatable.insert(key);
        if (sender_ != nullptr && sender_->has_open(key)) continue;
        if (const auto settled = settled_at_.find(key); settled != settled_at_.end() && settled->second > synced_through)
        {
            ++awaiting_sync_;
            continue;  // our liquidation landed in a block the book has not applied yet
        }
        const MarketAtBlock* market = nullptr;
        for (const auto& m : markets)
            if (m.id == pos.market) market = &m;
        if (market == nullptr) continue;
        const Address loan_token = market->params.loan_token;
        // A loan token that cannot be read (its balanceOf reverts, say)
        // stops the positions of its market, not the round: they are
        // skipped with backoff, the error logged once per change.
        const std::string market_key = protocol_key_ + ": market " + pos.market.hex() + ": loan token " +
                                       loan_token.checksummed();
        const std::string balance_key = market_key + ": balance", allowance_key = market_key + ": allowance";
        if (errors_.skips(balance_key, head.number) || errors_.skips(allowance_key, head.number) ||
            errors_.skips(key, head.number))
            continue;
        if (!balances.contains(loan_token)) {
            auto balance = erc20_read(chain::morpho_blue::encode_erc20_balance_of(liquidator_), loan_token,
                                      chain::BlockId::latest());
            if (!balance) {
                errors_.failed(balance_key, head.number, balance_key + ": " + balance.error().message);
                continue;
            }
            // A dry run answers "what would it send if funded": an empty
            // balance does not cap the size (the simulation then says why it
            // would revert).
            balances[loan_token] = settings_.dry_run && balance->is_zero() ? U256::max() : *balance;
        }
        errors_.succeeded(balance_key);
        if (sender_ != nullptr) {
            auto approved = ensure_allowance(loan_token, head.number);
            if (!approved) {
                errors_.failed(allowance_key, head.number, allowance_key + ": " + approved.error().message);
                continue;
            }
            errors_.succeeded(allowance_key);
            if (!*approved) continue;
        }

        // One wei of head-room: with interest accrued between quote and
        // inclusion the repaid amount can round one wei higher.
        const U256 spendable = balances[loan_token].is_zero() ? U256() : balances[loan_token] - U256(1);
        // The largest request repays exactly the borrower's shares at today's
        // share price. Other liquidations landing first (each rounds the
        // market's borrow assets up, and bad debt is rounded up too) can lower
        // that price by a few wei, and the same request would then repay more
        // shares than the borrower has and revert. Sizing against all but one
        // millionth of the shares keeps the request valid through that.
        morpho::Position sized_against = pos.position;
        sized_against.borrow_shares = pos.position.borrow_shares - pos.position.borrow_shares / U256(1'000'000);
        strategies::MorphoLiquidationInputs inputs{market->params, market->accrued, sized_against, market->price_1e36,
                                                   spendable};
        auto sized = strategies::plan_morpho_liquidation(inputs, settings_.rules, std::nullopt);
        if (!sized) {
            declined_.insert(key);
            if (reported_[key] != sized.error().message) {
                reported_[key] = sized.error().message;
                info_("liquidatable " + pos.account.checksummed() + " in market " + pos.market.hex() +
                      " left alone: " + sized.error().message);
            }
            continue;
        }
        const Bytes calldata =
            chain::morpho_blue::encode_liquidate(market->params, pos.account, sized->request.seized_assets, U256());
        const chain::CallRequest call{liquidator_, morpho_, calldata, std::nullopt, std::nullopt};
        auto estimate = client_.estimate_gas(call);
        if (!estimate && settings_.dry_run) {
            // Still what it would send: the operator learns why it would
            // fail (often a missing approval or balance of the liquidator).
            const std::string why = "simulation reverted: " + estimate.error().message;
            if (reported_[key] == why) continue;
            reported_[key] = why;
            LiquidationRecord record = predicted_record(pos, *sized, calldata, true);
            record.simulation = why;
            info_("DRY-RUN would liquidate " + pos.account.checksummed() + " in market " + pos.market.hex() +
                  ": seize " + amount(sized->request.seized_assets) + " collateral, repay " +
                  amount(sized->repaid_assets) + " loan, profit " + amount(sized->profit_loan) +
                  " before gas; gas unknown: " + why + "; calldata " + record.calldata_hex);
            records_.push_back(std::move(record));
            continue;
        }
        if (!estimate) {
            const std::string why = "simulation reverted: " + estimate.error().message;
            if (reported_[key] != why) {
                reported_[key] = why;
                warn_("liquidation of " + pos.account.checksummed() + " in market " + pos.market.hex() + " " + why);
            }
            continue;
        }
        // An estimate made when the market has already accrued in the head's
        // second misses the accrual the landing block may do (IRM call and
        // three market writes, ~19-22k gas measured on anvil): a percentage
        // of a ~91k estimate fell short by a few hundred gas and the
        // liquidation ran out of gas. Unused gas is not paid.
        constexpr std::uint64_t kAccrualAllowance = 30'000;
        const std::uint64_t gas_limit =
            strategies::gas_limit_with_margin(*estimate, settings_.gas_margin_percent) + kAccrualAllowance;
        if (!fees) {
            fees = read_round_fees(client_, settings_.shepherd, protocol_key_, errors_, head.number);
            if (!fees) continue;
        }
        std::optional<U256> native_price;
        if (const auto p = settings_.native_price_1e36.find(loan_token); p != settings_.native_price_1e36.end())
            native_price = p->second;
        else if (warned_unpriced_gas_.insert(loan_token).second)
            warn_("no native_price_1e36 for loan token " + loan_token.checksummed() +
                  ": liquidations are judged on profit before gas");
        auto plan = strategies::plan_morpho_liquidation(
            inputs, settings_.rules, strategies::GasCost{gas_limit, fees->max_fee_per_gas_wei, native_price});
        if (!plan) continue;
        if (!plan->worth_sending) {
            declined_.insert(key);
            if (reported_[key] != plan->reason) {
                reported_[key] = plan->reason;
                info_("liquidatable " + pos.account.checksummed() + " in market " + pos.market.hex() +
                      " not worth sending: " + plan->reason);
            }
            continue;
        }

        nlohmann::json detail = {{"market", pos.market.hex()},
                                 {"borrower", pos.account.checksummed()},
                                 {"loan_token", loan_token.checksummed()},
                                 {"collateral_token", market->params.collateral_token.checksummed()},
                                 {"seized", amount(plan->request.seized_assets)},
                                 {"repaid", amount(plan->repaid_assets)},
                                 {"profit_loan", amount(plan->profit_loan)},
                                 {"gas_priced", plan->gas_priced},
                                 {"price_1e36", amount(market->price_1e36)}};
        LiquidationRecord record = predicted_record(pos, *plan, calldata, settings_.dry_run);
        record.gas_limit = gas_limit;
        const std::string summary = pos.account.checksummed() + " in market " + pos.market.hex() + ": seize " +
                                    amount(plan->request.seized_assets) + " collateral, repay " +
                                    amount(plan->repaid_assets) + " loan, gas " + std::to_string(gas_limit) +
                                    " at max fee " + amount(fees->max_fee_per_gas_wei) + " wei, profit " +
                                    amount(plan->profit_loan) + (plan->gas_priced ? " after gas" : " before gas") +
                                    (plan->reason.empty() ? "" : " (" + plan->reason + ")");
        if (settings_.dry_run) {
            if (reported_[key] == detail.dump()) continue;  // this very plan was simulated and logged already
            reported_[key] = detail.dump();
            auto simulated = client_.eth_call(call, chain::BlockId::latest());
            record.simulation = simulated ? "ok" : "reverted: " + simulated.error().message;
            info_("DRY-RUN would liquidate " + summary + "; eth_call " + record.simulation + "; calldata " +
                  record.calldata_hex);
            records_.push_back(std::move(record));
            continue;
        }
        auto sent = sender_->send(key, chain::TxIntent{morpho_, calldata, U256(), chain::GasLimit{gas_limit}},
                                  head.number, detail.dump(), head.number);
        if (!sent) {
            errors_.failed(key, head.number, "sending liquidation of " + pos.account.checksummed() + " in market " +
                                                 pos.market.hex() + ": " + sent.error().message);
            continue;
        }
        errors_.succeeded(key);
        balances[loan_token] = balances[loan_token] - plan->repaid_assets;
        info_("sent liquidation of " + summary);
        record_of_journal_[*sent] = records_.size();
        records_.push_back(std::move(record));
    }
    // What was kept about positions that are no longer liquidatable (or no
    // longer exist) is not needed any more.
    forget_unless_in(reported_, liquidatable);
    errors_.forget_unless(
        [&](const std::string& k) { return !k.starts_with("morpho-blue:") || liquidatable.contains(k); });
    return {};
}


}  // namespace keeper::app

#include "keeper/daemon/action_executor.hpp"

#include <string_view>

#include "chain/morpho/morpho_calls.hpp"
#include "core/hex.hpp"
#include "keeper/daemon/action_journal.hpp"
#include "keeper/daemon/liquidator_support.hpp"
#include "keeper/daemon/work_memory.hpp"
#include "strategies/gas_cost.hpp"

namespace keeper::app {
namespace {

std::string amount(const U256& v) { return v.to_dec(); }

// How the logs name what an action does, by its kind: a Yield bid is no
// liquidation. The words for `liquidate` are the ones operators (and the
// end-to-end tests) already read.
struct KindWords {
    std::string_view would;  // "DRY-RUN would <would> <subject>"
    std::string_view noun;   // "sent <noun> of <subject>"
    std::string_view done;   // "<done> <subject>: seized …"
};

KindWords words_for(protocols::ActionKind kind) {
    switch (kind) {
        case protocols::ActionKind::liquidate:
            return {"liquidate", "liquidation", "liquidated"};
        case protocols::ActionKind::start_auction:
            return {"start the auction of", "auction start", "started the auction of"};
        case protocols::ActionKind::bid:
            return {"bid on", "bid", "bid filled on"};
        case protocols::ActionKind::approve:
            return {"approve", "approval", "approved"};
    }
    return {"act on", "action", "acted on"};
}

protocols::ActionRecord predicted_record(const protocols::Action& action, const std::string& protocol, bool dry_run) {
    protocols::ActionRecord record;
    record.protocol = protocol;
    record.kind = action.kind;
    record.work_key = action.work_key;
    record.prediction = action.prediction;
    record.predicted_profit = action.profit.before_gas;
    record.profit_unit = action.profit.unit;
    record.calldata_hex = hex::encode(action.calldata);
    record.dry_run = dry_run;
    return record;
}

}  // namespace

ActionExecutor::ActionExecutor(chain::JsonRpcClient& client, Address keeper, Settings settings, JournaledSender* sender,
                               Log info, Log warn)
    : client_(client),
      keeper_(keeper),
      settings_(std::move(settings)),
      sender_(sender),
      info_(std::move(info)),
      warn_(std::move(warn)),
      errors_(warn_, info_) {}

void ActionExecutor::start_round() {
    errors_.start_round();
    fees_.reset();
}

LiquidatorMemory ActionExecutor::memory() const {
    std::size_t reported = 0, settled = 0;
    for (const auto& [protocol, by_work] : reported_) reported += by_work.size();
    for (const auto& [protocol, by_work] : settled_at_) settled += by_work.size();
    return {settled, reported, record_of_journal_.size(), errors_.backoff().size()};
}

void ActionExecutor::check_in_flight(const protocols::ProtocolAdapter& adapter, const chain::BlockHeader& head) {
    if (sender_ == nullptr) return;
    check_owned_work(
        *sender_, head,
        [&](const SentWork& work) {
            if (work.work_key.starts_with("approve:")) return true;  // the executor's own
            return adapter.owns(work.work_key, work.tx.intent.to);
        },
        settled_at_[adapter.key()],
        [&](const SentWork& work, const chain::Receipt& receipt) { finish(&adapter, work, receipt); }, warn_);
    std::set<std::int64_t> open;
    for (const auto& [id, work] : sender_->in_flight()) open.insert(id);
    forget_unless_in_flight(record_of_journal_, open);
}

std::set<std::string> ActionExecutor::busy(const protocols::ProtocolAdapter& adapter, const chain::BlockHeader& head,
                                           ExecutionCounts& counts) {
    (void)head;
    auto& settled = settled_at_[adapter.key()];
    forget_settled_through(settled, adapter.synced_through());
    std::set<std::string> out;
    if (sender_ != nullptr)
        for (const auto& [id, work] : sender_->in_flight()) out.insert(work.work_key);
    for (const auto& [key, block] : settled)
        if (out.insert(key).second) ++counts.awaiting_sync;  // our work landed in a block not applied yet
    if (settled.empty()) settled_at_.erase(adapter.key());
    return out;
}

protocols::Holdings ActionExecutor::read_holdings(const protocols::ProtocolAdapter& adapter,
                                                  std::span<const protocols::FundingToken> tokens,
                                                  const chain::BlockHeader& head) {
    protocols::Holdings out;
    for (const auto& t : tokens) {
        const std::string base = adapter.key() + ": " + t.label;
        const std::string balance_key = base + ": balance", allowance_key = base + ": allowance";
        if (errors_.waiting(balance_key, head.number) || errors_.waiting(allowance_key, head.number)) continue;
        auto balance = read_erc20(client_, chain::morpho_blue::encode_erc20_balance_of(keeper_), t.token,
                                  chain::BlockId::latest());
        if (!balance) {
            errors_.failed(balance_key, head.number, balance_key + ": " + balance.error().message, false);
            continue;
        }
        errors_.succeeded(balance_key);
        balances_read_[t.token] = *balance;
        // A dry run answers "what would it send if funded": an empty balance
        // does not cap the size (the simulation then says why it would revert).
        out.balance_of[t.token] = settings_.dry_run && balance->is_zero() ? U256::max() : *balance;
    }
    return out;
}

bool ActionExecutor::first_realised(std::uint64_t block, const Address& token) {
    // Receipts settle within a few blocks of each other: older entries cannot recur.
    if (realised_counted_.size() > 4096)
        std::erase_if(realised_counted_, [&](const auto& entry) { return entry.first + 1024 < block; });
    return realised_counted_.emplace(block, token).second;
}

bool ActionExecutor::report_once(const std::string& protocol_key, const std::string& work_key, const std::string& text,
                                 const Log& log) {
    auto& last = reported_[protocol_key][work_key];
    if (last == text) return false;
    last = text;
    log(text);
    return true;
}

// Counted once per decision, as it is logged: a position left alone for the
// same reason round after round is one decline.
void ActionExecutor::declined(const std::string& protocol, const std::string& subject, const char* reason,
                              const std::string& text) {
    if (!events_) return;
    ActionEvent event;
    event.outcome = ActionEvent::Outcome::declined;
    event.protocol = protocol;
    event.reason = reason;
    event.text = text;
    event.subject = subject;
    events_(event);
}

bool ActionExecutor::held_back(const protocols::ProtocolAdapter& adapter, const protocols::Action& action,
                               const PlannedSpend& spend) {
    auto hold = action_gate_ ? action_gate_(action) : std::nullopt;
    if (!hold && gate_) hold = gate_(spend);
    if (!hold) return false;
    if (report_once(adapter.key(), action.work_key,
                    std::string(words_for(action.kind).noun) + " of " + action.subject + " held back: " + hold->text,
                    warn_))
        declined(std::string(adapter.kind()), action.subject, hold->label.c_str(), hold->text);
    return true;
}

void ActionExecutor::execute(const protocols::ProtocolAdapter& adapter, const protocols::Decisions& decisions,
                             const chain::BlockHeader& head, ExecutionCounts& counts) {
    const std::string& protocol_key = adapter.key();
    std::set<std::string> decided;  // work keys decided on this round: what was reported about others goes
    for (const auto& d : decisions.declined) {
        decided.insert(d.work_key);
        ++counts.declined;
        if (report_once(protocol_key, d.work_key, "liquidatable " + d.subject + " left alone: " + d.reason, info_))
            declined(std::string(adapter.kind()), d.subject, "decision", d.reason);
    }
    for (std::size_t i = 0; i < decisions.skipped_unread; ++i) errors_.count_skipped();
    for (const auto& action : decisions.actions) {
        decided.insert(action.work_key);
        execute_one(adapter, action, head, counts);
    }
    auto& reported = reported_[protocol_key];
    forget_unless_in(reported, decided);
    if (reported.empty()) reported_.erase(protocol_key);
}

bool ActionExecutor::allowances_ready(const protocols::Action& action, std::uint64_t head_block) {
    if (sender_ == nullptr) return true;  // dry run: the simulation says what a missing approval does
    bool ready = true;
    for (const auto& spend : action.spends) {
        const std::string allowance_key = action.protocol_key + ": token " + spend.token.checksummed() + ": allowance";
        auto approved = ensure_allowance(client_, *sender_, keeper_, spend.token, spend.spender, head_block, info_);
        if (!approved) {
            errors_.failed(allowance_key, head_block, allowance_key + ": " + approved.error().message);
            return false;
        }
        errors_.succeeded(allowance_key);
        ready = ready && *approved;
    }
    return ready;
}

const std::optional<chain::Eip1559Fees>& ActionExecutor::round_fees(const std::string& protocol_key,
                                                                    std::uint64_t head_block) {
    if (!fees_ || !fees_->has_value())
        fees_ = read_round_fees(client_, settings_.shepherd, protocol_key, errors_, head_block);
    return *fees_;
}

void ActionExecutor::execute_one(const protocols::ProtocolAdapter& adapter, const protocols::Action& action,
                                 const chain::BlockHeader& head, ExecutionCounts& counts) {
    const std::string protocol(adapter.kind());
    const std::string& key = action.work_key;
    const KindWords words = words_for(action.kind);
    if (action.not_before_block && head.number + 1 < *action.not_before_block) {
        ++counts.waiting;
        return;
    }
    if (errors_.skips(key, head.number)) return;             // its send failed lately: waits out the backoff
    if (held_back(adapter, action, PlannedSpend{})) return;  // paused: not even its approval goes out
    if (!allowances_ready(action, head.number)) return;

    const chain::CallRequest call{keeper_, action.to, action.calldata,
                                  action.value_wei.is_zero() ? std::nullopt : std::optional<U256>(action.value_wei),
                                  std::nullopt};
    // A backrun is simulated on top of the pending oracle update: if the
    // update would revert, or has been dropped, the liquidation reverts here
    // too and nothing is sent. Relying on ordering alone would send blind.
    auto estimate = backrun_ ? client_.estimate_gas(call, chain::BlockId::pending()) : client_.estimate_gas(call);
    if (!estimate) {
        const std::string why = "simulation reverted: " + estimate.error().message;
        if (settings_.dry_run) {
            // Still what it would send: the operator learns why it would fail
            // (often a missing approval or balance of the keeper).
            auto& last = reported_[adapter.key()][key];
            if (last == why) return;
            last = why;
            protocols::ActionRecord record = predicted_record(action, protocol, true);
            record.simulation = why;
            info_("DRY-RUN would " + std::string(words.would) + " " + action.subject + ": " + action.summary +
                  "; but " + why + "; calldata " + record.calldata_hex);
            records_.push_back(std::move(record));
        } else {
            if (report_once(adapter.key(), key, std::string(words.noun) + " of " + action.subject + " " + why, warn_))
                declined(protocol, action.subject, "simulation_reverted", why);
        }
        return;
    }
    const std::uint64_t gas_limit = strategies::gas_limit_with_margin(*estimate, action.gas.margin_percent) +
                                    action.gas.extra_gas;
    const auto& fees = round_fees(adapter.key(), head.number);
    if (!fees) return;

    // Profit after gas, with the strategies' rounding (gas_cost_in_loan: up).
    std::optional<strategies::GasCost> gas;
    if (action.profit.unit_per_wei_1e36)
        gas = strategies::GasCost{gas_limit, fees->max_fee_per_gas_wei, action.profit.unit_per_wei_1e36};
    auto cost = strategies::gas_cost_in_loan(gas);
    if (!cost) return;
    if (!cost->priced && warned_unpriced_.insert(adapter.key() + " " + action.profit.unit).second)
        warn_(adapter.key() + ": no native price for gas in " + action.profit.unit +
              " units: liquidations are judged on profit before gas");
    const U256 profit = action.profit.before_gas > cost->loan ? action.profit.before_gas - cost->loan : U256();
    if (profit.is_zero() || profit < action.profit.min_after_gas) {
        ++counts.declined;
        const std::string why = "not worth sending: profit " + amount(action.profit.before_gas) + " " +
                                action.profit.unit + " before gas, gas costs " + amount(cost->loan) + ", minimum " +
                                amount(action.profit.min_after_gas);
        if (report_once(adapter.key(), key, std::string(words.noun) + " of " + action.subject + " " + why, info_))
            declined(protocol, action.subject, "unprofitable_after_gas", why);
        return;
    }
    PlannedSpend spend;
    spend.gas_wei = U256(gas_limit) * fees->max_fee_per_gas_wei;
    for (const auto& s : action.spends) spend.capital[s.token] = spend.capital[s.token] + s.amount;
    if (held_back(adapter, action, spend)) return;
    protocols::ActionRecord record = predicted_record(action, protocol, settings_.dry_run);
    record.gas_limit = gas_limit;
    record.predicted_profit = profit;
    const std::string summary = action.subject + ": " + action.summary + ", gas " + std::to_string(gas_limit) +
                                " at max fee " + amount(fees->max_fee_per_gas_wei) + " wei, profit " + amount(profit) +
                                " " + action.profit.unit + (cost->priced ? " after gas" : " before gas");
    const JournaledAction journaled{protocol,          action.kind, action.subject,
                                    action.prediction, profit,      action.profit.unit};
    const std::string detail = journal_detail(journaled);
    if (settings_.dry_run) {
        auto& last = reported_[adapter.key()][key];
        if (last == detail) return;  // this very plan was simulated and logged already
        last = detail;
        auto simulated = client_.eth_call(call, backrun_ ? chain::BlockId::pending() : chain::BlockId::latest());
        record.simulation = simulated ? "ok" : "reverted: " + simulated.error().message;
        info_("DRY-RUN would " + std::string(words.would) + " " + summary + "; eth_call " + record.simulation +
              "; calldata " + record.calldata_hex);
        records_.push_back(std::move(record));
        return;
    }
    auto sent = sender_->send(key,
                              chain::TxIntent{action.to, action.calldata, action.value_wei, chain::GasLimit{gas_limit}},
                              head.number, detail, head.number, to_journal(journaled),
                              backrun_ ? std::optional<U256>(backrun_->max_priority_fee_wei) : std::nullopt);
    if (!sent) {
        errors_.failed(key, head.number,
                       "sending " + std::string(words.noun) + " of " + action.subject + ": " + sent.error().message);
        return;
    }
    errors_.succeeded(key);
    info_("sent " + std::string(words.noun) + " of " + summary);
    if (const auto entry = sender_->in_flight().find(*sent);
        entry != sender_->in_flight().end() && !entry->second.tx.attempts.empty())
        record.tx_hash = entry->second.tx.attempts.back().hash;
    if (events_) {
        ActionEvent event;
        event.outcome = ActionEvent::Outcome::sent;
        event.protocol = protocol;
        event.subject = action.subject;
        event.record = record;
        event.spend = spend;
        events_(event);
    }
    record_of_journal_[*sent] = records_.size();
    records_.push_back(std::move(record));
}

void ActionExecutor::finish(const protocols::ProtocolAdapter* adapter, const SentWork& work,
                            const chain::Receipt& receipt) {
    if (work.work_key.starts_with("approve:")) {
        if (receipt.success)
            info_("approval confirmed in block " + std::to_string(receipt.block_number));
        else
            warn_("approval reverted in block " + std::to_string(receipt.block_number));
        return;
    }
    // The typed row (schema v4); entries journaled before it, from their text.
    const auto journaled = work.action ? std::optional<JournaledAction>(from_journal(*work.action))
                                       : parse_journal_detail(work.detail);
    protocols::ActionRecord record;
    const auto known = record_of_journal_.find(work.journal_id);
    if (known != record_of_journal_.end()) {
        record = records_[known->second];
    } else if (journaled) {  // sent before a restart: the journal holds the prediction
        record.protocol = journaled->protocol;
        record.kind = journaled->kind;
        record.work_key = work.work_key;
        record.prediction = journaled->prediction;
        record.predicted_profit = journaled->profit;
        record.profit_unit = journaled->profit_unit;
    }
    const std::string subject = journaled ? journaled->subject : work.work_key;
    const KindWords words = words_for(journaled ? journaled->kind : record.kind);
    record.tx_hash = receipt.transaction_hash;
    record.success = receipt.success;
    record.block = receipt.block_number;
    record.gas_used = receipt.gas_used;
    if (!receipt.success) {
        warn_(std::string(words.noun) + " " + work.work_key + " reverted in block " +
              std::to_string(receipt.block_number) + " (tx " + receipt.transaction_hash.hex() + ")");
    } else {
        if (adapter != nullptr) record.settled = adapter->settle(record.prediction, receipt);
        const auto& p = record.prediction;
        if (p.realised_balances) {
            if (const auto moved = realised_balances(client_, keeper_, p.collateral_token, p.debt_token,
                                                     receipt.block_number)) {
                if (first_realised(receipt.block_number, p.collateral_token))
                    record.realised_collateral_gain = moved->collateral_gain;
                if (first_realised(receipt.block_number, p.debt_token)) {
                    if (moved->debt_gain.is_zero())
                        record.realised_debt_spent = moved->debt_spent;
                    else
                        record.realised_debt_gain = moved->debt_gain;
                }
            }
        }
        const auto& s = record.settled;
        std::string line = std::string(words.done) + " " + subject + ": seized " +
                           (s.collateral_out ? amount(*s.collateral_out) : "?") + " of " +
                           p.collateral_token.checksummed() + " (predicted " + amount(p.collateral_out) + "), repaid " +
                           (s.debt_in ? amount(*s.debt_in) : "?") + " of " + p.debt_token.checksummed() +
                           ", gas used " + amount(receipt.gas_used) + ", block " +
                           std::to_string(receipt.block_number) + ", tx " + receipt.transaction_hash.hex();
        if (s.collateral_out && *s.collateral_out != p.collateral_out)
            warn_(line + ": SEIZED AMOUNT DIFFERS FROM THE PREDICTION");
        else
            info_(line);
    }
    if (events_) {
        ActionEvent event;
        event.outcome = receipt.success ? ActionEvent::Outcome::confirmed : ActionEvent::Outcome::reverted;
        event.protocol = record.protocol;
        event.subject = subject;
        event.record = record;
        event.gas_cost_wei = receipt.gas_used * receipt.effective_gas_price;
        events_(event);
    }
    if (known != record_of_journal_.end())
        records_[known->second] = record;
    else
        records_.push_back(record);
}

}  // namespace keeper::app

#include "keeper/daemon/aave_liquidator.hpp"

#include <nlohmann/json.hpp>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "chain/fee_policy.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "core/abi_signature.hpp"
#include "core/hex.hpp"
#include "keeper/daemon/aave_tracker.hpp"
#include "keeper/daemon/liquidator_support.hpp"
#include "keeper/daemon/work_memory.hpp"
#include "strategies/aave_liquidation_plan.hpp"
#include "strategies/gas_cost.hpp"

namespace keeper::app {
namespace {

std::string amount(const U256& v) { return v.to_dec(); }

// AaveFlashLiquidator.liquidate: flash-borrows the debt asset, liquidates,
// swaps the seized collateral back through its configured swapper and repays.
Bytes encode_flash_liquidate(const Address& collateral, const Address& debt, const Address& user,
                             const U256& debt_to_cover) {
    static const abi::Function liquidate = abi::parse_function("liquidate(address,address,address,uint256)").value();
    const abi::Value args[] = {abi::Value(collateral), abi::Value(debt), abi::Value(user), abi::Value(debt_to_cover)};
    return abi::encode_call(liquidate, args).value();
}

const AaveReserveAtBlock* reserve_by_id(std::span<const AaveReserveAtBlock> reserves, unsigned id) {
    for (const auto& r : reserves)
        if (r.data.id == id) return &r;
    return nullptr;
}

}  // namespace

AaveLiquidator::AaveLiquidator(chain::JsonRpcClient& client, std::string protocol_key, Address liquidator,
                               AaveLiquidatorSettings settings, JournaledSender* sender, Log info, Log warn)
    : client_(client),
      protocol_key_(std::move(protocol_key)),
      liquidator_(liquidator),
      settings_(std::move(settings)),
      sender_(sender),
      info_(std::move(info)),
      warn_(std::move(warn)),
      errors_(warn_, info_) {}

std::string AaveLiquidator::work_key(const Address& pool, const Address& user) {
    return "aave-v3:" + pool.hex() + ":" + user.hex();
}

bool AaveLiquidator::owns(const SentWork& work, const Address& pool) const {
    return work.work_key.starts_with("aave-v3:" + pool.hex() + ":") ||
           (work.work_key.starts_with("approve:") && work.work_key.ends_with(":" + pool.hex()));
}

Result<void> AaveLiquidator::check_in_flight(const chain::BlockHeader& head, const Address& pool) {
    if (sender_ == nullptr) return {};
    check_owned_work(
        *sender_, head, [&](const SentWork& work) { return owns(work, pool); }, settled_at_,
        [&](const SentWork& work, const chain::Receipt& receipt) { finish(work, receipt, pool); }, warn_);
    std::set<std::int64_t> open;
    for (const auto& [id, work] : sender_->in_flight()) open.insert(id);
    forget_unless_in_flight(record_of_journal_, open);
    return {};
}

Result<std::uint16_t> AaveLiquidator::flash_premium_bps(const Address& pool) {
    if (flash_premium_bps_) return *flash_premium_bps_;
    const auto s = selector("FLASHLOAN_PREMIUM_TOTAL()");
    auto premium = read_erc20(client_, Bytes(s.begin(), s.end()), pool, chain::BlockId::latest());
    if (!premium) return fail("reading FLASHLOAN_PREMIUM_TOTAL: " + premium.error().message);
    if (*premium > U256(10'000)) return fail("FLASHLOAN_PREMIUM_TOTAL " + premium->to_dec() + " is above 100%");
    flash_premium_bps_ = static_cast<std::uint16_t>(premium->low64());
    return *flash_premium_bps_;
}

void AaveLiquidator::finish(const SentWork& work, const chain::Receipt& receipt, const Address& pool) {
    if (work.work_key.starts_with("approve:")) {
        if (receipt.success) info_("approval confirmed in block " + std::to_string(receipt.block_number));
        else warn_("approval reverted in block " + std::to_string(receipt.block_number));
        return;
    }
    LiquidationRecord record;
    if (const auto known = record_of_journal_.find(work.journal_id); known != record_of_journal_.end()) {
        record = records_[known->second];
    } else {
        // Sent before a restart: the journal's detail holds the prediction.
        const auto detail = nlohmann::json::parse(work.detail, nullptr, false);
        auto text = [&](const char* field) {
            return !detail.is_discarded() && detail.contains(field) && detail[field].is_string()
                       ? detail[field].get<std::string>()
                       : "";
        };
        record.protocol = "aave-v3";
        if (auto a = Address::parse(text("user"))) record.borrower = *a;
        if (auto a = Address::parse(text("collateral_asset"))) record.collateral_asset = *a;
        if (auto a = Address::parse(text("debt_asset"))) record.debt_asset = *a;
        if (auto v = U256::from_dec(text("seized"))) record.predicted_seized = *v;
        if (auto v = U256::from_dec(text("repaid"))) record.predicted_repaid = *v;
        if (auto v = U256::from_dec(text("profit_base"))) record.predicted_profit_loan = *v;
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
            if (log.address != pool) continue;
            auto event = chain::aave_v3::decode_event(log);
            if (!event || !event->has_value()) continue;
            if (const auto* liq = std::get_if<chain::aave_v3::LiquidationCallEvent>(&**event);
                liq != nullptr && liq->user == record.borrower) {
                record.seized = liq->liquidated_collateral_amount;
                record.repaid_assets = liq->debt_to_cover;
            }
        }
        // The real outcome for the signer (with a flash loan the contract pays
        // the profit to its owner, the signer). aTokens received instead of
        // the collateral are not counted.
        if (!settings_.receive_a_token) {
            if (const auto moved = realised_balances(client_, liquidator_, record.collateral_asset, record.debt_asset,
                                                     receipt.block_number)) {
                record.realised_collateral_gain = moved->collateral_gain;
                if (moved->debt_gain.is_zero()) record.realised_loan_spent = moved->debt_spent;
                else record.realised_debt_gain = moved->debt_gain;
            }
        }
        std::string line = "liquidated Aave account " + record.borrower.checksummed() + ": seized " +
                           (record.seized ? amount(*record.seized) : "?") + " of " +
                           record.collateral_asset.checksummed() + " (predicted " + amount(record.predicted_seized) +
                           "), repaid " + (record.repaid_assets ? amount(*record.repaid_assets) : "?") + " of " +
                           record.debt_asset.checksummed() + ", gas used " + amount(receipt.gas_used) + ", block " +
                           std::to_string(receipt.block_number) + ", tx " + receipt.transaction_hash.hex();
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

Result<void> AaveLiquidator::act(std::span<const AaveAccountHealth> accounts, const AaveTracker& tracker,
                                 const chain::BlockHeader& head) {
    declined_.clear();
    awaiting_sync_ = 0;
    errors_.start_round();
    forget_settled_through(settled_at_, tracker.synced_through());
    std::set<std::string> liquidatable;  // work keys of this round's liquidatable accounts
    const Address pool = tracker.pool();
    const auto reserves = tracker.reserves();
    std::map<unsigned, U256> balances;  // debt-asset balance still unspent this block, by reserve id
    std::optional<chain::Eip1559Fees> fees;
    const auto reserve_key = [&](const Address& asset, const char* what) {
        return protocol_key_ + ": reserve " + asset.checksummed() + ": " + what;
    };
    for (const AaveAccountHealth& account : accounts) {
        if (!account.liquidatable) continue;
        const std::string key = work_key(pool, account.account);
        liquidatable.insert(key);
        if (sender_ != nullptr && sender_->has_open(key)) continue;
        if (const auto settled = settled_at_.find(key);
            settled != settled_at_.end() && settled->second > tracker.synced_through()) {
            ++awaiting_sync_;
            continue;
        }
        if (errors_.skips(key, head.number)) continue;

        strategies::AaveFunding funding;
        // A debt reserve whose token cannot be read is left out of this
        // account's choices (and every other's, with backoff); the account
        // is still liquidated through its other debts if one pays.
        bool reserve_unread = false;
        if (settings_.flash_liquidator) {
            funding.flash_loan = true;
            const std::string premium_key = protocol_key_ + ": FLASHLOAN_PREMIUM_TOTAL";
            if (errors_.skips(premium_key, head.number)) continue;
            auto premium = flash_premium_bps(pool);
            if (!premium) {
                errors_.failed(premium_key, head.number, premium_key + ": " + premium.error().message);
                continue;
            }
            errors_.succeeded(premium_key);
            funding.flash_premium_bps = *premium;
        } else {
            for (const auto& r : account.input.reserves) {
                if (!account.input.config.is_borrowing(r.id)) continue;
                const AaveReserveAtBlock* reserve = reserve_by_id(reserves, r.id);
                if (reserve == nullptr) continue;
                const std::string balance_key = reserve_key(reserve->asset, "balance");
                if (errors_.waiting(balance_key, head.number) ||
                    errors_.waiting(reserve_key(reserve->asset, "allowance"), head.number)) {
                    reserve_unread = true;
                    continue;
                }
                if (balances.contains(r.id)) continue;
                auto balance = read_erc20(client_, chain::morpho_blue::encode_erc20_balance_of(liquidator_),
                                          reserve->asset, chain::BlockId::latest());
                if (!balance) {
                    errors_.failed(balance_key, head.number, balance_key + ": " + balance.error().message, false);
                    reserve_unread = true;
                    continue;
                }
                errors_.succeeded(balance_key);
                // A dry run answers "what would it send if funded".
                balances[r.id] = settings_.dry_run && balance->is_zero() ? U256::max() : *balance;
            }
            for (const auto& [id, held] : balances) {  // without reserves whose approval failed this round
                const AaveReserveAtBlock* reserve = reserve_by_id(reserves, id);
                if (reserve != nullptr && !errors_.waiting(reserve_key(reserve->asset, "allowance"), head.number))
                    funding.debt_balances[id] = held;
            }
        }
        const strategies::AaveProfitRules rules{settings_.min_profit_base, settings_.max_debt_spend_base,
                                                settings_.receive_a_token};
        auto sized = strategies::plan_aave_liquidation(tracker.rules(), account.input, funding, rules, std::nullopt);
        if (!sized) {
            if (reserve_unread) {  // the reserve that failed might have paid: not a decline
                errors_.count_skipped();
                continue;
            }
            declined_.insert(key);
            if (reported_[key] != sized.error().message) {
                reported_[key] = sized.error().message;
                info_("liquidatable Aave account " + account.account.checksummed() + " left alone: " +
                      sized.error().message);
            }
            continue;
        }
        const AaveReserveAtBlock* collateral = reserve_by_id(reserves, sized->call.collateral_reserve_id);
        const AaveReserveAtBlock* debt = reserve_by_id(reserves, sized->call.debt_reserve_id);
        if (collateral == nullptr || debt == nullptr) continue;
        if (sender_ != nullptr && !settings_.flash_liquidator) {
            const std::string allowance_key = reserve_key(debt->asset, "allowance");
            auto approved = ensure_allowance(client_, *sender_, liquidator_, debt->asset, pool, head.number, info_);
            if (!approved) {
                errors_.failed(allowance_key, head.number, allowance_key + ": " + approved.error().message);
                continue;
            }
            errors_.succeeded(allowance_key);
            if (!*approved) continue;
        }

        const Address to = settings_.flash_liquidator.value_or(pool);
        const Bytes calldata =
            settings_.flash_liquidator
                ? encode_flash_liquidate(collateral->asset, debt->asset, account.account, sized->call.debt_to_cover)
                : chain::aave_v3::encode_liquidation_call(collateral->asset, debt->asset, account.account,
                                                          sized->call.debt_to_cover, settings_.receive_a_token);
        const chain::CallRequest call{liquidator_, to, calldata, std::nullopt, std::nullopt};
        auto estimate = client_.estimate_gas(call);
        if (!estimate) {
            const std::string why = "simulation reverted: " + estimate.error().message;
            if (reported_[key] == why) continue;
            reported_[key] = why;
            if (settings_.dry_run) {
                LiquidationRecord record;
                record.protocol = "aave-v3";
                record.borrower = account.account;
                record.collateral_asset = collateral->asset;
                record.debt_asset = debt->asset;
                record.predicted_seized = sized->quote.amounts.collateral_to_liquidator;
                record.predicted_repaid = sized->quote.amounts.debt_to_repay;
                record.predicted_profit_loan = sized->profit_base;
                record.calldata_hex = hex::encode(calldata);
                record.dry_run = true;
                record.simulation = why;
                info_("DRY-RUN would liquidate Aave account " + account.account.checksummed() + " but " + why +
                      "; calldata " + record.calldata_hex);
                records_.push_back(std::move(record));
            } else {
                warn_("liquidation of Aave account " + account.account.checksummed() + " " + why);
            }
            continue;
        }
        const std::uint64_t gas_limit = strategies::gas_limit_with_margin(*estimate, settings_.gas_margin_percent);
        if (!fees) {
            fees = read_round_fees(client_, settings_.shepherd, protocol_key_, errors_, head.number);
            if (!fees) continue;
        }
        // The native token's oracle price is base units per 1e18 wei: x 1e18 gives base per wei x 1e36.
        std::optional<U256> native_price_1e36;
        if (settings_.native_token) {
            for (const auto& r : reserves)
                if (r.asset == *settings_.native_token) native_price_1e36 = r.price * U256::pow10(18);
        }
        if (!native_price_1e36 && !warned_unpriced_gas_) {
            warned_unpriced_gas_ = true;
            warn_(protocol_key_ + ": no native_token listed in the pool: liquidations are judged on profit before gas");
        }
        auto plan = strategies::plan_aave_liquidation(
            tracker.rules(), account.input, funding, rules,
            strategies::GasCost{gas_limit, fees->max_fee_per_gas_wei, native_price_1e36});
        if (!plan) continue;
        if (!plan->worth_sending) {
            if (reserve_unread) {  // the reserve that failed might have paid: not a decline
                errors_.count_skipped();
                continue;
            }
            declined_.insert(key);
            if (reported_[key] != plan->reason) {
                reported_[key] = plan->reason;
                info_("liquidatable Aave account " + account.account.checksummed() + " not worth sending: " +
                      plan->reason);
            }
            continue;
        }
        const U256 seized = plan->quote.amounts.collateral_to_liquidator;
        const U256 repaid = plan->quote.amounts.debt_to_repay;
        nlohmann::json detail = {{"protocol", "aave-v3"},
                                 {"user", account.account.checksummed()},
                                 {"collateral_asset", collateral->asset.checksummed()},
                                 {"debt_asset", debt->asset.checksummed()},
                                 {"debt_to_cover", amount(plan->call.debt_to_cover)},
                                 {"seized", amount(seized)},
                                 {"repaid", amount(repaid)},
                                 {"profit_base", amount(plan->profit_base)},
                                 {"gas_priced", plan->gas_priced},
                                 {"flash_loan", plan->flash_loan},
                                 {"health_factor_wad", amount(account.data.health_factor_wad)}};
        LiquidationRecord record;
        record.protocol = "aave-v3";
        record.borrower = account.account;
        record.collateral_asset = collateral->asset;
        record.debt_asset = debt->asset;
        record.predicted_seized = seized;
        record.predicted_repaid = repaid;
        record.predicted_profit_loan = plan->profit_base;
        record.gas_limit = gas_limit;
        record.calldata_hex = hex::encode(calldata);
        record.dry_run = settings_.dry_run;
        const std::string summary = account.account.checksummed() + " (health factor " +
                                    wad_to_decimal(account.data.health_factor_wad) + "): repay " + amount(repaid) +
                                    " of " + debt->asset.checksummed() + ", seize " + amount(seized) + " of " +
                                    collateral->asset.checksummed() + (plan->flash_loan ? " with a flash loan" : "") +
                                    ", gas " + std::to_string(gas_limit) + ", profit " + amount(plan->profit_base) +
                                    " base units" + (plan->gas_priced ? " after gas" : " before gas") +
                                    (plan->reason.empty() ? "" : " (" + plan->reason + ")");
        if (settings_.dry_run) {
            if (reported_[key] == detail.dump()) continue;
            reported_[key] = detail.dump();
            auto simulated = client_.eth_call(call, chain::BlockId::latest());
            record.simulation = simulated ? "ok" : "reverted: " + simulated.error().message;
            info_("DRY-RUN would liquidate Aave account " + summary + "; eth_call " + record.simulation +
                  "; calldata " + record.calldata_hex);
            records_.push_back(std::move(record));
            continue;
        }
        auto sent = sender_->send(key, chain::TxIntent{to, calldata, U256(), chain::GasLimit{gas_limit}}, head.number,
                                  detail.dump(), head.number);
        if (!sent) {
            errors_.failed(key, head.number,
                           "sending liquidation of Aave account " + account.account.checksummed() + ": " +
                               sent.error().message);
            continue;
        }
        errors_.succeeded(key);
        if (!settings_.flash_liquidator) {
            U256& left = balances[plan->call.debt_reserve_id];
            left = left >= repaid ? left - repaid : U256();
        }
        info_("sent liquidation of Aave account " + summary);
        record_of_journal_[*sent] = records_.size();
        records_.push_back(std::move(record));
    }
    // What was kept about accounts that are no longer liquidatable is not needed any more.
    forget_unless_in(reported_, liquidatable);
    errors_.forget_unless(
        [&](const std::string& k) { return !k.starts_with("aave-v3:") || liquidatable.contains(k); });
    return {};
}


}  // namespace keeper::app

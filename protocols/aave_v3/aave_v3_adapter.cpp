#include "protocols/aave_v3/aave_v3_adapter.hpp"

#include <algorithm>
#include <utility>

#include "chain/aave/aave_log_decoder.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "core/abi_static_call.hpp"
#include "keeper/state/state_store.hpp"
#include "protocols/health_text.hpp"
#include "protocols/saved_state.hpp"

namespace keeper::protocols::aave_v3 {
namespace {

std::string at_block(std::uint64_t block) { return " at block " + std::to_string(block); }

PositionRow row_of(const Address& pool, const AaveAccountHealth& a) {
    PositionRow row;
    row.protocol = "aave-v3";
    row.account = a.account;
    row.health_wad = a.data.health_factor_wad;
    row.liquidatable = a.liquidatable;
    row.where = pool.hex();
    row.collateral_text = a.data.total_collateral_base.to_dec() + " base";
    row.debt_text = a.data.total_debt_base.to_dec() + " base";
    return row;
}

}  // namespace

AaveV3Adapter::AaveV3Adapter(const AaveV3Config& config, AdapterServices services)
    : config_(config), services_(std::move(services)), key_(config.key()) {
    decide_settings_.protocol_key = key_;
    decide_settings_.min_profit_base = config_.min_profit_base;
    decide_settings_.max_debt_spend_base = config_.max_debt_spend_base;
    decide_settings_.receive_a_token = config_.receive_a_token;
    decide_settings_.flash_liquidator = config_.flash_liquidator;
    decide_settings_.native_token = config_.native_token;
    decide_settings_.gas_margin_percent = services_.settings.gas_margin_percent;
    if (services_.acts)
        engine_.emplace(AaveScreenSettings{.warning_health_wad = services_.settings.warning_health_wad,
                                           .audit_every_blocks = services_.settings.audit_every_blocks,
                                           .riskiest_rows_judged = services_.settings.riskiest_rows_judged});
    // The pool is known by the first round (open() resolves it, and a pool
    // that changes is refused).
    if (engine_) engine_->set_row_maker([this](const AaveAccountHealth& a) { return row_of(pool_, a); });
}

chain::LogFilter AaveV3Adapter::log_filter() const {
    chain::LogFilter f;
    f.addresses.push_back(pool_);
    f.addresses.insert(f.addresses.end(), a_tokens_.begin(), a_tokens_.end());
    f.any_topic0 = chain::aave_v3::pool_topics();
    f.any_topic0.push_back(chain::aave_v3::balance_transfer_topic());
    return f;
}

void AaveV3Adapter::note_account(const Address& account) {
    if (account == Address{}) return;  // mints and burns name the zero address
    if (accounts_.insert(account).second) unsaved_accounts_.push_back(account);
    dirty_.insert(account);
}

Result<void> AaveV3Adapter::read_reserves(std::uint64_t block) {
    const Address& provider = config_.pool_addresses_provider;
    auto addresses = chain::aave_v3::read_pool_addresses(services_.client, provider, block);
    if (!addresses)
        return std::unexpected(context("addresses provider " + provider.checksummed() + at_block(block), Error(addresses.error())));
    if (addresses->pool == Address{})
        return fail("addresses provider " + provider.checksummed() + " names no pool" + at_block(block));
    if (pool_ != Address{} && addresses->pool != pool_)
        return fail("the addresses provider now names pool " + addresses->pool.checksummed() + " instead of " +
                    pool_.checksummed() + ": restart the keeper to follow it");
    pool_ = addresses->pool;
    oracle_ = addresses->oracle;
    auto reserves = chain::aave_v3::read_reserves(services_.client, pool_, oracle_, block);
    if (!reserves) return std::unexpected(context("reading reserves" + at_block(block), Error(reserves.error())));
    reserve_readings_ = std::move(*reserves);
    return {};
}

Result<std::optional<chain::BlockRef>> AaveV3Adapter::open(const chain::BlockHeader& head) {
    if (auto checked = check_start_block(config_.first_block, head); !checked) return std::unexpected(checked.error());
    if (auto read = read_reserves(head.number); !read) return std::unexpected(read.error());
    auto revision = chain::aave_v3::read_pool_revision(services_.client, pool_, head.number);
    if (!revision) return std::unexpected(context("reading POOL_REVISION of " + pool_.checksummed(), Error(revision.error())));
    auto rules = rules_for_revision(*revision);
    if (!rules) return std::unexpected(rules.error());
    rules_ = *rules;
    for (const auto& r : reserve_readings_) a_tokens_.insert(r.data.a_token);
    services_.info(key_ + ": pool " + pool_.checksummed() + " (revision " + std::to_string(*revision) + "), oracle " +
                   oracle_.checksummed() + ", " + std::to_string(reserve_readings_.size()) + " reserves");
    synced_through_ = config_.first_block == 0 ? 0 : config_.first_block - 1;

    auto restore = [&](const state::AaveSnapshot& saved) {
        for (const Address& account : saved.accounts) {
            accounts_.insert(account);
            dirty_.insert(account);  // balances are never saved: read them all at the head
        }
        return std::to_string(saved.accounts.size()) + " accounts";
    };
    auto cursor = restore_or_resync<state::AaveSnapshot>(services_, key_, config_.first_block, head,
                                                         &state::StateStore::load_aave, restore);
    if (cursor && *cursor) synced_through_ = (*cursor)->number;
    return cursor;
}

Result<void> AaveV3Adapter::apply(std::span<const chain::Log> logs, const chain::BlockRef& through) {
    for (const auto& log : logs) {
        // BalanceTransfer is only ours from the pool's own aTokens.
        if (log.address != pool_ && !a_tokens_.contains(log.address)) continue;
        auto event = chain::aave_v3::decode_event(log);
        if (!event) return std::unexpected(context("block " + std::to_string(log.block_number.value_or(0)), Error(event.error())));
        if (!event->has_value()) continue;
        const bool from_pool = log.address == pool_;
        const bool is_transfer = std::holds_alternative<chain::aave_v3::BalanceTransferEvent>(**event);
        if (from_pool == is_transfer) continue;  // a pool topic from an aToken or the other way round
        for (const Address& account : chain::aave_v3::touched_accounts(**event)) note_account(account);
    }
    if (auto saved = persist(through); !saved) return saved;
    synced_through_ = through.number;
    return {};
}

Result<void> AaveV3Adapter::rollback(const chain::BlockRef& tip) {
    // Which accounts the removed blocks touched is not kept: read them all again.
    dirty_.insert(accounts_.begin(), accounts_.end());
    services_.info(key_ + ": every account is re-read after the reorg");
    synced_through_ = tip.number;
    return persist(tip);
}

Result<void> AaveV3Adapter::persist(const chain::BlockRef& through) {
    if (services_.store == nullptr) return {};
    auto saved = services_.store->commit_aave(key_, {through.number, through.hash}, unsaved_accounts_);
    if (saved) unsaved_accounts_.clear();
    return saved;
}

Result<void> AaveV3Adapter::refresh(const chain::BlockHeader& head) {
    if (auto read = read_reserves(head.number); !read) return read;
    std::set<Address> a_tokens;
    for (const auto& r : reserve_readings_) a_tokens.insert(r.data.a_token);
    if (a_tokens != a_tokens_) {
        // A reserve listed since the last head: its aToken is followed from
        // the next block on (the keeper re-creates its follower with the new filter).
        a_tokens_ = std::move(a_tokens);
        services_.info(key_ + ": now " + std::to_string(reserve_readings_.size()) + " reserves");
    }
    auto next = std::make_shared<AaveSnapshot>();
    next->block = head.number;
    next->rules = rules_;
    next->pool = pool_;
    for (const auto& r : reserve_readings_) {
        auto at = reserve_at_block(r, head.timestamp, rules_);
        if (!at) return fail(at.error().message + at_block(head.number));
        next->reserves.push_back(std::move(*at));
    }

    std::vector<Address> wanted(dirty_.begin(), dirty_.end());
    for (const auto& [account, reading] : readings_) {
        if (dirty_.contains(account)) continue;
        for (const auto& b : reading.balances)
            if (!b.stable_debt.is_zero()) {
                wanted.push_back(account);
                break;
            }
    }
    if (!wanted.empty()) {
        auto users = chain::aave_v3::read_users(services_.client, pool_, reserve_readings_, wanted, head.number);
        if (!users) return std::unexpected(context("reading accounts" + at_block(head.number), Error(users.error())));
        for (auto& user : *users) {
            const Address account = user.user;
            if (aave::UserConfig(user.configuration).empty()) readings_.erase(account);
            else readings_[account] = std::move(user);
        }
        // Re-read: their balances, configuration or eMode may have changed.
        if (engine_) engine_->accounts_changed(wanted);
    }
    dirty_.clear();

    auto emodes = read_emodes(head.number, false);
    if (!emodes) return std::unexpected(emodes.error());
    const bool wants_premium = (config_.flash_liquidator && services_.acts) || services_.settings.reads_flash_premium;
    if (wants_premium && !flash_premium_bps_) {
        auto answer = services_.client.eth_call(
            chain::CallRequest{std::nullopt, pool_, abi::StaticCall("FLASHLOAN_PREMIUM_TOTAL()").take(), std::nullopt,
                               std::nullopt},
            chain::BlockId::latest());
        auto premium = answer ? chain::morpho_blue::decode_uint256(*answer)
                              : Result<U256>(std::unexpected(Error(answer.error())));
        if (!premium)
            next->read_errors.emplace_back("FLASHLOAN_PREMIUM_TOTAL", "reading FLASHLOAN_PREMIUM_TOTAL: " + premium.error().message);
        else if (*premium > U256(10'000))
            next->read_errors.emplace_back("FLASHLOAN_PREMIUM_TOTAL",
                                           "FLASHLOAN_PREMIUM_TOTAL " + premium->to_dec() + " is above 100%");
        else
            flash_premium_bps_ = static_cast<std::uint16_t>(premium->low64());
    }
    next->flash_premium_bps = flash_premium_bps_;
    emodes_ = std::move(*emodes);
    if (engine_) {
        auto round = engine_->judge(rules_, readings_, next->reserves, emodes_, head.number);
        for (const auto& warning : round.warnings)
            if (services_.warn) services_.warn(key_ + ": " + warning);
        next->accounts = std::move(round.accounts);
        next->rows = std::move(round.rows);
        next->rows_left_out = round.rows_left_out;
        next->position_errors = std::move(round.errors);
        next->work = round.work;
    } else {
        next->accounts = evaluate_aave_accounts(rules_, readings_, next->reserves, emodes_, &next->position_errors);
        next->work.exact_evaluations = next->accounts.size() + next->position_errors.size();
        next->work.audit = true;
        for (const auto& a : next->accounts) next->rows.push_back(row_of(pool_, a));
    }
    snapshot_ = std::move(next);
    return {};
}

Result<std::map<std::uint8_t, aave::EModeCategory>> AaveV3Adapter::read_emodes(std::uint64_t block,
                                                                               bool pending) const {
    std::vector<std::uint8_t> ids;
    for (const auto& [account, reading] : readings_)
        if (reading.emode_category != 0 && std::find(ids.begin(), ids.end(), reading.emode_category) == ids.end())
            ids.push_back(reading.emode_category);
    std::map<std::uint8_t, aave::EModeCategory> emodes;
    if (ids.empty()) return emodes;
    chain::aave_v3::ReadOptions read;
    read.liquid_emodes = rules_ != aave::PoolRules::EarlyV3;
    read.emode_isolation = rules_ == aave::PoolRules::V3_7;
    read.at_pending = pending;
    auto categories = chain::aave_v3::read_emode_categories(services_.client, pool_, oracle_, ids, block, read);
    if (!categories)
        return std::unexpected(
            context("reading eMode categories" + (pending ? std::string(" at the pending block") : at_block(block)),
                    Error(categories.error())));
    for (const auto& c : *categories) {
        aave::EModeCategory category;
        category.ltv_bps = c.category.ltv_bps;
        category.liquidation_threshold_bps = c.category.liquidation_threshold_bps;
        category.liquidation_bonus_bps = c.category.liquidation_bonus_bps;
        category.price_source_price = c.price_source_price;
        category.collateral_bitmap = c.collateral_bitmap;
        category.ltvzero_bitmap = c.ltvzero_bitmap;
        category.isolated = c.isolated;
        emodes[c.id] = category;
    }
    return emodes;
}

// The accounts known at `head` (a Supply or Borrow in the pending block is
// not seen yet), the reserves and prices as the pending block has them, and
// every reserve's indexes grown to `head`'s time (or the reserve's last
// update, if the pending block updated it): both the collateral and the
// debt are a little short of the pending block's, so a health factor may be
// off by one block's interest either way. The executor's simulation at the
// pending block is the last word. Every account is judged exactly, as scan does.
Result<std::shared_ptr<const Snapshot>> AaveV3Adapter::pending_snapshot(const chain::BlockHeader& head) {
    if (pool_ == Address{}) return std::shared_ptr<const Snapshot>();
    chain::aave_v3::ReadOptions options;
    options.at_pending = true;
    auto reserves = chain::aave_v3::read_reserves(services_.client, pool_, oracle_, head.number, options);
    if (!reserves) return std::unexpected(context("reading reserves at the pending block", Error(reserves.error())));
    auto next = std::make_shared<AaveSnapshot>();
    next->block = head.number;
    next->rules = rules_;
    next->pool = pool_;
    for (const auto& r : *reserves) {
        auto at = reserve_at_block(r, std::max(head.timestamp, r.data.last_update_timestamp), rules_);
        if (!at) return fail(at.error().message + " at the pending block");
        next->reserves.push_back(std::move(*at));
    }
    auto emodes = read_emodes(head.number, true);
    if (!emodes) return std::unexpected(emodes.error());
    next->flash_premium_bps = flash_premium_bps_;
    next->accounts = evaluate_aave_accounts(rules_, readings_, next->reserves, *emodes, &next->position_errors);
    next->work.exact_evaluations = next->accounts.size() + next->position_errors.size();
    next->work.audit = true;
    for (const auto& a : next->accounts) next->rows.push_back(row_of(pool_, a));
    return std::shared_ptr<const Snapshot>(std::move(next));
}

std::vector<FundingToken> AaveV3Adapter::funding_tokens(const Snapshot& snapshot, const DecisionInput& input) const {
    return aave_v3::funding_tokens(static_cast<const AaveSnapshot&>(snapshot), input, decide_settings_);
}

Decisions AaveV3Adapter::decide(const Snapshot& snapshot, const DecisionInput& input) const {
    return aave_v3::decide(static_cast<const AaveSnapshot&>(snapshot), input, decide_settings_);
}

bool AaveV3Adapter::owns(std::string_view work_key, const Address&) const {
    return pool_ != Address{} && work_key.starts_with("aave-v3:" + pool_.hex() + ":");
}

Settlement AaveV3Adapter::settle(const Prediction& predicted, const chain::Receipt& receipt) const {
    Settlement out;
    for (const auto& log : receipt.logs) {
        if (log.address != pool_) continue;
        auto event = chain::aave_v3::decode_event(log);
        if (!event || !event->has_value()) continue;
        if (const auto* liq = std::get_if<chain::aave_v3::LiquidationCallEvent>(&**event);
            liq != nullptr && liq->user == predicted.account) {
            out.collateral_out = liq->liquidated_collateral_amount;
            out.debt_in = liq->debt_to_cover;
        }
    }
    return out;
}

}  // namespace keeper::protocols::aave_v3

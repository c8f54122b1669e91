#include "protocols/morpho_blue/morpho_blue_adapter.hpp"

#include <utility>

#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/morpho/morpho_reader.hpp"
#include "keeper/state/state_store.hpp"
#include "protocols/health_text.hpp"
#include "protocols/saved_state.hpp"

namespace keeper::protocols::morpho_blue {
MorphoBlueAdapter::MorphoBlueAdapter(const MorphoBlueConfig& config, AdapterServices services,
                                     std::size_t reorg_window)
    : config_(config),
      services_(std::move(services)),
      key_(config.key()),
      reorg_window_(reorg_window),
      book_(config.markets) {
    decide_settings_.protocol_key = key_;
    decide_settings_.morpho = config_.address;
    decide_settings_.rules =
        strategies::ProfitRules{services_.settings.min_profit_loan, services_.settings.max_loan_spend};
    decide_settings_.gas_margin_percent = services_.settings.gas_margin_percent;
    decide_settings_.native_price_1e36 = services_.settings.native_price_1e36;
    if (services_.acts)
        engine_.emplace(ScreenEngineSettings{.warning_health_wad = services_.settings.warning_health_wad,
                                             .audit_every_blocks = services_.settings.audit_every_blocks,
                                             .riskiest_rows_judged = services_.settings.riskiest_rows_judged});
}

chain::LogFilter MorphoBlueAdapter::log_filter() const {
    return chain::LogFilter{{config_.address}, chain::morpho_blue::followed_topics()};
}

Result<std::optional<chain::BlockRef>> MorphoBlueAdapter::open(const chain::BlockHeader& head) {
    synced_through_ = config_.first_block == 0 ? 0 : config_.first_block - 1;
    auto restore = [&](const state::MorphoSnapshot& saved) {
        for (const auto& market : saved.markets) book_.restore_market(market.id, market.params);
        for (const auto& row : saved.positions) book_.restore_position(row.market, row.account, row.position);
        (void)book_.take_changes();
        return std::to_string(saved.markets.size()) + " markets, " + std::to_string(saved.positions.size()) +
               " positions";
    };
    auto cursor = restore_or_resync<state::MorphoSnapshot>(services_, key_, config_.first_block, head,
                                                           &state::StateStore::load_morpho, restore);
    if (cursor && *cursor) synced_through_ = (*cursor)->number;
    return cursor;
}

Result<void> MorphoBlueAdapter::apply(std::span<const chain::Log> logs, const chain::BlockRef& through) {
    for (const auto& log : logs) {
        auto event = chain::morpho_blue::decode_event(log);
        if (!event) return std::unexpected(context("block " + std::to_string(log.block_number.value_or(0)), Error(event.error())));
        if (!event->has_value()) continue;
        if (auto applied = book_.apply(log.block_number.value_or(0), **event); !applied)
            return std::unexpected(context("block " + std::to_string(log.block_number.value_or(0)), Error(applied.error())));
    }
    const auto changes = book_.take_changes();
    if (engine_) engine_->positions_changed(changes.positions);
    if (auto saved = persist(through, changes); !saved) return saved;
    synced_through_ = through.number;
    if (through.number > reorg_window_) book_.forget_undo_through(through.number - reorg_window_);
    return {};
}

Result<void> MorphoBlueAdapter::rollback(const chain::BlockRef& tip) {
    book_.rollback_after(tip.number);
    synced_through_ = tip.number;
    const auto changes = book_.take_changes();
    if (engine_) engine_->positions_changed(changes.positions);  // the undone events' accounts
    return persist(tip, changes);
}

Result<void> MorphoBlueAdapter::persist(const chain::BlockRef& through, const morpho::MorphoBook::Changes& changes) {
    if (services_.store == nullptr) return {};
    std::vector<state::MorphoMarketRow> markets;
    for (const auto& id : changes.markets) {
        const auto found = book_.markets().find(id);
        if (found != book_.markets().end()) markets.push_back({id, found->second});
    }
    std::vector<state::MorphoPositionRow> positions;
    for (const auto& key : changes.positions) {
        const morpho::Position* position = book_.position(key.market, key.account);
        positions.push_back({key.market, key.account, position != nullptr ? *position : morpho::Position{}});
    }
    return services_.store->commit_morpho(key_, {through.number, through.hash}, markets, positions);
}

Result<void> MorphoBlueAdapter::refresh(const chain::BlockHeader& head) {
    if (!engine_) {
        auto next = read_snapshot(head, chain::BlockId::number(head.number));
        if (!next) return std::unexpected(next.error());
        snapshot_ = std::move(*next);
        return {};
    }
    auto next = read_markets(head, chain::BlockId::number(head.number));
    if (!next) return std::unexpected(next.error());
    auto round = engine_->judge(book_, (*next)->markets, head.number);
    for (const auto& warning : round.warnings)
        if (services_.warn) services_.warn(key_ + ": " + warning);
    (*next)->positions = std::move(round.positions);
    (*next)->rows = std::move(round.rows);
    (*next)->rows_left_out = round.rows_left_out;
    (*next)->position_errors = std::move(round.errors);
    (*next)->work = round.work;
    snapshot_ = std::move(*next);
    return {};
}

// The pending block's positions are the ones known at `head` (a borrow in
// the pending block is not seen yet) and interest accrues to `head`'s time,
// a little short of the pending block's: debt is, if anything, understated,
// so a position is never judged liquidatable that the contract would not
// judge so. The executor's simulation at the pending block is the last word.
Result<std::shared_ptr<const Snapshot>> MorphoBlueAdapter::pending_snapshot(const chain::BlockHeader& head) {
    auto next = read_snapshot(head, chain::BlockId::pending());
    if (!next) return std::unexpected(next.error());
    return std::shared_ptr<const Snapshot>(std::move(*next));
}

Result<std::shared_ptr<MorphoSnapshot>> MorphoBlueAdapter::read_snapshot(const chain::BlockHeader& head,
                                                                         const chain::BlockId& at) {
    auto next = read_markets(head, at);
    if (!next) return next;
    const std::shared_ptr<MorphoSnapshot>& snapshot = *next;
    MorphoSnapshot& s = *snapshot;
    s.positions = evaluate_positions(book_, s.markets, &s.position_errors);
    for (const auto& p : s.positions) s.rows.push_back(position_row(p));
    s.work.exact_evaluations = s.positions.size() + s.position_errors.size();
    s.work.audit = true;
    return next;
}

Result<std::shared_ptr<MorphoSnapshot>> MorphoBlueAdapter::read_markets(const chain::BlockHeader& head,
                                                                        const chain::BlockId& at) {
    std::vector<std::pair<morpho::MarketId, morpho::MarketParams>> wanted(book_.markets().begin(),
                                                                          book_.markets().end());
    auto readings = chain::morpho_blue::read_markets(services_.client, config_.address, wanted, at);
    if (!readings)
        return std::unexpected(context(at.to_json() == "pending"
                                           ? std::string("reading markets at the pending block")
                                           : "reading markets at block " + std::to_string(head.number),
                                       Error(readings.error())));
    auto next = std::make_shared<MorphoSnapshot>();
    next->block = head.number;
    for (std::size_t i = 0; i < wanted.size() && i < readings->size(); ++i) {
        const auto& [id, params] = wanted[i];
        const auto& reading = (*readings)[i];
        // A market that could not be read (its oracle reverts, say) is left
        // out until it can: counted every round, logged once per change.
        if (!reading) {
            next->read_errors.emplace_back("market " + id.hex(), reading.error().message);
            continue;
        }
        auto accrued = accrue_market(id, params, *reading, head.timestamp);
        if (!accrued) {
            next->read_errors.emplace_back("market " + id.hex(), "accrual: " + accrued.error().message);
            continue;
        }
        next->markets.push_back(*accrued);
    }
    return next;
}

std::vector<FundingToken> MorphoBlueAdapter::funding_tokens(const Snapshot& snapshot, const DecisionInput& input) const {
    return morpho_blue::funding_tokens(static_cast<const MorphoSnapshot&>(snapshot), input);
}

Decisions MorphoBlueAdapter::decide(const Snapshot& snapshot, const DecisionInput& input) const {
    return morpho_blue::decide(static_cast<const MorphoSnapshot&>(snapshot), input, decide_settings_);
}

// Liquidations go to this Morpho (the work key names the market, not the
// deployment, as journals since the first version have it).
bool MorphoBlueAdapter::owns(std::string_view work_key, const Address& to) const {
    return work_key.starts_with("morpho-blue:") && to == config_.address;
}

Settlement MorphoBlueAdapter::settle(const Prediction& predicted, const chain::Receipt& receipt) const {
    Settlement out;
    for (const auto& log : receipt.logs) {
        if (log.address != config_.address) continue;
        auto event = chain::morpho_blue::decode_event(log);
        if (!event || !event->has_value()) continue;
        if (const auto* liq = std::get_if<morpho::LiquidateEvent>(&**event);
            liq != nullptr && liq->borrower == predicted.account && liq->id == predicted.position_id) {
            out.collateral_out = liq->seized_assets;
            out.debt_in = liq->repaid_assets;
        }
    }
    return out;
}

}  // namespace keeper::protocols::morpho_blue

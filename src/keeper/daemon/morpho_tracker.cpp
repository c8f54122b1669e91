#include "keeper/daemon/morpho_tracker.hpp"

#include <utility>

#include "chain/morpho/morpho_log_decoder.hpp"
#include "keeper/daemon/rpc_stack.hpp"

namespace keeper::app {
namespace {

Result<chain::BlockHeader> header_at(chain::JsonRpcClient& client, std::uint64_t number) {
    return read_header(client, chain::BlockId::number(number));
}

chain::BlockRef ref_of(const chain::BlockHeader& header) { return chain::block_ref(header); }

}  // namespace

MorphoTracker::MorphoTracker(chain::JsonRpcClient& client, Options options, state::StateStore* store, Notice notice)
    : client_(client),
      options_(std::move(options)),
      store_(store),
      notice_(std::move(notice)),
      book_(options_.markets) {}

chain::LogFilter MorphoTracker::filter() const {
    return chain::LogFilter{{options_.morpho}, chain::morpho_blue::followed_topics()};
}

// Saved state counts only while its cursor block is still canonical; a reorg
// while we were stopped (or a different chain at the same height) means the
// rows may hold events that no longer happened: start again from start_block.
Result<std::optional<state::BlockCursor>> MorphoTracker::restore(const chain::BlockHeader& head) {
    if (store_ == nullptr) return std::optional<state::BlockCursor>{};
    if (options_.start_block > head.number)
        return fail("start_block " + std::to_string(options_.start_block) + " is after the head block " +
                    std::to_string(head.number));
    auto start = header_at(client_, options_.start_block);
    if (!start) return fail("reading start_block: " + start.error().message);
    auto bound = store_->bind_protocol({options_.protocol_key, options_.start_block, start->hash});
    if (!bound) return std::unexpected(bound.error());
    if (*bound == state::BindOutcome::discarded)
        notice_("saved state for " + options_.protocol_key + " was for another chain or start block: discarded");
    auto snapshot = store_->load_morpho(options_.protocol_key);
    if (!snapshot) return std::unexpected(snapshot.error());
    if (!snapshot->cursor) return std::optional<state::BlockCursor>{};

    const state::BlockCursor cursor = *snapshot->cursor;
    auto canonical = cursor.number <= head.number ? header_at(client_, cursor.number) : fail("beyond head");
    if (!canonical || canonical->hash != cursor.hash) {
        notice_("saved state for " + options_.protocol_key + " ends at block " + std::to_string(cursor.number) +
                " which is no longer canonical: re-syncing from start_block");
        if (auto reset = store_->reset_protocol(options_.protocol_key); !reset) return std::unexpected(reset.error());
        return std::optional<state::BlockCursor>{};
    }
    for (const auto& market : snapshot->markets) book_.restore_market(market.id, market.params);
    for (const auto& row : snapshot->positions) book_.restore_position(row.market, row.account, row.position);
    (void)book_.take_changes();
    notice_("resumed " + options_.protocol_key + " from saved state at block " + std::to_string(cursor.number) + ": " +
            std::to_string(snapshot->markets.size()) + " markets, " + std::to_string(snapshot->positions.size()) +
            " positions");
    return std::optional<state::BlockCursor>{cursor};
}

Result<void> MorphoTracker::catch_up(const chain::BlockHeader& head, const Progress& progress) {
    auto cursor = restore(head);
    if (!cursor) return std::unexpected(cursor.error());
    const std::uint64_t from = *cursor ? (*cursor)->number + 1 : options_.start_block;
    synced_through_ = from == 0 ? 0 : from - 1;
    if (from <= head.number) {
        auto sink = [&](const chain::BlockRange& range, std::vector<chain::Log> logs) -> Result<void> {
            state::BlockCursor end{range.to, {}};
            if (store_ != nullptr) {
                auto header = header_at(client_, range.to);
                if (!header) return std::unexpected(header.error());
                end.hash = header->hash;
            }
            return apply_range(logs, end);
        };
        auto synced = chain::sync_logs(client_, filter(), from, head.number, sink,
                                       progress ? chain::ProgressSink(progress) : chain::ProgressSink{});
        if (!synced) return fail("syncing " + options_.protocol_key + " events: " + synced.error().message);
    }
    synced_through_ = head.number;
    follower_.emplace(client_, filter(), ref_of(head), options_.reorg_window);
    return {};
}

Result<void> MorphoTracker::apply_range(const std::vector<chain::Log>& logs, const state::BlockCursor& end) {
    if (options_.interrupted && options_.interrupted()) return fail("interrupted");
    if (auto applied = apply_logs(logs); !applied) return applied;
    if (store_ != nullptr)
        if (auto saved = persist(end); !saved) return saved;
    synced_through_ = end.number;
    if (end.number > options_.reorg_window) book_.forget_undo_through(end.number - options_.reorg_window);
    return {};
}

Result<chain::ChainUpdate> MorphoTracker::follow(const chain::BlockHeader& head, const Progress& progress) {
    if (!follower_) return fail("follow() before catch_up()");
    chain::LogFollower::Handler handler;
    handler.on_rollback = [&](const std::vector<chain::BlockRef>& removed) -> Result<void> {
        if (removed.empty()) return {};
        const chain::BlockRef& oldest = removed.back();  // newest first
        book_.rollback_after(oldest.number - 1);
        notice_("reorg: rolled back " + std::to_string(removed.size()) + " block(s) from " +
                std::to_string(oldest.number));
        synced_through_ = oldest.number - 1;
        return store_ != nullptr ? persist({oldest.number - 1, oldest.parent_hash}) : Result<void>{};
    };
    handler.on_block = [&](const chain::BlockRef& block, std::vector<chain::Log> logs) -> Result<void> {
        if (auto applied = apply_logs(logs); !applied) return applied;
        if (store_ != nullptr)
            if (auto saved = persist({block.number, block.hash}); !saved) return saved;
        synced_through_ = block.number;
        if (block.number > options_.reorg_window) book_.forget_undo_through(block.number - options_.reorg_window);
        return {};
    };
    handler.on_range = [&](const chain::BlockRange&, std::vector<chain::Log> logs, const chain::BlockRef& end) {
        return apply_range(logs, {end.number, end.hash});
    };
    handler.on_progress = progress;
    auto update = follower_->follow_head(ref_of(head), handler);
    if (!update) return fail("following " + options_.protocol_key + ": " + update.error().message);
    if (update->ranged)
        notice_(options_.protocol_key + ": caught up a head gap, blocks " + std::to_string(update->ranged->from) +
                "-" + std::to_string(update->ranged->to) + ", by eth_getLogs ranges");
    return *update;
}

Result<void> MorphoTracker::apply_logs(const std::vector<chain::Log>& logs) {
    for (const auto& log : logs) {
        auto event = chain::morpho_blue::decode_event(log);
        if (!event) return fail("block " + std::to_string(log.block_number.value_or(0)) + ": " + event.error().message);
        if (!event->has_value()) continue;
        if (auto applied = book_.apply(log.block_number.value_or(0), **event); !applied)
            return fail("block " + std::to_string(log.block_number.value_or(0)) + ": " + applied.error().message);
    }
    return {};
}

Result<void> MorphoTracker::persist(const state::BlockCursor& cursor) {
    const auto changes = book_.take_changes();
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
    return store_->commit_morpho(options_.protocol_key, cursor, markets, positions);
}

Result<void> MorphoTracker::refresh(const chain::BlockHeader& head) {
    std::vector<std::pair<morpho::MarketId, morpho::MarketParams>> wanted(book_.markets().begin(), book_.markets().end());
    auto readings = chain::morpho_blue::read_markets(client_, options_.morpho, wanted, head.number);
    if (!readings) return fail("reading markets at block " + std::to_string(head.number) + ": " + readings.error().message);
    markets_.clear();
    market_errors_.clear();
    for (std::size_t i = 0; i < wanted.size() && i < readings->size(); ++i) {
        const auto& [id, params] = wanted[i];
        const auto& reading = (*readings)[i];
        if (!reading) {
            market_errors_.push_back({id, reading.error().message});
            continue;
        }
        auto accrued = accrue_market(id, params, *reading, head.timestamp);
        if (!accrued) {
            market_errors_.push_back({id, "accrual: " + accrued.error().message});
            continue;
        }
        markets_.push_back(*accrued);
    }
    refreshed_at_ = head.number;
    return {};
}

}  // namespace keeper::app

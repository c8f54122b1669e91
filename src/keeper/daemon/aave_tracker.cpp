#include "keeper/daemon/aave_tracker.hpp"

#include <algorithm>
#include <utility>

#include "chain/aave/aave_log_decoder.hpp"
#include "keeper/daemon/rpc_stack.hpp"

namespace keeper::app {
namespace {

Result<chain::BlockHeader> header_at(chain::JsonRpcClient& client, std::uint64_t number) {
    return read_header(client, chain::BlockId::number(number));
}

std::string at_block(std::uint64_t block) { return " at block " + std::to_string(block); }

}  // namespace

AaveTracker::AaveTracker(chain::JsonRpcClient& client, Options options, state::StateStore* store, Notice notice)
    : client_(client), options_(std::move(options)), store_(store), notice_(std::move(notice)) {}

chain::LogFilter AaveTracker::filter() const {
    chain::LogFilter f;
    f.addresses.push_back(pool_);
    f.addresses.insert(f.addresses.end(), a_tokens_.begin(), a_tokens_.end());
    f.any_topic0 = chain::aave_v3::pool_topics();
    f.any_topic0.push_back(chain::aave_v3::balance_transfer_topic());
    return f;
}

void AaveTracker::note_account(const Address& account) {
    if (account == Address{}) return;  // mints and burns name the zero address
    if (accounts_.insert(account).second) unsaved_accounts_.push_back(account);
    dirty_.insert(account);
}

Result<void> AaveTracker::read_reserves(std::uint64_t block) {
    auto addresses = chain::aave_v3::read_pool_addresses(client_, options_.addresses_provider, block);
    if (!addresses) return fail("addresses provider " + options_.addresses_provider.checksummed() + at_block(block) +
                                ": " + addresses.error().message);
    if (addresses->pool == Address{}) return fail("addresses provider " + options_.addresses_provider.checksummed() +
                                                  " names no pool" + at_block(block));
    if (pool_ != Address{} && addresses->pool != pool_)
        return fail("the addresses provider now names pool " + addresses->pool.checksummed() + " instead of " +
                    pool_.checksummed() + ": restart the keeper to follow it");
    pool_ = addresses->pool;
    oracle_ = addresses->oracle;
    auto reserves = chain::aave_v3::read_reserves(client_, pool_, oracle_, block);
    if (!reserves) return fail("reading reserves" + at_block(block) + ": " + reserves.error().message);
    reserve_readings_ = std::move(*reserves);
    return {};
}

Result<std::optional<state::BlockCursor>> AaveTracker::restore(const chain::BlockHeader& head) {
    if (store_ == nullptr) return std::optional<state::BlockCursor>{};
    auto start = header_at(client_, options_.start_block);
    if (!start) return fail("reading start_block: " + start.error().message);
    auto bound = store_->bind_protocol({options_.protocol_key, options_.start_block, start->hash});
    if (!bound) return std::unexpected(bound.error());
    if (*bound == state::BindOutcome::discarded)
        notice_("saved state for " + options_.protocol_key + " was for another chain or start block: discarded");
    auto snapshot = store_->load_aave(options_.protocol_key);
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
    for (const Address& account : snapshot->accounts) {
        accounts_.insert(account);
        dirty_.insert(account);  // balances are never saved: read them all at the head
    }
    notice_("resumed " + options_.protocol_key + " from saved state at block " + std::to_string(cursor.number) + ": " +
            std::to_string(snapshot->accounts.size()) + " accounts");
    return std::optional<state::BlockCursor>{cursor};
}

Result<void> AaveTracker::catch_up(const chain::BlockHeader& head, const Progress& progress) {
    if (options_.start_block > head.number)
        return fail("start_block " + std::to_string(options_.start_block) + " is after the head block " +
                    std::to_string(head.number));
    if (auto read = read_reserves(head.number); !read) return read;
    auto revision = chain::aave_v3::read_pool_revision(client_, pool_, head.number);
    if (!revision) return fail("reading POOL_REVISION of " + pool_.checksummed() + ": " + revision.error().message);
    auto rules = rules_for_revision(*revision);
    if (!rules) return std::unexpected(rules.error());
    rules_ = *rules;
    for (const auto& r : reserve_readings_) a_tokens_.insert(r.data.a_token);
    notice_(options_.protocol_key + ": pool " + pool_.checksummed() + " (revision " + std::to_string(*revision) +
            "), oracle " + oracle_.checksummed() + ", " + std::to_string(reserve_readings_.size()) + " reserves");

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
    follower_.emplace(client_, filter(), chain::block_ref(head), options_.reorg_window);
    return {};
}

Result<void> AaveTracker::apply_range(const std::vector<chain::Log>& logs, const state::BlockCursor& end) {
    if (options_.interrupted && options_.interrupted()) return fail("interrupted");
    if (auto applied = apply_logs(logs); !applied) return applied;
    if (store_ != nullptr)
        if (auto saved = persist(end); !saved) return saved;
    synced_through_ = end.number;
    return {};
}

Result<chain::ChainUpdate> AaveTracker::follow(const chain::BlockHeader& head, const Progress& progress) {
    if (!follower_) return fail("follow() before catch_up()");
    chain::LogFollower::Handler handler;
    handler.on_rollback = [&](const std::vector<chain::BlockRef>& removed) -> Result<void> {
        if (removed.empty()) return {};
        const chain::BlockRef& oldest = removed.back();
        // Which accounts the removed blocks touched is not kept: read them all again.
        dirty_.insert(accounts_.begin(), accounts_.end());
        notice_("reorg: rolled back " + std::to_string(removed.size()) + " block(s) from " +
                std::to_string(oldest.number) + "; every account is re-read");
        synced_through_ = oldest.number - 1;
        return store_ != nullptr ? persist({oldest.number - 1, oldest.parent_hash}) : Result<void>{};
    };
    handler.on_block = [&](const chain::BlockRef& block, std::vector<chain::Log> logs) -> Result<void> {
        if (auto applied = apply_logs(logs); !applied) return applied;
        if (store_ != nullptr)
            if (auto saved = persist({block.number, block.hash}); !saved) return saved;
        synced_through_ = block.number;
        return {};
    };
    handler.on_range = [&](const chain::BlockRange&, std::vector<chain::Log> logs, const chain::BlockRef& end) {
        return apply_range(logs, {end.number, end.hash});
    };
    handler.on_progress = progress;
    auto update = follower_->follow_head(chain::block_ref(head), handler);
    if (!update) return fail("following " + options_.protocol_key + ": " + update.error().message);
    if (update->ranged)
        notice_(options_.protocol_key + ": caught up a head gap, blocks " + std::to_string(update->ranged->from) +
                "-" + std::to_string(update->ranged->to) + ", by eth_getLogs ranges");
    return *update;
}

Result<void> AaveTracker::apply_logs(const std::vector<chain::Log>& logs) {
    for (const auto& log : logs) {
        // BalanceTransfer is only ours from the pool's own aTokens.
        if (log.address != pool_ && !a_tokens_.contains(log.address)) continue;
        auto event = chain::aave_v3::decode_event(log);
        if (!event) return fail("block " + std::to_string(log.block_number.value_or(0)) + ": " + event.error().message);
        if (!event->has_value()) continue;
        const bool from_pool = log.address == pool_;
        const bool is_transfer = std::holds_alternative<chain::aave_v3::BalanceTransferEvent>(**event);
        if (from_pool == is_transfer) continue;  // a pool topic from an aToken or the other way round
        for (const Address& account : chain::aave_v3::touched_accounts(**event)) note_account(account);
    }
    return {};
}

Result<void> AaveTracker::persist(const state::BlockCursor& cursor) {
    auto saved = store_->commit_aave(options_.protocol_key, cursor, unsaved_accounts_);
    if (saved) unsaved_accounts_.clear();
    return saved;
}

Result<void> AaveTracker::refresh(const chain::BlockHeader& head) {
    if (auto read = read_reserves(head.number); !read) return read;
    std::set<Address> a_tokens;
    for (const auto& r : reserve_readings_) a_tokens.insert(r.data.a_token);
    if (a_tokens != a_tokens_) {
        // A reserve listed since the last head: follow its aToken from the next block on.
        a_tokens_ = std::move(a_tokens);
        notice_(options_.protocol_key + ": now " + std::to_string(reserve_readings_.size()) + " reserves");
        if (follower_) follower_.emplace(client_, filter(), chain::block_ref(head), options_.reorg_window);
    }
    std::vector<AaveReserveAtBlock> reserves;
    for (const auto& r : reserve_readings_) {
        auto at = reserve_at_block(r, head.timestamp, rules_);
        if (!at) return fail(at.error().message + at_block(head.number));
        reserves.push_back(std::move(*at));
    }
    reserves_ = std::move(reserves);

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
        auto users = chain::aave_v3::read_users(client_, pool_, reserve_readings_, wanted, head.number);
        if (!users) return fail("reading accounts" + at_block(head.number) + ": " + users.error().message);
        for (auto& user : *users) {
            const Address account = user.user;
            if (aave::UserConfig(user.configuration).empty()) readings_.erase(account);
            else readings_[account] = std::move(user);
        }
    }
    dirty_.clear();

    std::vector<std::uint8_t> ids;
    for (const auto& [account, reading] : readings_)
        if (reading.emode_category != 0 &&
            std::find(ids.begin(), ids.end(), reading.emode_category) == ids.end())
            ids.push_back(reading.emode_category);
    emodes_.clear();
    if (!ids.empty()) {
        chain::aave_v3::ReadOptions read;
        read.liquid_emodes = rules_ != aave::PoolRules::EarlyV3;
        read.emode_isolation = rules_ == aave::PoolRules::V3_7;
        auto categories = chain::aave_v3::read_emode_categories(client_, pool_, oracle_, ids, head.number, read);
        if (!categories) return fail("reading eMode categories" + at_block(head.number) + ": " +
                                     categories.error().message);
        for (const auto& c : *categories) {
            aave::EModeCategory category;
            category.ltv_bps = c.category.ltv_bps;
            category.liquidation_threshold_bps = c.category.liquidation_threshold_bps;
            category.liquidation_bonus_bps = c.category.liquidation_bonus_bps;
            category.price_source_price = c.price_source_price;
            category.collateral_bitmap = c.collateral_bitmap;
            category.ltvzero_bitmap = c.ltvzero_bitmap;
            category.isolated = c.isolated;
            emodes_[c.id] = category;
        }
    }
    refreshed_at_ = head.number;
    refreshed_timestamp_ = head.timestamp;
    return {};
}

std::vector<chain::aave_v3::UserReading> AaveTracker::users() const {
    std::vector<chain::aave_v3::UserReading> out;
    out.reserve(readings_.size());
    for (const auto& [account, reading] : readings_) out.push_back(reading);
    return out;
}

}  // namespace keeper::app

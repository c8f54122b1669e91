#include "keeper/daemon/protocol_follower.hpp"

#include <algorithm>
#include <set>

#include "protocols/block_header.hpp"

namespace keeper::app {
namespace {

bool selects(const chain::LogFilter& filter, const chain::Log& log) {
    const auto& a = filter.addresses;
    const auto& t = filter.any_topic0;
    if (!a.empty() && std::find(a.begin(), a.end(), log.address) == a.end()) return false;
    if (t.empty()) return true;
    return !log.topics.empty() && std::find(t.begin(), t.end(), log.topics.front()) != t.end();
}

bool same_filter(const chain::LogFilter& a, const chain::LogFilter& b) {
    return a.addresses == b.addresses && a.any_topic0 == b.any_topic0;
}

}  // namespace

std::vector<chain::Log> logs_for(const chain::LogFilter& filter, std::span<const chain::Log> all) {
    std::vector<chain::Log> out;
    for (const auto& log : all)
        if (selects(filter, log)) out.push_back(log);
    return out;
}

ProtocolFollower::ProtocolFollower(chain::JsonRpcClient& client, std::vector<protocols::ProtocolAdapter*> adapters,
                                   Notice notice, std::function<bool()> interrupted, std::size_t reorg_window)
    : client_(client),
      adapters_(std::move(adapters)),
      notice_(std::move(notice)),
      interrupted_(std::move(interrupted)),
      reorg_window_(reorg_window) {}

// Every adapter's and listener's addresses and topics, each once, in a stable order.
chain::LogFilter ProtocolFollower::shared_filter() const {
    std::set<Address> addresses;
    std::set<Bytes32> topics;
    const auto add = [&](const chain::LogFilter& f) {
        addresses.insert(f.addresses.begin(), f.addresses.end());
        topics.insert(f.any_topic0.begin(), f.any_topic0.end());
    };
    for (const auto* adapter : adapters_) add(adapter->log_filter());
    for (const auto& listener : listeners_) add(listener.filter);
    return chain::LogFilter{{addresses.begin(), addresses.end()}, {topics.begin(), topics.end()}};
}

Result<void> ProtocolFollower::catch_up(protocols::ProtocolAdapter& adapter, std::uint64_t to,
                                        const chain::ProgressSink& progress) {
    const std::uint64_t from = adapter.synced_through() + 1;
    if (from > to) return {};
    std::optional<Error> applying;  // the adapter's own error, not the sync's wording of it
    auto sink = [&](const chain::BlockRange& range, std::vector<chain::Log> logs) -> Result<void> {
        if (interrupted_ && interrupted_()) return fail("interrupted");
        auto header = protocols::read_header_at(client_, range.to);
        if (!header) return std::unexpected(header.error());
        auto applied = adapter.apply(logs, chain::block_ref(*header));
        if (!applied) applying = applied.error();
        return applied;
    };
    auto synced = chain::sync_logs(client_, adapter.log_filter(), from, to, sink, progress);
    if (applying) return std::unexpected(context("following " + adapter.key(), *applying));
    if (!synced) return std::unexpected(context("following " + adapter.key(), Error(synced.error())));
    return {};
}

Result<void> ProtocolFollower::open(const chain::BlockHeader& head, const ProgressFor& progress) {
    for (auto* adapter : adapters_) {
        auto opened = adapter->open(head);
        if (!opened) return std::unexpected(opened.error());
        auto synced = catch_up(*adapter, head.number, progress ? progress(adapter->key()) : chain::ProgressSink{});
        if (!synced) return std::unexpected(context("syncing " + adapter->key() + " events", Error(synced.error())));
    }
    filter_ = shared_filter();
    follower_ = std::make_unique<chain::LogFollower>(client_, filter_, chain::block_ref(head), reorg_window_);
    return {};
}

Result<ProtocolFollower::Followed> ProtocolFollower::follow(const chain::BlockHeader& head,
                                                            const ProgressFor& progress) {
    if (!follower_) return fail("follow() before open()");
    Followed out;
    auto& behind = out.behind;
    chain::LogFollower::Handler handler;
    handler.on_rollback = [&](const std::vector<chain::BlockRef>& removed) -> Result<void> {
        if (removed.empty()) return {};
        const chain::BlockRef& oldest = removed.back();  // newest first
        const chain::BlockRef tip{oldest.number - 1, oldest.parent_hash, {}};
        notice_("reorg: rolled back " + std::to_string(removed.size()) + " block(s) from " +
                std::to_string(oldest.number));
        for (auto* adapter : adapters_) {
            if (adapter->synced_through() < oldest.number) continue;
            if (auto rolled = adapter->rollback(tip); !rolled) behind.emplace(adapter->key(), rolled.error());
        }
        return {};
    };
    // Logs of [first, end] go to the adapters level with first - 1.
    auto hand_out = [&](std::uint64_t first, const std::vector<chain::Log>& logs, const chain::BlockRef& end) {
        for (auto* adapter : adapters_) {
            if (adapter->synced_through() + 1 != first || behind.contains(adapter->key())) continue;
            auto applied = adapter->apply(logs_for(adapter->log_filter(), logs), end);
            if (!applied) behind.emplace(adapter->key(), context("following " + adapter->key(), applied.error()));
        }
        for (const auto& listener : listeners_) {
            const auto selected = logs_for(listener.filter, logs);
            if (!selected.empty()) listener.apply(selected, head);
        }
    };
    handler.on_block = [&](const chain::BlockRef& block, std::vector<chain::Log> logs) -> Result<void> {
        hand_out(block.number, logs, block);
        return {};
    };
    handler.on_range = [&](const chain::BlockRange& range, std::vector<chain::Log> logs,
                           const chain::BlockRef& end) -> Result<void> {
        if (interrupted_ && interrupted_()) return fail("interrupted");
        hand_out(range.from, logs, end);
        return {};
    };
    handler.on_progress = progress ? progress("every protocol") : chain::ProgressSink{};
    auto update = follower_->follow_head(chain::block_ref(head), handler);
    if (!update) return std::unexpected(context("following the chain", Error(update.error())));
    if (update->ranged)
        notice_("caught up a head gap, blocks " + std::to_string(update->ranged->from) + "-" +
                std::to_string(update->ranged->to) + ", by eth_getLogs ranges");
    // Those left behind (now or in an earlier round) catch up on their own.
    for (auto* adapter : adapters_) {
        if (adapter->synced_through() >= head.number) continue;
        const bool was_behind = behind.contains(adapter->key());
        auto caught = catch_up(*adapter, head.number, progress ? progress(adapter->key()) : chain::ProgressSink{});
        if (!caught) behind.insert_or_assign(adapter->key(), caught.error());
        else if (was_behind) behind.erase(adapter->key());
    }
    out.update = std::move(*update);
    return out;
}

void ProtocolFollower::refilter(const chain::BlockHeader& head) {
    auto filter = shared_filter();
    if (same_filter(filter, filter_)) return;
    filter_ = std::move(filter);
    follower_ = std::make_unique<chain::LogFollower>(client_, filter_, chain::block_ref(head), reorg_window_);
}

}  // namespace keeper::app

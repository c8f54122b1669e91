#include "chain/log_sync.hpp"

#include <algorithm>
#include <map>

namespace keeper::chain {
namespace {

std::string quantity(std::uint64_t n) { return U256(n).to_hex(); }

}  // namespace

nlohmann::json LogFilter::params(const BlockRange& range) const {
    nlohmann::json filter = {{"fromBlock", quantity(range.from)}, {"toBlock", quantity(range.to)}};
    if (!addresses.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& a : addresses) list.push_back(a.hex());
        filter["address"] = list;
    }
    if (!any_topic0.empty()) {
        nlohmann::json topics = nlohmann::json::array();
        for (const auto& t : any_topic0) topics.push_back(t.hex());
        filter["topics"] = nlohmann::json::array({topics});
    }
    return nlohmann::json::array({filter});
}

BlockRef block_ref(const BlockHeader& header) { return BlockRef{header.number, header.hash, header.parent_hash}; }

RpcResult<std::vector<Log>> get_logs(JsonRpcClient& client, const LogFilter& filter, const BlockRange& range) {
    auto answer = client.call("eth_getLogs", filter.params(range));
    if (!answer) return std::unexpected(answer.error());
    if (!answer->is_array()) return rpc_fail(RpcError::malformed("eth_getLogs: result is not an array"));
    std::vector<Log> logs;
    logs.reserve(answer->size());
    for (std::size_t i = 0; i < answer->size(); ++i) {
        auto log = decode_log((*answer)[i]);
        if (!log) return rpc_fail(RpcError::malformed("eth_getLogs: [" + std::to_string(i) + "]: " + log.error().message));
        if (!log->block_number || !log->block_hash || !log->log_index)
            return rpc_fail(RpcError::malformed("eth_getLogs: [" + std::to_string(i) + "]: a mined log without blockNumber, blockHash or logIndex"));
        if (*log->block_number < range.from || *log->block_number > range.to)
            return rpc_fail(RpcError::malformed("eth_getLogs: [" + std::to_string(i) + "]: block " +
                                                std::to_string(*log->block_number) + " outside the range asked for"));
        logs.push_back(std::move(*log));
    }
    // Nodes answer in chain order, but the state we derive depends on it: make sure.
    std::stable_sort(logs.begin(), logs.end(), [](const Log& a, const Log& b) {
        return std::pair(*a.block_number, *a.log_index) < std::pair(*b.block_number, *b.log_index);
    });
    return logs;
}

Result<SyncProgress> sync_logs(JsonRpcClient& client, const LogFilter& filter, std::uint64_t from, std::uint64_t to,
                               const RangeSink& sink, const ProgressSink& progress, RangeLimits limits, Clock clock) {
    if (!clock) clock = [] { return std::chrono::steady_clock::now(); };
    LogRangePlanner plan(from, to, limits);
    SyncProgress state{from == 0 ? 0 : from - 1, to, 0.0, 0, 0, 0};
    while (auto range = plan.next()) {
        const auto started = clock();
        auto logs = get_logs(client, filter, *range);
        ++state.requests;
        if (!logs) {
            const RpcError& e = logs.error();
            const bool too_large = (e.kind == RpcError::Kind::rpc && is_range_too_large_error(static_cast<int>(e.code), e.message)) ||
                                   (e.kind == RpcError::Kind::transport && is_range_too_large_error(0, e.message));
            if (!too_large) return fail("log sync at blocks " + std::to_string(range->from) + "-" + std::to_string(range->to) + ": " + e.message);
            ++state.refused_ranges;
            auto shrunk = plan.on_too_large(*range);
            if (!shrunk) return fail(shrunk.error().message + " (the node said: " + e.message + ")");
            continue;
        }
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock() - started);
        const std::size_t count = logs->size();
        auto applied = sink(*range, std::move(*logs));
        if (!applied) return std::unexpected(context("log sync: applying blocks " + std::to_string(range->from) + "-" + std::to_string(range->to), applied.error()));
        plan.on_success(*range, static_cast<std::uint64_t>(elapsed.count()), count);
        state.synced_through = range->to;
        state.logs += count;
        state.fraction = plan.progress();
        if (progress) progress(state);
    }
    state.fraction = 1.0;
    return state;
}

LogFollower::LogFollower(JsonRpcClient& client, LogFilter filter, BlockRef start, std::size_t reorg_window,
                         GapPolicy gap)
    : client_(client), filter_(std::move(filter)), tracker_(reorg_window), gap_(gap) {
    gap_.tail = std::min(gap_.tail, gap_.header_walk);
    tracker_.reset(start);
}

Result<ChainUpdate> LogFollower::poll(const Handler& handler) {
    auto head = client_.get_block_header(BlockId::latest());
    if (!head) return fail("follow: reading the head: " + head.error().message);
    if (!*head) return fail("follow: the node has no latest block");
    return follow_head(block_ref(**head), handler);
}

Result<BlockRef> LogFollower::canonical_at(std::uint64_t number) {
    auto header = client_.get_block_header(BlockId::number(number));
    if (!header) return fail(header.error().message);
    if (!*header) return fail("block " + std::to_string(number) + " is not available");
    return block_ref(**header);
}

Result<ChainUpdate> LogFollower::follow_head(const BlockRef& head, const Handler& handler) {
    ChainUpdate gap;
    const auto tip = tracker_.tip();
    if (handler.on_range && tip && head.number > tip->number + gap_.header_walk) {
        auto caught_up = catch_up_gap(head.number - gap_.tail, handler);
        if (!caught_up) return caught_up;
        gap = std::move(*caught_up);
    }
    auto update = follow_blocks(head, handler);
    if (!update) return update;
    update->removed.insert(update->removed.end(), gap.removed.begin(), gap.removed.end());  // newest first
    update->ranged = gap.ranged;
    return update;
}

Result<ChainUpdate> LogFollower::catch_up_gap(std::uint64_t to, const Handler& handler) {
    ChainUpdate update;
    // A reorg while we could not see the node: roll back to the newest block
    // we hold that is still canonical (bounded by the window, like any reorg).
    auto stale = tracker_.stale_blocks([this](std::uint64_t n) { return canonical_at(n); });
    if (!stale) return fail("follow: " + stale.error().message);
    if (!stale->empty()) {
        auto rolled = handler.on_rollback(*stale);
        if (!rolled) return std::unexpected(context("follow: rollback", rolled.error()));
        tracker_.truncate_after(stale->back().number - 1);
        update.removed = std::move(*stale);
    }
    const std::uint64_t from = tracker_.tip()->number + 1;
    auto sink = [&](const BlockRange& range, std::vector<Log> logs) -> Result<void> {
        auto end = canonical_at(range.to);
        if (!end) return fail("reading block " + std::to_string(range.to) + ": " + end.error().message);
        // The range's logs and the end header must come from one chain.
        for (const Log& log : logs)
            if (*log.block_number == range.to && *log.block_hash != end->hash)
                return fail("logs of block " + std::to_string(range.to) +
                            " come from another fork (reorg during the catch-up); retrying next poll");
        if (auto applied = handler.on_range(range, std::move(logs), *end); !applied)
            return std::unexpected(context("blocks " + std::to_string(range.from) + "-" + std::to_string(range.to), applied.error()));
        tracker_.reset(*end);
        update.ranged = BlockRange{from, range.to};
        return {};
    };
    auto synced = sync_logs(client_, filter_, from, to, sink, handler.on_progress, gap_.ranges);
    if (!synced) return fail("follow: head gap: " + synced.error().message);
    return update;
}

Result<ChainUpdate> LogFollower::follow_blocks(const BlockRef& head, const Handler& handler) {
    // Plan on a copy; commit to tracker_ only what the handler has applied, so
    // a failure half-way neither skips a block nor rolls one back twice.
    BlockTracker next = tracker_;
    auto update = next.advance(head, [this](std::uint64_t n) { return canonical_at(n); });
    if (!update) return fail("follow: " + update.error().message);

    if (!update->removed.empty()) {
        auto rolled = handler.on_rollback(update->removed);
        if (!rolled) return std::unexpected(context("follow: rollback", rolled.error()));
        tracker_.truncate_after(update->removed.back().number - 1);
    }
    if (!update->added.empty()) {
        // Through sync_logs, so a provider whose range limit is below the
        // blocks added in one poll is asked in smaller pieces, not forever.
        std::map<std::uint64_t, std::vector<Log>> by_block;
        auto collect = [&](const BlockRange&, std::vector<Log> logs) -> Result<void> {
            for (auto& log : logs) by_block[*log.block_number].push_back(std::move(log));
            return {};
        };
        auto fetched = sync_logs(client_, filter_, update->added.front().number, update->added.back().number, collect,
                                 {}, gap_.ranges);
        if (!fetched) return fail("follow: " + fetched.error().message);
        // The logs must come from the blocks we are about to apply; a reorg
        // between the two reads shows up as a foreign block hash.
        for (const BlockRef& block : update->added) {
            for (const Log& log : by_block[block.number])
                if (*log.block_hash != block.hash)
                    return fail("follow: logs of block " + std::to_string(block.number) +
                                " come from another fork (reorg during the poll); retrying next poll");
        }
        for (const BlockRef& block : update->added) {
            auto applied = handler.on_block(block, std::move(by_block[block.number]));
            if (!applied) return std::unexpected(context("follow: block " + std::to_string(block.number), applied.error()));
            if (auto linked = tracker_.append(block); !linked) return std::unexpected(linked.error());
        }
    }
    return update;
}

}  // namespace keeper::chain

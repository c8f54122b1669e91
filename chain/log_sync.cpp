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
            if (!shrunk) return std::unexpected(shrunk.error());
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

LogFollower::LogFollower(JsonRpcClient& client, LogFilter filter, BlockRef start, std::size_t reorg_window)
    : client_(client), filter_(std::move(filter)), tracker_(reorg_window) {
    tracker_.reset(start);
}

Result<ChainUpdate> LogFollower::poll(const Handler& handler) {
    auto head = client_.get_block_header(BlockId::latest());
    if (!head) return fail("follow: reading the head: " + head.error().message);
    if (!*head) return fail("follow: the node has no latest block");
    return follow_head(block_ref(**head), handler);
}

Result<ChainUpdate> LogFollower::follow_head(const BlockRef& head, const Handler& handler) {
    // Plan on a copy; commit to tracker_ only what the handler has applied, so
    // a failure half-way neither skips a block nor rolls one back twice.
    BlockTracker next = tracker_;
    auto update = next.advance(head, [this](std::uint64_t n) -> Result<BlockRef> {
        auto header = client_.get_block_header(BlockId::number(n));
        if (!header) return fail(header.error().message);
        if (!*header) return fail("block " + std::to_string(n) + " is not available");
        return block_ref(**header);
    });
    if (!update) return fail("follow: " + update.error().message);

    if (!update->removed.empty()) {
        auto rolled = handler.on_rollback(update->removed);
        if (!rolled) return std::unexpected(context("follow: rollback", rolled.error()));
        tracker_.truncate_after(update->removed.back().number - 1);
    }
    if (!update->added.empty()) {
        const BlockRange range{update->added.front().number, update->added.back().number};
        auto logs = get_logs(client_, filter_, range);
        if (!logs) return fail("follow: " + logs.error().message);
        std::map<std::uint64_t, std::vector<Log>> by_block;
        for (auto& log : *logs) by_block[*log.block_number].push_back(std::move(log));
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

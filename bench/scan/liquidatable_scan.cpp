#include "liquidatable_scan.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/morpho/morpho_reader.hpp"
#include "chain/multicall.hpp"
#include "margin/morpho_blue.hpp"

namespace keeper::bench {
namespace {

namespace mb = chain::morpho_blue;

chain::LogFilter morpho_filter(const Address& morpho) {
    return chain::LogFilter{.addresses = {morpho}, .any_topic0 = mb::followed_topics()};
}

// Applies the logs of blocks after `held_through` (every log when nullopt), in order.
Result<std::uint64_t> apply_logs(morpho::MorphoBook& book, const std::vector<chain::Log>& logs,
                                 std::optional<std::uint64_t> held_through) {
    std::uint64_t events = 0;
    for (const chain::Log& log : logs) {
        const std::uint64_t block = log.block_number.value_or(0);  // get_logs checked it is there
        if (held_through && block <= *held_through) continue;
        auto event = mb::decode_event(log);
        if (!event) return std::unexpected(context("block " + std::to_string(block), event.error()));
        if (!*event) continue;
        if (auto applied = book.apply(block, **event); !applied)
            return std::unexpected(context("block " + std::to_string(block), applied.error()));
        ++events;
    }
    return events;
}

}  // namespace

Result<SyncReport> sync_book(chain::JsonRpcClient& client, const Address& morpho, std::uint64_t from, std::uint64_t to,
                             morpho::MorphoBook& book) {
    SyncReport report;
    auto sink = [&](const chain::BlockRange& range, std::vector<chain::Log> logs) -> Result<void> {
        report.logs += logs.size();
        auto events = apply_logs(book, logs, std::nullopt);
        if (!events) return std::unexpected(events.error());
        report.events += *events;
        report.synced_through = range.to;
        return {};
    };
    auto synced = chain::sync_logs(client, morpho_filter(morpho), from, to, sink);
    if (!synced) return std::unexpected(context("initial sync", synced.error()));
    return report;
}

Result<std::vector<protocols::morpho_blue::MarketAtBlock>> read_head(chain::JsonRpcClient& client, const Address& morpho,
                                                  morpho::MorphoBook& book, std::uint64_t& synced_through,
                                                  const chain::BlockHeader& head) {
    auto logs = chain::get_logs(client, morpho_filter(morpho), chain::BlockRange{head.number, head.number});
    if (!logs) return fail("head logs: " + logs.error().message);
    auto applied = apply_logs(book, *logs, synced_through);
    if (!applied) return std::unexpected(applied.error());
    synced_through = std::max(synced_through, head.number);

    const std::vector<std::pair<morpho::MarketId, morpho::MarketParams>> markets(book.markets().begin(),
                                                                                 book.markets().end());
    auto readings = mb::read_markets(client, morpho, markets, head.number);
    if (!readings) return fail("read_markets: " + readings.error().message);
    std::vector<protocols::morpho_blue::MarketAtBlock> at_head;
    at_head.reserve(markets.size());
    for (std::size_t i = 0; i < markets.size(); ++i) {
        const auto& reading = (*readings)[i];
        if (!reading) return std::unexpected(context("market " + markets[i].first.hex(), reading.error()));
        auto accrued = protocols::morpho_blue::accrue_market(markets[i].first, markets[i].second, *reading, head.timestamp);
        if (!accrued) return std::unexpected(context("accrual", accrued.error()));
        at_head.push_back(std::move(*accrued));
    }
    return at_head;
}

Result<Scan> find_liquidatable(const morpho::MorphoBook& book, std::span<const protocols::morpho_blue::MarketAtBlock> markets) {
    std::vector<std::string> errors;
    const auto rows = protocols::morpho_blue::evaluate_positions(book, markets, &errors);
    if (!errors.empty()) return fail("evaluation: " + errors.front());
    Scan scan;
    scan.positions = rows.size();
    for (const auto& row : rows)
        if (row.liquidatable) scan.liquidatable.push_back({row.market, row.account});
    std::sort(scan.liquidatable.begin(), scan.liquidatable.end());
    return scan;
}

Result<Scan> scan_local_engine(chain::JsonRpcClient& client, const Address& morpho, morpho::MorphoBook& book,
                               std::uint64_t& synced_through, const chain::BlockHeader& head) {
    auto markets = read_head(client, morpho, book, synced_through, head);
    if (!markets) return std::unexpected(markets.error());
    return find_liquidatable(book, *markets);
}

Result<Scan> scan_by_polling(chain::JsonRpcClient& client, const PollTarget& target, std::span<const Address> borrowers,
                             std::uint64_t block, std::size_t borrowers_per_eth_call) {
    const Bytes market_call = mb::encode_market(target.market);
    const Bytes price_call = mb::encode_oracle_price();
    std::vector<chain::SubCall> calls;
    calls.reserve(3 * borrowers.size());
    for (const Address& borrower : borrowers) {
        calls.push_back({target.morpho, mb::encode_position(target.market, borrower), true});
        calls.push_back({target.morpho, market_call, true});
        calls.push_back({target.params.oracle, price_call, true});
    }
    // One eth_call per request, in turn: Multicall would put every chunk in
    // one JSON-RPC batch, but 20 chunks of ~1.3 MB exceed what nodes accept in
    // one HTTP body (anvil drops the connection at 16 MB, geth refuses 5 MB).
    const std::size_t chunk = 3 * borrowers_per_eth_call;
    chain::Multicall multicall(client, target.aggregator,
                               chain::MulticallOptions{.max_calls_per_eth_call = chunk, .gas = std::nullopt});
    const chain::BlockId at = chain::BlockId::number(block);
    std::vector<chain::SubCallOutcome> outcomes;
    outcomes.reserve(calls.size());
    for (std::size_t start = 0; start < calls.size(); start += chunk) {
        const auto part = std::span<const chain::SubCall>(calls).subspan(start, std::min(chunk, calls.size() - start));
        auto answered = multicall.aggregate3(part, at);
        if (!answered) return fail("aggregate3: " + answered.error().message);
        for (auto& outcome : *answered) outcomes.push_back(std::move(outcome));
    }

    Scan scan;
    // Built only on failure: checksumming an address costs a keccak.
    auto who = [&](std::size_t i) { return "borrower " + borrowers[i].checksummed(); };
    for (std::size_t i = 0; i < borrowers.size(); ++i) {
        auto position_data = outcomes[3 * i].value();
        auto market_data = outcomes[3 * i + 1].value();
        auto price_data = outcomes[3 * i + 2].value();
        if (!position_data || !market_data || !price_data) return fail(who(i) + ": a sub-call reverted");
        auto position = mb::decode_position(*position_data);
        auto market = mb::decode_market(*market_data);
        auto price = mb::decode_uint256(*price_data);
        if (!position || !market || !price) return fail(who(i) + ": malformed return data");
        if (position->borrow_shares.is_zero()) continue;
        ++scan.positions;
        auto health = morpho::health(target.params, *market, *position, *price);
        if (!health) return std::unexpected(context(who(i), health.error()));
        if (!health->healthy) scan.liquidatable.push_back({target.market, borrowers[i]});
    }
    std::sort(scan.liquidatable.begin(), scan.liquidatable.end());
    return scan;
}

}  // namespace keeper::bench

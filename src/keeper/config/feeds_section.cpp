// [[feeds]]: the Chainlink or Pyth feeds whose sanity gates actions, one per asset.
// Optional: without it no asset is gated (the protocols' own oracles are
// still read for every decision).
#include <algorithm>
#include <cctype>
#include <string>

#include "keeper/config/config_sections.hpp"

namespace keeper::config {
namespace {

// A week: the longest heartbeat Chainlink publishes is a day; anything far
// beyond that is a unit mistake (milliseconds written as seconds).
constexpr std::uint64_t kMaxHeartbeatS = 604'800;  // 7 days
constexpr std::uint64_t kMaxMarginS = 86'400;
constexpr std::uint64_t kMaxBps = 10'000;

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::optional<FeedSettings> read_feed(Fields& fields) {
    Problems& problems = fields.problems();
    const std::size_t before = problems.count();
    FeedSettings feed;
    std::optional<Address> asset, aggregator, pyth;
    std::optional<Bytes32> price_id;
    if (const toml::node* node = fields.require("asset"))
        asset = read_address(*node, fields.key_path("asset"), problems);
    // A Chainlink feed (aggregator) or a Pyth one (pyth + pyth_price_id).
    const toml::node* aggregator_node = fields.get("aggregator");
    const toml::node* pyth_node = fields.get("pyth");
    const toml::node* price_id_node = fields.get("pyth_price_id");
    if (aggregator_node != nullptr)
        aggregator = read_address(*aggregator_node, fields.key_path("aggregator"), problems);
    if (pyth_node != nullptr) pyth = read_address(*pyth_node, fields.key_path("pyth"), problems);
    if (price_id_node != nullptr) price_id = read_bytes32(*price_id_node, fields.key_path("pyth_price_id"), problems);
    if (aggregator_node == nullptr && pyth_node == nullptr && price_id_node == nullptr)
        problems.add(fields.anchor(), fields.key_path("aggregator"),
                     "required key missing (a Chainlink feed; or pyth and pyth_price_id for a Pyth price feed)");
    if (aggregator_node != nullptr && pyth_node != nullptr)
        problems.add(pyth_node, fields.key_path("pyth"),
                     "is given with aggregator; a [[feeds]] table is one feed: a Chainlink aggregator or a Pyth price "
                     "feed");
    if (pyth_node != nullptr && price_id_node == nullptr)
        problems.add(pyth_node, fields.key_path("pyth"), "requires pyth_price_id (the 32-byte Pyth price feed id)");
    if (price_id_node != nullptr && pyth_node == nullptr)
        problems.add(price_id_node, fields.key_path("pyth_price_id"),
                     "requires pyth (the Pyth contract the price feed id lives in)");
    if (const toml::node* node = fields.get("heartbeat_s")) {
        if (auto s = read_u64_in(*node, fields.key_path("heartbeat_s"), 1, kMaxHeartbeatS, problems))
            feed.heartbeat_s = *s;
    }
    if (const toml::node* node = fields.get("staleness_margin_s")) {
        if (auto s = read_u64_in(*node, fields.key_path("staleness_margin_s"), 0, kMaxMarginS, problems))
            feed.staleness_margin_s = *s;
    }
    const toml::node* second_node = fields.get("second_aggregator");
    if (second_node != nullptr)
        feed.second_aggregator = read_address(*second_node, fields.key_path("second_aggregator"), problems);
    const toml::node* bps_node = fields.get("max_deviation_bps");
    if (bps_node != nullptr) {
        if (auto bps = read_u64_in(*bps_node, fields.key_path("max_deviation_bps"), 1, kMaxBps, problems))
            feed.max_deviation_bps = static_cast<std::uint32_t>(*bps);
    }
    if (const toml::node* node = fields.get("pending_transmissions")) {
        if (auto on = read_bool(*node, fields.key_path("pending_transmissions"), problems))
            feed.pending_transmissions = *on;
        // Pyth prices are pushed by whoever needs them: there is no transmit to watch.
        if (feed.pending_transmissions && pyth_node != nullptr)
            problems.add(node, fields.key_path("pending_transmissions"),
                         "applies to Chainlink OCR2 aggregators only, not to a pyth feed");
    }
    if (const toml::node* node = fields.get("exchange_symbol")) {
        if (auto symbol = read_string(*node, fields.key_path("exchange_symbol"), problems)) {
            const bool plain = !symbol->empty() && symbol->size() <= 32 && std::ranges::all_of(*symbol, [](char c) {
                return std::isalnum(static_cast<unsigned char>(c));
            });
            if (!plain)
                problems.add(
                    node, fields.key_path("exchange_symbol"),
                    "expected the exchange's symbol, letters and digits (\"ETHUSDT\"), got " + describe(*node));
            else
                feed.exchange_symbol = upper(*symbol);
        }
    }
    fields.reject_unknown();
    // One without the other would either compare nothing or compare with no
    // limit: both are a half-written table.
    if (second_node != nullptr && bps_node == nullptr)
        problems.add(second_node, fields.key_path("second_aggregator"),
                     "requires max_deviation_bps (how far the two feeds may differ)");
    if (bps_node != nullptr && second_node == nullptr)
        problems.add(bps_node, fields.key_path("max_deviation_bps"),
                     "requires second_aggregator (the feed to compare with)");
    if (aggregator && feed.second_aggregator && *aggregator == *feed.second_aggregator)
        problems.add(second_node, fields.key_path("second_aggregator"),
                     "is the same feed as aggregator; a feed cannot be its own reference");
    if (problems.count() != before || !asset) return std::nullopt;
    feed.asset = *asset;
    if (pyth && price_id) {
        feed.pyth = PythFeedSettings{*pyth, *price_id};
    } else if (aggregator) {
        feed.aggregator = *aggregator;
    } else {
        return std::nullopt;  // reported above
    }
    return feed;
}

}  // namespace

void read_feeds_section(Fields& root, std::vector<FeedSettings>& out) {
    Problems& problems = root.problems();
    const toml::node* node = root.get("feeds");
    if (node == nullptr) return;
    const auto* entries = node->as_array();
    if (entries == nullptr || (!entries->empty() && !entries->is_array_of_tables())) {
        problems.add(node, "feeds", "expected [[feeds]] tables, got " + describe(*node));
        return;
    }
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const toml::table& table = *entries->get(i)->as_table();
        Fields fields(table, "feeds[" + std::to_string(i) + "]", problems);
        auto feed = read_feed(fields);
        if (!feed) continue;
        // Two feeds for one asset: which one gates it would be a guess.
        bool duplicate = false;
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (out[k].asset != feed->asset) continue;
            problems.add(&table, fields.key_path("asset"), "asset already has a feed in an earlier [[feeds]] table");
            duplicate = true;
        }
        if (!duplicate) out.push_back(*feed);
    }
}

void check_feeds_need(const ChainSettings& chain, Fields& root) {
    const toml::node* node = root.get("feeds");
    const auto* entries = node == nullptr ? nullptr : node->as_array();
    if (entries == nullptr || chain.ws) return;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const toml::table* table = entries->get(i)->as_table();
        const toml::node* pending = table == nullptr ? nullptr : table->get("pending_transmissions");
        if (pending == nullptr || !pending->value_or(false)) continue;
        // Pending transactions reach the keeper only through a subscription.
        root.problems().add(pending, "feeds[" + std::to_string(i) + "].pending_transmissions",
                            "requires [chain] ws (pending transactions come by eth_subscribe)");
    }
}

}  // namespace keeper::config

// [exchange]: one exchange's public websocket ticker, compared with the
// [[feeds]] prices for alerts only. Optional; with it, at least one [[feeds]]
// table names its exchange_symbol (else it would watch nothing).
#include <algorithm>
#include <string>

#include "keeper/config/config_sections.hpp"

namespace keeper::config {
namespace {

constexpr std::uint64_t kMaxExchangeBps = 10'000;
constexpr std::uint64_t kMaxExchangeAgeS = 86'400;

}  // namespace

void read_exchange_section(Fields& root, std::optional<ExchangeSettings>& out) {
    const toml::table* table = section_table(root, "exchange", false);
    if (table == nullptr) return;
    Problems& problems = root.problems();
    const std::size_t before = problems.count();
    Fields fields(*table, "exchange", problems);
    ExchangeSettings exchange;
    if (const toml::node* node = fields.require("kind")) {
        if (auto kind = read_string(*node, fields.key_path("kind"), problems)) {
            if (*kind != "binance")
                problems.add(node, fields.key_path("kind"),
                             "expected \"binance\" (the only exchange so far), got " + describe(*node));
            exchange.kind = *kind;
        }
    }
    if (const toml::node* node = fields.require("url")) {
        if (auto url = read_url(*node, fields.key_path("url"), /*websocket=*/true, problems)) exchange.url = *url;
    }
    if (const toml::node* node = fields.require("max_deviation_bps")) {
        if (auto bps = read_u64_in(*node, fields.key_path("max_deviation_bps"), 1, kMaxExchangeBps, problems))
            exchange.max_deviation_bps = static_cast<std::uint32_t>(*bps);
    }
    if (const toml::node* node = fields.get("max_age_s")) {
        if (auto age = read_u64_in(*node, fields.key_path("max_age_s"), 1, kMaxExchangeAgeS, problems))
            exchange.max_age_s = *age;
    }
    fields.reject_unknown();
    if (problems.count() == before) out = exchange;
}

void check_exchange_need(const std::optional<ExchangeSettings>& exchange, const std::vector<FeedSettings>& feeds,
                         Fields& root) {
    const bool named = std::ranges::any_of(feeds, [](const FeedSettings& f) { return f.exchange_symbol.has_value(); });
    const toml::node* section = root.table().get("exchange");
    if (section != nullptr && !named)
        root.problems().add(section, "exchange", "no [[feeds]] table names an exchange_symbol to compare");
    if (section == nullptr && named) {
        for (std::size_t i = 0; i < feeds.size(); ++i)
            if (feeds[i].exchange_symbol)
                root.problems().add(nullptr, "feeds[" + std::to_string(i) + "].exchange_symbol",
                                    "requires an [exchange] section (the exchange to read it from)");
    }
    (void)exchange;
}

}  // namespace keeper::config

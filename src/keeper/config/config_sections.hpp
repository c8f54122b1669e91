#pragma once
// One reader per keeper.toml section. Each takes the document root's Fields
// (so the section's own name counts as a known key), fills its settings and
// reports every problem it finds; defaults stay where a key is absent.
#include <vector>

#include "keeper/config/keeper_config.hpp"
#include "keeper/config/toml_fields.hpp"

namespace keeper::config {

// The section's table, or nullptr when absent (reported if `required`) or
// not a table (always reported).
const toml::table* section_table(Fields& root, std::string_view name, bool required);

void read_chain_section(Fields& root, ChainSettings& out);
void read_signer_section(Fields& root, SignerSettings& out);
void read_protocols_section(Fields& root, std::vector<ProtocolSettings>& out);
void read_strategy_section(Fields& root, StrategySettings& out);
void read_alerts_section(Fields& root, AlertSettings& out);
void read_log_section(Fields& root, LogSettings& out);
void read_metrics_section(Fields& root, MetricsSettings& out);
void read_safety_section(Fields& root, SafetySettings& out);
void read_engine_section(Fields& root, EngineSettings& out);
void read_feeds_section(Fields& root, std::vector<FeedSettings>& out);
// [[feeds]] keys that need another section: pending_transmissions needs [chain] ws.
void check_feeds_need(const ChainSettings& chain, Fields& root);
void read_exchange_section(Fields& root, std::optional<ExchangeSettings>& out);
// exchange_symbol needs [exchange], and [exchange] needs an exchange_symbol.
void check_exchange_need(const std::optional<ExchangeSettings>& exchange, const std::vector<FeedSettings>& feeds,
                         Fields& root);

}  // namespace keeper::config

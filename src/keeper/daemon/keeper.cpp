#include "keeper/daemon/keeper.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <spdlog/spdlog.h>

#include "chain/signer.hpp"
#include "keeper/daemon/liquidator_support.hpp"
#include "keeper/daemon/rpc_stack.hpp"
#include "keeper/daemon/shutdown_signal.hpp"
#include "keeper/state/state_archive.hpp"

namespace keeper::app {
namespace {

chain::ShepherdPolicy shepherd_policy(const config::StrategySettings& strategy) {
    chain::ShepherdPolicy policy;
    policy.confirmations = strategy.confirmations;
    policy.replace_after_blocks = strategy.replace_after_blocks;
    if (strategy.max_gas_price_wei) {
        policy.caps.max_fee_per_gas_wei = *strategy.max_gas_price_wei;
        policy.caps.max_priority_fee_per_gas_wei = min(policy.caps.max_priority_fee_per_gas_wei, *strategy.max_gas_price_wei);
    }
    return policy;
}

alerts::WebhookFormat webhook_format(config::WebhookFormat format) {
    switch (format) {
        case config::WebhookFormat::slack: return alerts::WebhookFormat::slack;
        case config::WebhookFormat::discord: return alerts::WebhookFormat::discord;
        case config::WebhookFormat::generic: break;
    }
    return alerts::WebhookFormat::generic;
}

Result<chain::BlockHeader> latest_header(chain::JsonRpcClient& client) {
    auto header = read_header(client, chain::BlockId::latest());
    if (!header) return fail("reading the head block: " + header.error().message);
    return header;
}

// The sync progress line, at most every 2 s and at the end.
chain::ProgressSink progress_logger(const std::string& protocol_key) {
    auto last_report = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    return [protocol_key, last_report](const chain::SyncProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (now - *last_report < std::chrono::seconds(2) && p.synced_through < p.target) return;
        *last_report = now;
        spdlog::info("sync {}: block {} of {} ({:.0f}%), {} events, {} requests", protocol_key, p.synced_through,
                     p.target, p.fraction * 100, p.logs, p.requests);
    };
}

}  // namespace

Keeper::Keeper(const config::KeeperConfig& config, const KeeperOptions& options)
    : config_(config),
      options_(options),
      client_(make_rpc_client(config.chain.rpc, options.network_stop)),
      round_errors_([](const std::string& line) { spdlog::warn("{}", line); },
                    [](const std::string& line) { spdlog::info("{}", line); }) {}

Result<std::unique_ptr<Keeper>> Keeper::open(const config::KeeperConfig& config, const KeeperOptions& options,
                                             std::optional<chain::PrivateKey> signer) {
    std::unique_ptr<Keeper> keeper(new Keeper(config, options));
    auto& client = keeper->client_;
    auto chain_id = client.chain_id();
    if (!chain_id) return fail("node " + redact_url(config.chain.rpc.front()) + ": " + chain_id.error().message);
    if (config.chain.chain_id && *config.chain.chain_id != *chain_id)
        return fail("chain.chain_id is " + std::to_string(*config.chain.chain_id) + " but the node is chain " +
                    std::to_string(*chain_id));
    keeper->chain_id_ = *chain_id;
    spdlog::info("connected to chain {} through {} endpoint(s), first {}", *chain_id, config.chain.rpc.size(),
                 redact_url(config.chain.rpc.front()));

    if (options.persist) {
        const auto dir = config::effective_state_dir(config, config::process_getenv);
        auto opened = state::StateStore::open(dir, *chain_id);
        if (!opened && opened.error().other_chain && options.archive_other_chain) {
            auto archived = state::archive_state(dir, std::chrono::system_clock::now());
            if (!archived) return std::unexpected(archived.error());
            spdlog::warn("state in {} belonged to chain {}: moved to {} (--archive-state), starting afresh",
                         dir.string(), opened.error().other_chain->stored_chain_id, archived->string());
            opened = state::StateStore::open(dir, *chain_id);
        }
        if (!opened) return fail(opened.error().message);
        if (!opened->message.empty()) spdlog::warn("{}", opened->message);
        keeper->store_.emplace(std::move(opened->store));
        spdlog::info("state in {}", dir.string());
    }

    const bool acts = options.mode != KeeperMode::scan;
    Address liquidator;
    if (acts) {
        if (!signer) return fail("run needs a signer: set [signer] private_key_env or keystore + password_file");
        keeper->signer_.emplace(std::move(*signer));
        liquidator = chain::address_of(*keeper->signer_);
        spdlog::info("liquidator address {}", liquidator.checksummed());
        if (options.mode == KeeperMode::live) {
            if (!keeper->store_) return fail("live mode needs a state directory for its journal");
            auto sender = JournaledSender::open(client, *keeper->signer_, chain::ChainId{*chain_id}, *keeper->store_,
                                                shepherd_policy(config.strategy));
            if (!sender) return std::unexpected(sender.error());
            keeper->sender_ = std::move(*sender);
            if (!keeper->sender_->in_flight().empty())
                spdlog::info("resuming {} transaction(s) in flight from the journal", keeper->sender_->in_flight().size());
        } else {
            spdlog::info("DRY-RUN: nothing will be broadcast");
        }
        if (!config.strategy.configured)
            spdlog::info("no [strategy] section: liquidating anything that pays (min profit 0)");
    }

    auto head = latest_header(client);
    if (!head) return std::unexpected(head.error());
    for (const auto& protocol : config.protocols) {
        if (const auto* aave = std::get_if<config::AaveV3Settings>(&protocol)) {
            if (auto opened = keeper->open_aave(*aave, *head, acts, liquidator); !opened)
                return std::unexpected(opened.error());
            continue;
        }
        const auto* morpho = std::get_if<config::MorphoBlueSettings>(&protocol);
        MorphoTracker::Options tracker_options;
        tracker_options.protocol_key = "morpho-blue@" + morpho->address.hex();
        tracker_options.morpho = morpho->address;
        tracker_options.start_block = morpho->start_block;
        tracker_options.markets = morpho->markets;
        tracker_options.interrupted = options.interrupted;
        Morpho entry;
        entry.tracker = std::make_unique<MorphoTracker>(client, tracker_options,
                                                        keeper->store_ ? &*keeper->store_ : nullptr,
                                                        [](const std::string& line) { spdlog::info("{}", line); });
        auto caught_up = entry.tracker->catch_up(*head, progress_logger(tracker_options.protocol_key));
        if (!caught_up) return std::unexpected(caught_up.error());
        spdlog::info("{}: {} markets, {} positions, synced through block {}", tracker_options.protocol_key,
                     entry.tracker->book().markets().size(), entry.tracker->book().position_count(), head->number);
        if (acts) {
            LiquidatorSettings settings;
            settings.dry_run = options.mode == KeeperMode::dry_run;
            settings.rules = strategies::ProfitRules{config.strategy.min_profit, config.strategy.max_loan_spend};
            settings.gas_margin_percent = config.strategy.gas_margin_percent;
            settings.native_price_1e36 = config.strategy.native_price_1e36;
            settings.shepherd = shepherd_policy(config.strategy);
            entry.liquidator = std::make_unique<MorphoLiquidator>(
                client, morpho->address, tracker_options.protocol_key, liquidator, settings, keeper->sender_.get(),
                [](const std::string& line) { spdlog::info("{}", line); },
                [](const std::string& line) { spdlog::warn("{}", line); });
        }
        keeper->morphos_.push_back(std::move(entry));
    }

    if (config.alerts.webhook_url) {
        keeper->alert_policy_.emplace(config.alerts.warning_health_wad, config.alerts.min_interval,
                                      config.alerts.max_per_minute);
        keeper->alerts_ = alerts::webhook_dispatcher(*config.alerts.webhook_url, webhook_format(config.alerts.format),
                                                     alerts::DispatcherOptions{},
                                                     [](const std::string& line) { spdlog::warn("{}", line); });
        spdlog::info("alerts to {}", redact_url(*config.alerts.webhook_url));
    }
    return keeper;
}

Result<void> Keeper::open_aave(const config::AaveV3Settings& settings, const chain::BlockHeader& head, bool acts,
                               const Address& liquidator) {
    AaveTracker::Options options;
    options.protocol_key = "aave-v3@" + settings.pool_addresses_provider.hex();
    options.addresses_provider = settings.pool_addresses_provider;
    options.start_block = settings.start_block;
    options.interrupted = options_.interrupted;
    Aave entry;
    entry.tracker = std::make_unique<AaveTracker>(client_, options, store_ ? &*store_ : nullptr,
                                                  [](const std::string& line) { spdlog::info("{}", line); });
    if (auto caught_up = entry.tracker->catch_up(head, progress_logger(options.protocol_key)); !caught_up)
        return caught_up;
    spdlog::info("{}: {} accounts, synced through block {}", options.protocol_key, entry.tracker->account_count(),
                 head.number);
    if (acts) {
        AaveLiquidatorSettings s;
        s.dry_run = options_.mode == KeeperMode::dry_run;
        s.min_profit_base = settings.min_profit_base;
        s.max_debt_spend_base = settings.max_debt_spend_base;
        s.receive_a_token = settings.receive_a_token;
        s.flash_liquidator = settings.flash_liquidator;
        s.native_token = settings.native_token;
        s.gas_margin_percent = config_.strategy.gas_margin_percent;
        s.shepherd = shepherd_policy(config_.strategy);
        if (s.flash_liquidator) spdlog::info("{}: liquidations funded by flash loans through {}", options.protocol_key,
                                             s.flash_liquidator->checksummed());
        entry.liquidator = std::make_unique<AaveLiquidator>(
            client_, options.protocol_key, liquidator, s, sender_.get(),
            [](const std::string& line) { spdlog::info("{}", line); },
            [](const std::string& line) { spdlog::warn("{}", line); });
    }
    aaves_.push_back(std::move(entry));
    return {};
}

// Errors of single positions recur every round while their cause lasts:
// each is logged when it appears, and forgotten once it is gone.
void Keeper::note_evaluation_errors(const std::string& protocol_key, const std::vector<std::string>& errors,
                                    std::uint64_t block) {
    const std::string prefix = protocol_key + ": evaluating ";
    std::set<std::string> seen;
    for (const auto& e : errors) {
        const std::string key = prefix + e;
        seen.insert(key);
        round_errors_.noted(key, block, key);
    }
    round_errors_.forget_unless([&](const std::string& k) { return !k.starts_with(prefix) || seen.contains(k); });
}

Result<void> Keeper::tick_morpho(Morpho& m, const chain::BlockHeader& head, TickReport& report) {
    const std::string& key = m.tracker->options().protocol_key;
    if (head.number != m.tracker->synced_through()) {
        auto followed = m.tracker->follow(head, progress_logger(key));
        if (!followed) return std::unexpected(followed.error());
    }
    if (head.number != m.tracker->refreshed_at() || last_head_ == 0) {
        if (auto refreshed = m.tracker->refresh(head); !refreshed) return std::unexpected(refreshed.error());
    }
    // A market that could not be read (its oracle reverts, say) is left out
    // until it can: counted every round, logged once per change.
    for (const auto& e : m.tracker->market_errors()) {
        const std::string market_key = key + ": market " + e.market.hex();
        round_errors_.noted(market_key, head.number, market_key + ": " + e.message);
    }
    for (const auto& market : m.tracker->markets()) round_errors_.succeeded(key + ": market " + market.id.hex());
    std::vector<std::string> errors;
    ProtocolPositions rows{"morpho-blue", key, evaluate_positions(m.tracker->book(), m.tracker->markets(), &errors),
                           {}, {}};
    note_evaluation_errors(key, errors, head.number);
    for (const auto& p : rows.positions) report.liquidatable += p.liquidatable ? 1 : 0;
    report.positions += rows.positions.size();
    if (m.liquidator) {
        if (auto checked = m.liquidator->check_in_flight(head); !checked) return std::unexpected(checked.error());
        if (auto acted = m.liquidator->act(rows.positions, m.tracker->markets(), head, m.tracker->synced_through());
            !acted)
            return std::unexpected(acted.error());
        report.declined += m.liquidator->declined();
        report.awaiting_sync += m.liquidator->awaiting_sync();
        report.records += m.liquidator->records().size();
        report.skipped_errors += m.liquidator->skipped_errors();
    }
    positions_.push_back(std::move(rows));
    return {};
}

Result<void> Keeper::tick_aave(Aave& a, const chain::BlockHeader& head, TickReport& report) {
    if (head.number != a.tracker->synced_through()) {
        auto followed = a.tracker->follow(head, progress_logger(a.tracker->options().protocol_key));
        if (!followed) return std::unexpected(followed.error());
    }
    if (head.number != a.tracker->refreshed_at() || last_head_ == 0) {
        if (auto refreshed = a.tracker->refresh(head); !refreshed) return std::unexpected(refreshed.error());
    }
    std::vector<std::string> errors;
    const auto users = a.tracker->users();
    ProtocolPositions rows{"aave-v3", a.tracker->options().protocol_key, {},
                           evaluate_aave_accounts(a.tracker->rules(), users, a.tracker->reserves(),
                                                  a.tracker->emodes(), &errors),
                           a.tracker->pool()};
    note_evaluation_errors(rows.key, errors, head.number);
    for (const auto& acc : rows.aave_accounts) report.liquidatable += acc.liquidatable ? 1 : 0;
    report.positions += rows.aave_accounts.size();
    if (a.liquidator) {
        if (auto checked = a.liquidator->check_in_flight(head, a.tracker->pool()); !checked)
            return std::unexpected(checked.error());
        if (auto acted = a.liquidator->act(rows.aave_accounts, *a.tracker, head); !acted)
            return std::unexpected(acted.error());
        report.declined += a.liquidator->declined();
        report.awaiting_sync += a.liquidator->awaiting_sync();
        report.records += a.liquidator->records().size();
        report.skipped_errors += a.liquidator->skipped_errors();
    }
    positions_.push_back(std::move(rows));
    return {};
}

// One protocol that cannot be followed or read (its logs fail, its pool
// reverts) does not stop the others: it is reported and the round goes on.
// Only a round in which nothing could be done fails: the head cannot be
// read, or every protocol failed (a dead node), so the caller backs off.
Result<TickReport> Keeper::tick() {
    auto head = latest_header(client_);
    if (!head) return std::unexpected(head.error());
    TickReport report;
    report.head = head->number;
    positions_.clear();
    reconcile_journal();
    round_errors_.start_round();
    std::vector<std::pair<std::string, Result<void>>> outcomes;
    for (auto& m : morphos_) outcomes.emplace_back(m.tracker->options().protocol_key, tick_morpho(m, *head, report));
    for (auto& a : aaves_) outcomes.emplace_back(a.tracker->options().protocol_key, tick_aave(a, *head, report));
    if (!outcomes.empty() && std::ranges::none_of(outcomes, [](const auto& o) { return o.second.has_value(); })) {
        std::string all;
        for (const auto& [key, outcome] : outcomes)
            all += (all.empty() ? "" : "; ") + key + ": " + outcome.error().message;
        return fail(all);
    }
    for (const auto& [key, outcome] : outcomes) {
        if (outcome) {
            round_errors_.succeeded(key);
            continue;
        }
        round_errors_.noted(key, head->number,
                            key + ": " + outcome.error().message +
                                " (left out of this round; the other protocols go on)");
        report.failed_protocols.push_back(key);
    }
    report.skipped_errors += round_errors_.skipped();
    shepherd_unowned_work(*head);
    if (sender_) report.in_flight = sender_->in_flight().size();
    last_head_ = head->number;
    alert(report);
    return report;
}

void Keeper::reconcile_journal() {
    if (!sender_) return;
    auto notes = sender_->reconcile();
    if (!notes) {
        spdlog::warn("journal reconcile: {}", notes.error().message);
        return;
    }
    for (const auto& note : *notes) spdlog::warn("{}", note.text);
}

// Entries no protocol looked at this round (the config or the key changed
// since they were sent, or their protocol failed this round): still
// shepherded to a final state.
void Keeper::shepherd_unowned_work(const chain::BlockHeader& head) {
    if (!sender_) return;
    std::map<std::string, std::uint64_t> settled;
    for (const auto& [work, outcome] : sender_->check_unvisited(head.number)) {
        report_outcome(
            work, outcome, head, settled,
            [](const SentWork& w, const chain::Receipt& r) {
                spdlog::info("journal entry #{} ({}), not checked by a protocol this round: {} in block {} (tx {})",
                             w.journal_id, w.work_key, r.success ? "mined" : "REVERTED", r.block_number,
                             r.transaction_hash.hex());
            },
            [](const std::string& line) { spdlog::warn("{}", line); });
    }
}

void Keeper::alert(const TickReport&) {
    if (!alert_policy_ || !alerts_) return;
    std::vector<alerts::AccountHealth> accounts;
    for (const auto& protocol : positions_) {
        for (const auto& p : protocol.positions)
            accounts.push_back({protocol.protocol, p.market.hex(), p.account, p.health_wad, p.liquidatable});
        for (const auto& a : protocol.aave_accounts)
            accounts.push_back({protocol.protocol, protocol.pool.hex(), a.account, a.data.health_factor_wad,
                                a.liquidatable});
    }
    for (auto& a : alert_policy_->observe(accounts, std::chrono::system_clock::now())) {
        // Queued, never posted here: the round does not wait for the webhook.
        if (alerts_->enqueue(std::move(a)) && std::has_single_bit(alerts_->counts().dropped))  // 1, 2, 4, ...: not every time
            spdlog::warn("alert queue full ({} waiting: the webhook is slow or down): dropped the oldest; {} dropped so far",
                         alerts_->capacity(), alerts_->counts().dropped);
    }
}

std::vector<LiquidationRecord> Keeper::records() const {
    std::vector<LiquidationRecord> all;
    for (const auto& m : morphos_)
        if (m.liquidator) all.insert(all.end(), m.liquidator->records().begin(), m.liquidator->records().end());
    for (const auto& a : aaves_)
        if (a.liquidator) all.insert(all.end(), a.liquidator->records().begin(), a.liquidator->records().end());
    return all;
}

LiquidatorMemory Keeper::liquidator_memory() const {
    LiquidatorMemory sum;
    for (const auto& m : morphos_)
        if (m.liquidator) sum += m.liquidator->memory();
    for (const auto& a : aaves_)
        if (a.liquidator) sum += a.liquidator->memory();
    return sum;
}

Result<TickReport> tick_until_quiet(Keeper& keeper, int max_rounds, const std::function<void()>& between_rounds) {
    std::size_t records = keeper.records().size();
    for (int round = 0; round < max_rounds && !shutdown_requested(); ++round) {
        auto report = keeper.tick();
        if (!report) return report;
        if (quiet(*report, records)) return report;
        records = report->records;
        if (between_rounds) between_rounds();
    }
    return fail("the keeper did not settle within " + std::to_string(max_rounds) + " rounds");
}

}  // namespace keeper::app

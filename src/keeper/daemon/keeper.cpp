#include "keeper/daemon/keeper.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <spdlog/spdlog.h>

#include "chain/signer.hpp"
#include "keeper/daemon/liquidator_support.hpp"
#include "protocols/registry.hpp"
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

Result<chain::BlockHeader> latest_header(chain::JsonRpcClient& client) {
    auto header = read_header(client, chain::BlockId::latest());
    if (!header) return std::unexpected(context("reading the head block", Error(header.error())));
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

Keeper::Keeper(const config::KeeperConfig& config, const KeeperOptions& options, chain::JsonRpcClient client)
    : config_(config),
      options_(options),
      client_(std::move(client)),
      round_errors_([](const std::string& line) { spdlog::warn("{}", line); },
                    [](const std::string& line) { spdlog::info("{}", line); }) {}

Result<std::unique_ptr<Keeper>> Keeper::open(const config::KeeperConfig& config, const KeeperOptions& options,
                                             std::optional<chain::PrivateKey> signer) {
    const AdapterMaker from_registry = [](const protocols::ProtocolConfig& protocol, protocols::AdapterServices services)
        -> std::unique_ptr<protocols::ProtocolAdapter> {
        const protocols::ProtocolKind* kind = protocols::find_protocol(protocol.kind());
        return kind == nullptr ? nullptr : kind->make(protocol, std::move(services));
    };
    return open(config, options, std::move(signer), make_rpc_client(config.chain.rpc, options.network_stop),
                from_registry);
}

Result<std::unique_ptr<Keeper>> Keeper::open(const config::KeeperConfig& config, const KeeperOptions& options,
                                             std::optional<chain::PrivateKey> signer, chain::JsonRpcClient node,
                                             const AdapterMaker& make_adapter) {
    std::unique_ptr<Keeper> keeper(new Keeper(config, options, std::move(node)));
    auto& client = keeper->client_;
    auto chain_id = client.chain_id();
    if (!chain_id) return std::unexpected(context("node " + redact_url(config.chain.rpc.front()), Error(chain_id.error())));
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
        keeper->keeper_address_ = liquidator;
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

    protocols::KeeperSettings settings;
    settings.dry_run = options.mode == KeeperMode::dry_run;
    settings.gas_margin_percent = config.strategy.gas_margin_percent;
    settings.min_profit_loan = config.strategy.min_profit;
    settings.max_loan_spend = config.strategy.max_loan_spend;
    settings.native_price_1e36 = config.strategy.native_price_1e36;
    settings.warning_health_wad = config.alerts.warning_health_wad;
    settings.audit_every_blocks = config.engine.audit_every_blocks;
    settings.reads_flash_premium = options.reads_flash_premium;
    std::vector<protocols::ProtocolAdapter*> followed;
    for (const auto& protocol : config.protocols) {
        protocols::AdapterServices services{client,
                                            keeper->store_ ? &*keeper->store_ : nullptr,
                                            [](const std::string& line) { spdlog::info("{}", line); },
                                            [](const std::string& line) { spdlog::warn("{}", line); },
                                            options.interrupted,
                                            acts,
                                            settings};
        auto adapter = make_adapter(*protocol, std::move(services));
        if (!adapter) return fail("no protocol of kind " + std::string(protocol->kind()));
        keeper->adapters_.push_back(std::move(adapter));
        followed.push_back(keeper->adapters_.back().get());
    }
    auto head = latest_header(client);
    if (!head) return std::unexpected(head.error());
    keeper->follower_ = std::make_unique<ProtocolFollower>(
        client, followed, [](const std::string& line) { spdlog::info("{}", line); }, options.interrupted);
    if (!config.feeds.empty()) {
        // Read at the head the follower starts from: every later update is a log it fetches.
        auto feeds = OracleFeeds::open(
            client, config.feeds, *head, [](const std::string& line) { spdlog::info("{}", line); },
            [](const std::string& line) { spdlog::warn("{}", line); });
        if (!feeds) return std::unexpected(context("[[feeds]]", feeds.error()));
        keeper->feeds_ = std::move(*feeds);
        OracleFeeds* feeds_of_keeper = keeper->feeds_.get();
        keeper->follower_->add_listener(
            LogListener{feeds_of_keeper->log_filter(),
                        [feeds_of_keeper](std::span<const chain::Log> logs, const chain::BlockHeader& at) {
                            feeds_of_keeper->apply(logs, at);
                        }});
    }
    if (config.exchange.has_value() && keeper->feeds_ && acts) {
        // The machine's clock dates exchange prices: they come from no chain.
        keeper->exchange_ = std::make_unique<ExchangePrices>(
            *config.exchange, config.feeds,
            [] {
                return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
            },
            [](const std::string& line) { spdlog::info("{}", line); },
            [](const std::string& line) { spdlog::warn("{}", line); });
    }
    if (auto opened = keeper->follower_->open(*head, progress_logger); !opened) return std::unexpected(opened.error());
    for (const auto& adapter : keeper->adapters_)
        spdlog::info("{}: synced through block {}", adapter->key(), adapter->synced_through());
    if (acts) {
        ActionExecutor::Settings executor;
        executor.dry_run = options.mode == KeeperMode::dry_run;
        executor.shepherd = shepherd_policy(config.strategy);
        keeper->executor_ = std::make_unique<ActionExecutor>(
            client, liquidator, executor, keeper->sender_.get(), [](const std::string& line) { spdlog::info("{}", line); },
            [](const std::string& line) { spdlog::warn("{}", line); });
        if (OracleFeeds* feeds = keeper->feeds_.get())
            keeper->executor_->set_action_gate(
                [feeds](const protocols::Action& action) { return feeds->hold(action); });
    }
    return keeper;
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

// A market or reserve that could not be read (its oracle reverts, say) is
// left out until it can: counted every round, logged once per change, and
// "works again" once it can be read.
void Keeper::note_read_errors(const std::string& protocol_key, const protocols::Snapshot& snapshot,
                              std::uint64_t block) {
    std::set<std::string> now;
    for (const auto& [part, why] : snapshot.read_errors) {
        const std::string key = protocol_key + ": " + part;
        now.insert(key);
        round_errors_.noted(key, block, key + ": " + why);
    }
    for (const auto& key : read_error_keys_[protocol_key])
        if (!now.contains(key)) round_errors_.succeeded(key);
    read_error_keys_[protocol_key] = std::move(now);
}

Result<void> Keeper::tick_adapter(protocols::ProtocolAdapter& adapter, const chain::BlockHeader& head,
                                  TickReport& report) {
    const std::string& key = adapter.key();
    if (!adapter.snapshot() || adapter.snapshot()->block != head.number || last_head_ == 0)
        if (auto refreshed = adapter.refresh(head); !refreshed) return refreshed;
    const auto snapshot = adapter.snapshot();
    note_read_errors(key, *snapshot, head.number);
    note_evaluation_errors(key, snapshot->position_errors, head.number);
    for (const auto& row : snapshot->rows) report.liquidatable += row.liquidatable ? 1 : 0;
    report.positions += snapshot->position_count();
    const auto& work = snapshot->work;
    report.exact_evaluations += work.exact_evaluations;
    report.missed_by_screen += work.missed_by_screen;
    spdlog::debug(
        "{}: block {}: {} of {} positions judged exactly ({}; {} flagged by the screen, {} named by "
        "events, {} float re-screens)",
        key, snapshot->block, work.exact_evaluations, snapshot->position_count(), work.audit ? "audit" : "screened",
        work.flagged, work.named, work.screened);
    if (executor_) {
        executor_->check_in_flight(adapter, head);
        ExecutionCounts counts;
        protocols::DecisionInput input;
        input.head_block = head.number;
        input.head_timestamp = head.timestamp;
        input.keeper = keeper_address_;
        input.dry_run = options_.mode == KeeperMode::dry_run;
        input.busy = executor_->busy(adapter, head, counts);
        const auto tokens = adapter.funding_tokens(*snapshot, input);
        input.holdings = executor_->read_holdings(adapter, tokens, head);
        executor_->execute(adapter, adapter.decide(*snapshot, input), head, counts);
        report.declined += counts.declined;
        report.awaiting_sync += counts.awaiting_sync;
    }
    positions_.push_back(ProtocolPositions{std::string(adapter.kind()), key, snapshot});
    return {};
}

// One protocol that cannot be followed or read (its logs fail, its pool
// reverts) does not stop the others: it is reported and the round goes on.
// Only a round in which nothing could be done fails: the head cannot be
// read, or every protocol failed (a dead node), so the caller backs off.
Result<TickReport> Keeper::tick(const std::optional<chain::BlockHeader>& given_head) {
    auto head = given_head ? Result<chain::BlockHeader>(*given_head) : latest_header(client_);
    if (!head) return std::unexpected(head.error());
    TickReport report;
    report.head = head->number;
    report.head_timestamp = head->timestamp;
    positions_.clear();
    reconcile_journal();
    round_errors_.start_round();
    if (executor_) executor_->start_round();
    auto followed = follower_->follow(*head, progress_logger);
    if (!followed) return std::unexpected(followed.error());
    if (const auto& removed = followed->update.removed; !removed.empty()) {
        report.reorged_blocks = removed.size();
        report.reorg_fork_block = removed.back().number - 1;  // newest first
    }
    // Judged before any decision: the round's feed logs are applied, and the
    // head's timestamp (not the wall clock) is the time a price is aged by.
    if (feeds_) report.feeds = feeds_->evaluate(head->timestamp);
    // Alerts only, after the feeds took the round's logs; decides nothing.
    if (exchange_ && feeds_)
        report.exchange = exchange_->check(
            *feeds_, static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                    std::chrono::system_clock::now().time_since_epoch())
                                                    .count()));
    const auto* behind = &followed->behind;
    std::vector<std::pair<std::string, Result<void>>> outcomes;
    for (auto& adapter : adapters_) {
        if (const auto why = behind->find(adapter->key()); why != behind->end()) {
            outcomes.emplace_back(adapter->key(), std::unexpected(why->second));
            continue;
        }
        outcomes.emplace_back(adapter->key(), tick_adapter(*adapter, *head, report));
    }
    follower_->refilter(*head);
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
    if (executor_) {
        report.skipped_errors += executor_->skipped_errors();
        report.records = executor_->records().size();
    }
    shepherd_unowned_work(*head);
    if (sender_) report.in_flight = sender_->in_flight().size();
    last_head_ = head->number;
    return report;
}

Result<std::size_t> Keeper::tick_pending(const PendingTransmission& pending) {
    if (!executor_ || !feeds_) return std::size_t{0};
    const auto price = feeds_->pending_price(pending.aggregator, pending.transmit);
    if (!price) return std::size_t{0};  // not a watched aggregator (the watcher filters these out)
    auto head = latest_header(client_);
    if (!head) return std::unexpected(head.error());
    spdlog::info(
        "pending transmit {} to {}: {} for {} at {}, tip {} wei; judging positions at the pending block on "
        "top of block {}",
        pending.tx.hash.hex(), pending.aggregator.checksummed(), std::string(oracles::to_string(price->source)),
        price->asset.checksummed(), price->price.text(), pending.tx.priority_fee_wei.to_dec(), head->number);
    const std::size_t before = executor_->records().size();
    executor_->start_round();
    executor_->set_backrun(ActionExecutor::PendingBackrun{pending.tx.priority_fee_wei});
    for (auto& adapter : adapters_) {
        auto snapshot = adapter->pending_snapshot(*head);
        if (!snapshot) {
            spdlog::warn("{}: pending block: {}", adapter->key(), snapshot.error().message);
            continue;
        }
        if (!*snapshot) continue;  // this protocol cannot be judged at pending state
        ExecutionCounts counts;
        protocols::DecisionInput input;
        input.head_block = head->number;
        input.head_timestamp = head->timestamp;
        input.keeper = keeper_address_;
        input.dry_run = options_.mode == KeeperMode::dry_run;
        input.busy = executor_->busy(*adapter, *head, counts);
        const auto tokens = adapter->funding_tokens(**snapshot, input);
        input.holdings = executor_->read_holdings(*adapter, tokens, *head);
        executor_->execute(*adapter, adapter->decide(**snapshot, input), *head, counts);
    }
    executor_->set_backrun(std::nullopt);
    return executor_->records().size() - before;
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

std::vector<protocols::ActionRecord> Keeper::records() const {
    return executor_ ? executor_->records() : std::vector<protocols::ActionRecord>{};
}

LiquidatorMemory Keeper::liquidator_memory() const { return executor_ ? executor_->memory() : LiquidatorMemory{}; }

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

// `margin-keeper run`: the daemon. Each round follows the head, judges every
// position and liquidates what pays; --dry-run simulates instead of sending;
// --fork runs the same against a local anvil forked from the node at its
// current block, so the operator sees real receipts and real profit without
// touching the real chain.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "keeper/config/signer_loader.hpp"
#include "keeper/daemon/command_line.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/operations.hpp"
#include "keeper/daemon/operator_feed.hpp"
#include "keeper/daemon/rpc_stack.hpp"
#include "keeper/daemon/shutdown_signal.hpp"
#include "keeper/daemon/status_snapshot.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "chain/retrying_transport.hpp"
#include "chain/subscription.hpp"

namespace keeper::app {
namespace {

void print_run_help() {
    std::puts(
        "usage: margin-keeper run --config FILE [--dry-run] [--fork | --fork-url URL] [--once]\n"
        "                         [--rpc URL]... [--state-dir DIR] [--archive-state]\n"
        "                         [--private-key-env NAME | --keystore FILE --password-file FILE]\n"
        "\n"
        "The daemon: follows the configured protocols from start_block (or from its saved\n"
        "state), and liquidates every position that becomes liquidatable and pays.\n"
        "\n"
        "  --dry-run       nothing is broadcast: each liquidation is simulated (eth_call and\n"
        "                  eth_estimateGas at the latest block) and logged with its calldata,\n"
        "                  expected seized collateral, gas and profit\n"
        "  --fork          start a local anvil forked from the configured rpc at its current\n"
        "                  block and send the transactions there; reports receipts and the\n"
        "                  real profit (balance differences). State goes to a temporary directory.\n"
        "  --fork-url URL  the same, forking URL instead of the configured rpc\n"
        "  --once          stop when a round sends nothing and nothing is in flight\n"
        "  --state-dir DIR where the journal and sync progress live (overrides state_dir)\n"
        "  --archive-state if the state directory belongs to another chain, move its database\n"
        "                  aside (DIR/keeper.chain-<id>.<UTC time>.sqlite3, never deleted) and\n"
        "                  start afresh; without it the keeper refuses to start on another\n"
        "                  chain's state, whose journal may hold transactions in flight\n"
        "\n"
        "SIGTERM or SIGINT: the round in progress finishes, in-flight transactions stay\n"
        "in the journal, exit 0. Restarted on the same state directory it resumes from the\n"
        "last committed block and never sends a second transaction for work already sent.");
}

// Sleeps up to `total`, returning early on shutdown.
void wait_for(std::chrono::milliseconds total) {
    const auto until = std::chrono::steady_clock::now() + total;
    while (!shutdown_requested() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(std::chrono::milliseconds(50), total));
}

void print_records(const std::vector<protocols::ActionRecord>& records) {
    if (records.empty()) return;
    spdlog::info("liquidations this session: {}", records.size());
    for (const auto& r : records) {
        const auto& p = r.prediction;
        const std::string where = r.protocol == "morpho-blue"
                                      ? " market " + p.position_id.hex().substr(0, 10)
                                      : " " + r.protocol + " collateral " + p.collateral_token.checksummed() +
                                            " debt " + p.debt_token.checksummed();
        std::string line = p.account.checksummed() + where + ": predicted seize " + p.collateral_out.to_dec() +
                           ", repay " + p.debt_in.to_dec();
        if (r.dry_run) line += ", simulation " + r.simulation;
        if (r.tx_hash) line += ", tx " + r.tx_hash->hex();
        if (r.success) line += *r.success ? ", mined" : ", REVERTED";
        if (r.settled.collateral_out) line += ", seized " + r.settled.collateral_out->to_dec();
        if (r.realised_collateral_gain && r.realised_debt_spent)
            line += ", balances: +" + r.realised_collateral_gain->to_dec() + " collateral, -" +
                    r.realised_debt_spent->to_dec() + " loan";
        else if (r.realised_collateral_gain && r.realised_debt_gain)
            line += ", balances: +" + r.realised_collateral_gain->to_dec() + " collateral, +" +
                    r.realised_debt_gain->to_dec() + " debt asset (flash-loan profit)";
        spdlog::info("  {}", line);
    }
}

}  // namespace

int run_command(int argc, char** argv) {
    auto line = parse_command_line(argc, argv, {"--dry-run", "--fork", "--fork-url", "--once", "--archive-state"});
    if (!line) {
        std::fprintf(stderr, "margin-keeper run: %s\n", line.error().message.c_str());
        return 2;
    }
    if (line->help) {
        print_run_help();
        return 0;
    }
    auto config = load_effective_config(*line);
    if (!config) {
        std::fprintf(stderr, "margin-keeper run: %s\n", config.error().message.c_str());
        return 2;
    }
    install_shutdown_handlers();

    // Before any child starts: reading the key erases its variable, so the
    // anvil of --fork never inherits it.
    auto signer = config::load_signer(config->signer, config::process_getenv, config::erase_process_env);
    if (!signer) {
        spdlog::error("signer: {}", signer.error().message);
        return 2;
    }

    std::optional<devnet::AnvilProcess> fork;
    std::optional<std::filesystem::path> fork_state;
    if (line->fork) {
        const std::string upstream = line->fork_url.value_or(config->chain.rpc.front());
        devnet::AnvilOptions options;
        options.fork_url = upstream;
        spdlog::info("fork mode: starting anvil forked from {}", redact_url(upstream));
        auto started = devnet::AnvilProcess::start(options);
        if (!started) {
            spdlog::error("fork mode: {}", started.error().message);
            return 1;
        }
        fork.emplace(std::move(*started));
        config->chain.rpc = {fork->url()};
        config->chain.ws.reset();
        // Nothing reorganises a private fork, and it mines only when a
        // transaction arrives: its receipts are final in their own block.
        config->strategy.confirmations = 1;
        // The fork's history diverges from the real chain's: its state never
        // mixes with the daemon's own.
        char dir_template[] = "/tmp/margin-keeper-fork-XXXXXX";
        if (::mkdtemp(dir_template) == nullptr) {
            spdlog::error("fork mode: cannot create a temporary state directory");
            return 1;
        }
        fork_state = dir_template;
        config->state_dir = *fork_state;
        spdlog::info("fork mode: transactions go to {} (pid {}), state in {}", fork->url(), fork->pid(),
                     fork_state->string());
    }

    KeeperOptions options;
    options.mode = line->dry_run ? KeeperMode::dry_run : KeeperMode::live;
    options.persist = true;
    options.archive_other_chain = line->archive_state;
    options.interrupted = shutdown_requested;
    options.network_stop = network_stop_requested;
    // systemd notifications; with [metrics], the listener and RPC counts (before the first client).
    auto operations = DaemonOperations::start(*config);
    if (!operations) {
        spdlog::error("{}", operations.error().message);
        return 1;
    }
    auto keeper = Keeper::open(*config, options, std::move(*signer));
    if (!keeper) {
        if (shutdown_requested()) {
            spdlog::info("stopped during start-up; saved state resumes from the last committed block");
            return 0;
        }
        spdlog::error("{}", keeper.error().message);
        return 1;
    }
    // Metrics, alerts and the action guard (pause file, budget, breaker) of every round.
    OperatorFeed feed(*config, config::effective_state_dir(*config, config::process_getenv),
                      {(*operations)->metrics(), (*operations)->health(), (*operations)->alerts()},
                      [] { return SystemClock::now(); });
    feed.attach(**keeper);

    // Rounds run when a new head arrives: websocket newHeads when [chain] ws
    // is set, else HTTP polling every poll_interval_ms. The websocket lives
    // on its own thread: while it is down (or connecting to a hung node) the
    // rounds follow HTTP polling, and while it is up but quiet HTTP is asked
    // every second, so it never delays a round by more than that
    // (chain/fallback_head_source.hpp). Every step of it is shorter than the
    // 10 s shutdown promise, and it stops at once on SIGTERM.
    chain::HeadSourceConfig head_config;
    head_config.ws_url = config->chain.ws;
    head_config.poll_interval = config->chain.poll_interval;
    head_config.ws_options.connect_timeout = std::chrono::seconds(3);
    head_config.reconnect.request_timeout = std::chrono::seconds(3);
    head_config.reconnect.max_attempts = 1;  // its thread calls again, with backoff: each failure is reported
    head_config.note = [](bool trouble, const std::string& text) {
        if (trouble)
            spdlog::warn("{}", text);
        else
            spdlog::info("{}", text);
    };
    auto heads = chain::make_head_source(head_config, (*keeper)->client(),
                                         chain::real_retry_environment(shutdown_requested));

    // Pending mode ([[feeds]] pending_transmissions): transmits to the
    // watched aggregators are acted on between rounds, the moment the
    // watcher's thread queues them.
    std::unique_ptr<PendingTransmissionWatcher> watcher;
    if (const OracleFeeds* feeds = (*keeper)->feeds(); feeds != nullptr && !feeds->pending_aggregators().empty()) {
        if (!config->chain.ws) {
            spdlog::warn("pending_transmissions: no websocket endpoint (fork mode uses none): off");
        } else {
            watcher = std::make_unique<PendingTransmissionWatcher>(
                PendingTransmissionWatcher::Options{.ws_url = *config->chain.ws,
                                                    .aggregators = feeds->pending_aggregators(),
                                                    .info = [](const std::string& text) { spdlog::info("{}", text); },
                                                    .warn = [](const std::string& text) { spdlog::warn("{}", text); },
                                                    .stopping = shutdown_requested,
                                                    .max_queued = 64});
            watcher->start();
        }
    }
    auto serve_pending = [&]() {
        if (!watcher) return;
        while (auto pending = watcher->take()) {
            if (shutdown_requested()) return;
            auto sent = (*keeper)->tick_pending(*pending);
            if (!sent) spdlog::warn("pending transmit {}: {}", pending->tx.hash.hex(), sent.error().message);
        }
    };
    // Short waits while pending transmits may arrive: one is acted on within
    // a slice, not a head's wait.
    const auto slice = std::chrono::milliseconds(watcher ? 20 : 200);
    auto wait_serving = [&](std::chrono::milliseconds total) {
        if (!watcher) return wait_for(total);
        const auto until = std::chrono::steady_clock::now() + total;
        while (!shutdown_requested() && std::chrono::steady_clock::now() < until) {
            serve_pending();
            watcher->wait(std::min(slice, std::chrono::duration_cast<std::chrono::milliseconds>(
                                              until - std::chrono::steady_clock::now())));
        }
    };
    spdlog::info("new heads by {}", heads->kind());
    // The head a subscription (or a poll) delivers is the head the next
    // round uses: it is not read again.
    std::optional<chain::BlockHeader> next_head;
    auto wait_for_next_head = [&]() {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(12);
        while (!shutdown_requested() && std::chrono::steady_clock::now() < until) {
            serve_pending();
            auto head = heads->next_head(slice);
            if (!head) {
                spdlog::warn("{} head source: {}", heads->kind(), head.error().message);
                wait_for(config->chain.poll_interval);
                return;
            }
            if (head->has_value()) {
                (*operations)->head_seen(**head);
                next_head = **head;
                return;
            }
        }
    };

    auto backoff = std::chrono::milliseconds(0);
    std::size_t last_liquidatable = SIZE_MAX, last_records = 0, last_skipped = 0;
    while (!shutdown_requested()) {
        feed.before_round();
        (*operations)->round_started();
        auto report = (*keeper)->tick(std::exchange(next_head, std::nullopt));
        if (report) feed.after_round(*report);
        (*operations)->round_finished(report.has_value(), report ? report->head : 0, report ? report->in_flight : 0);
        if (!report) {
            // A dead node or a malformed answer: keep the state, try again.
            backoff = std::min(std::chrono::milliseconds(10'000),
                               std::max(std::chrono::milliseconds(500), backoff * 2));
            spdlog::warn("round failed: {} (retrying in {} ms)", report.error().message, backoff.count());
            wait_for(backoff);
            continue;
        }
        backoff = std::chrono::milliseconds(0);
        metrics::PausedStatus paused;
        if (const auto reason = feed.paused()) paused = {.actions = true, .reason = *reason, .assets = {}};
        publish_round_status(**operations, **keeper, *report, line->dry_run ? "dry-run" : "live",
                             std::move(paused));  // the status page
        if (report->liquidatable != last_liquidatable || report->records != last_records ||
            report->skipped_errors != last_skipped) {
            spdlog::info(
                "block {}: {} positions with debt, {} liquidatable ({} not worth sending, {} skipped on "
                "errors), {} in flight",
                report->head, report->positions, report->liquidatable, report->declined, report->skipped_errors,
                report->in_flight);
        }
        last_skipped = report->skipped_errors;
        const bool nothing_left = quiet(*report, last_records);
        last_liquidatable = report->liquidatable;
        last_records = report->records;
        if (line->once && nothing_left) break;
        // In flight or waiting for our block: look again after a poll interval
        // even without a new head notification.
        if (report->in_flight > 0 || report->awaiting_sync > 0)
            wait_serving(config->chain.poll_interval);
        else
            wait_for_next_head();
    }
    if (watcher) watcher->stop();
    (*operations)->stopping();
    if (shutdown_requested()) spdlog::info("shutdown requested: state and journal are saved");
    print_records((*keeper)->records());
    if (fork_state) std::filesystem::remove_all(*fork_state);
    return 0;
}

}  // namespace keeper::app

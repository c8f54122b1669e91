#include "keeper/daemon/scan_pass.hpp"

#include <string>
#include <utility>

#include "keeper/daemon/shutdown_signal.hpp"

namespace keeper::app {

Result<ScanPass> scan_pass(const config::KeeperConfig& config, bool reads_flash_premium) {
    install_shutdown_handlers();
    KeeperOptions options;
    options.mode = KeeperMode::scan;
    options.persist = false;
    options.interrupted = shutdown_requested;
    options.reads_flash_premium = reads_flash_premium;
    auto keeper = Keeper::open(config, options, std::nullopt);
    if (!keeper) return std::unexpected(keeper.error());
    auto report = (*keeper)->tick();
    if (!report) return std::unexpected(report.error());
    if (!report->failed_protocols.empty()) {
        std::string unread;
        for (const auto& key : report->failed_protocols) unread += (unread.empty() ? "" : ", ") + key;
        return fail(unread + " could not be read");
    }
    return ScanPass{std::move(*keeper), std::move(*report)};
}

}  // namespace keeper::app

#pragma once
// One pass over every configured protocol at the latest block, keeping
// nothing: what `scan` lists and `stress` revalues. Unlike the daemon, which
// goes on without a protocol it cannot read, a pass fails when any protocol
// could not be read: a listing or a report silently missing one would mislead.
#include <memory>

#include "core/result.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/daemon/keeper.hpp"

namespace keeper::app {

struct ScanPass {
    std::unique_ptr<Keeper> keeper;  // positions() holds every protocol's snapshot
    TickReport report;
};

// Installs the shutdown handlers (SIGTERM during a long sync stops it).
// `reads_flash_premium`: stress's capital section wants Aave's flash premium.
Result<ScanPass> scan_pass(const config::KeeperConfig& config, bool reads_flash_premium = false);

}  // namespace keeper::app

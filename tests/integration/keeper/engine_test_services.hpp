#pragma once
// What the engine tests (morpho_engine_test, aave_engine_test) give the
// adapter they drive outside the daemon: no state store, silent logs, and the
// screen's own counts (riskiest_rows_judged 0: the daemon adds the status
// page's 50).
#include <cstdint>
#include <string>

#include "chain/rpc_client.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::testing {

inline protocols::AdapterServices engine_test_services(chain::JsonRpcClient& client, bool acts,
                                                       std::uint64_t audit_every_blocks,
                                                       const U256& warning_health_wad) {
    protocols::KeeperSettings settings;
    settings.warning_health_wad = warning_health_wad;
    settings.audit_every_blocks = audit_every_blocks;
    settings.riskiest_rows_judged = 0;
    return protocols::AdapterServices{client, nullptr, [](const std::string&) {}, [](const std::string&) {}, {},
                                      acts,   settings};
}

}  // namespace keeper::testing

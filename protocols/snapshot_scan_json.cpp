#include "protocols/health_text.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols {

nlohmann::json Snapshot::scan_json(std::size_t row) const {
    const PositionRow& r = rows.at(row);
    return {{"protocol", r.protocol},
            {"account", r.account.checksummed()},
            {"health", wad_to_decimal(r.health_wad)},
            {"liquidatable", r.liquidatable},
            {"block", block}};
}

}  // namespace keeper::protocols

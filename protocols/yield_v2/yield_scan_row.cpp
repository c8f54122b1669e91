#include "protocols/health_text.hpp"
#include "protocols/yield_v2/yield_snapshot.hpp"

namespace keeper::yield_v2 {

nlohmann::json YieldSnapshot::scan_json(std::size_t row) const {
    const protocols::PositionRow& r = rows.at(row);
    const VaultReading& v = vaults.at(row);
    return {{"protocol", r.protocol},
            {"account", r.account.checksummed()},
            {"health", protocols::wad_to_decimal(r.health_wad)},
            {"liquidatable", r.liquidatable},
            {"vault", v.id.hex()},
            {"collateral", v.balances.ink.to_dec()},
            {"debt", v.balances.art.to_dec()},
            {"under_auction", v.auction.start != 0},
            {"block", v.block}};
}

}  // namespace keeper::yield_v2

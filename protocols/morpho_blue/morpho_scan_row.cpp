#include "protocols/health_text.hpp"
#include "protocols/morpho_blue/morpho_blue_decide.hpp"

namespace keeper::protocols::morpho_blue {

nlohmann::json MorphoSnapshot::scan_json(std::size_t row) const {
    const PositionHealth& p = positions.at(row);
    return {{"protocol", "morpho-blue"},
            {"market", p.market.hex()},
            {"account", p.account.checksummed()},
            {"collateral", p.position.collateral.to_dec()},
            {"debt", p.health.borrowed.to_dec()},
            {"health", wad_to_decimal(p.health_wad)},
            {"liquidatable", p.liquidatable},
            {"max_borrow", p.health.max_borrow.to_dec()},
            {"borrow_shares", p.position.borrow_shares.to_dec()},
            {"block", block}};
}

}  // namespace keeper::protocols::morpho_blue

#include "margin/morpho_events.hpp"

#include <array>
#include <cstring>

#include "core/keccak.hpp"

namespace keeper::morpho {

MarketId market_id(const MarketParams& params) {
    std::array<std::uint8_t, 5 * 32> words{};
    const Address* addresses[] = {&params.loan_token, &params.collateral_token, &params.oracle, &params.irm};
    for (std::size_t i = 0; i < 4; ++i)  // an address word is 12 zero bytes, then the 20 address bytes
        std::memcpy(words.data() + 32 * i + 12, addresses[i]->bytes.data(), 20);
    const auto lltv = params.lltv_wad.to_be();
    std::memcpy(words.data() + 4 * 32, lltv.data(), 32);
    return keccak256(ByteView(words));
}

bool same_params(const MarketParams& a, const MarketParams& b) {
    return a.loan_token == b.loan_token && a.collateral_token == b.collateral_token && a.oracle == b.oracle &&
           a.irm == b.irm && a.lltv_wad == b.lltv_wad;
}

MarketId event_market(const Event& event) {
    return std::visit([](const auto& e) { return e.id; }, event);
}

const char* event_name(const Event& event) {
    static constexpr const char* names[] = {"CreateMarket",     "Supply",    "Withdraw",       "Borrow", "Repay",
                                            "SupplyCollateral", "WithdrawCollateral", "Liquidate", "AccrueInterest",
                                            "SetFee"};
    static_assert(std::size(names) == std::variant_size_v<Event>);
    return names[event.index()];
}

}  // namespace keeper::morpho

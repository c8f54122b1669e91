#include "chain/morpho/morpho_log_decoder.hpp"

#include <algorithm>
#include <string>

#include "chain/followed_events.hpp"
#include "core/abi_signature.hpp"

namespace keeper::chain::morpho_blue {
namespace {

using abi::DecodedLog;
using abi::Value;

Result<morpho::MarketParams> params_at(const DecodedLog& log, std::size_t i) {
    const Value::List* list = log.values.at(i).value.as_list();
    if (list == nullptr || list->size() != 5) return fail("value " + std::to_string(i) + " is not a market params tuple");
    morpho::MarketParams p;
    Address* addresses[] = {&p.loan_token, &p.collateral_token, &p.oracle, &p.irm};
    for (std::size_t k = 0; k < 4; ++k) {
        const Address* a = (*list)[k].as_address();
        if (a == nullptr) return fail("market params field " + std::to_string(k) + " is not an address");
        *addresses[k] = *a;
    }
    const U256* lltv = (*list)[4].as_uint();
    if (lltv == nullptr) return fail("market params lltv is not a uint");
    p.lltv_wad = *lltv;
    return p;
}

// Shorthand for the reads in the converters: return the error from the enclosing function.
#define KEEPER_READ(var, expr)                              \
    auto var = (expr);                                      \
    if (!var) return std::unexpected(var.error())

// Supply, Withdraw, Borrow, Repay: (id, ..., onBehalf at `on_behalf`, ..., assets, shares) with
// assets and shares the last two values.
template <class E>
Result<morpho::Event> shares_event(const DecodedLog& log, std::size_t on_behalf) {
    KEEPER_READ(id, log.bytes32_at(0));
    KEEPER_READ(account, log.address_at(on_behalf));
    const std::size_t n = log.values.size();
    KEEPER_READ(assets, log.uint_at(n - 2));
    KEEPER_READ(shares, log.uint_at(n - 1));
    return morpho::Event(E{*id, *account, *assets, *shares});
}

template <class E>
Result<morpho::Event> collateral_event(const DecodedLog& log) {
    KEEPER_READ(id, log.bytes32_at(0));
    KEEPER_READ(account, log.address_at(2));
    KEEPER_READ(assets, log.uint_at(log.values.size() - 1));
    return morpho::Event(E{*id, *account, *assets});
}

Result<morpho::Event> create_market(const DecodedLog& log) {
    KEEPER_READ(id, log.bytes32_at(0));
    KEEPER_READ(params, params_at(log, 1));
    return morpho::Event(morpho::CreateMarketEvent{*id, *params});
}

Result<morpho::Event> liquidate(const DecodedLog& log) {
    KEEPER_READ(id, log.bytes32_at(0));
    KEEPER_READ(caller, log.address_at(1));
    KEEPER_READ(borrower, log.address_at(2));
    U256 amounts[5];
    for (std::size_t i = 0; i < 5; ++i) {
        KEEPER_READ(v, log.uint_at(3 + i));
        amounts[i] = *v;
    }
    return morpho::Event(
        morpho::LiquidateEvent{*id, *caller, *borrower, amounts[0], amounts[1], amounts[2], amounts[3], amounts[4]});
}

Result<morpho::Event> accrue_interest(const DecodedLog& log) {
    KEEPER_READ(id, log.bytes32_at(0));
    KEEPER_READ(rate, log.uint_at(1));
    KEEPER_READ(interest, log.uint_at(2));
    KEEPER_READ(fee_shares, log.uint_at(3));
    return morpho::Event(morpho::AccrueInterestEvent{*id, *rate, *interest, *fee_shares});
}

Result<morpho::Event> set_fee(const DecodedLog& log) {
    KEEPER_READ(id, log.bytes32_at(0));
    KEEPER_READ(fee, log.uint_at(1));
    return morpho::Event(morpho::SetFeeEvent{*id, *fee});
}

#undef KEEPER_READ

struct Followed {
    abi::EventSpec spec;
    Result<morpho::Event> (*convert)(const DecodedLog&);
};

// EventsLib with `Id` written as bytes32, its underlying type (the topic
// hashes the canonical form, where user-defined value types are erased).
const std::vector<Followed>& followed() {
    static const std::vector<Followed> table = [] {
        auto spec = [](const char* text) { return abi::parse_event(text).value(); };
        return std::vector<Followed>{
            {spec("CreateMarket(bytes32 indexed id, (address,address,address,address,uint256) marketParams)"),
             create_market},
            {spec("Supply(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, "
                  "uint256 shares)"),
             [](const DecodedLog& l) { return shares_event<morpho::SupplyEvent>(l, 2); }},
            {spec("Withdraw(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, "
                  "uint256 assets, uint256 shares)"),
             [](const DecodedLog& l) { return shares_event<morpho::WithdrawEvent>(l, 2); }},
            {spec("Borrow(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, "
                  "uint256 assets, uint256 shares)"),
             [](const DecodedLog& l) { return shares_event<morpho::BorrowEvent>(l, 2); }},
            {spec("Repay(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, "
                  "uint256 shares)"),
             [](const DecodedLog& l) { return shares_event<morpho::RepayEvent>(l, 2); }},
            {spec("SupplyCollateral(bytes32 indexed id, address indexed caller, address indexed onBehalf, "
                  "uint256 assets)"),
             collateral_event<morpho::SupplyCollateralEvent>},
            {spec("WithdrawCollateral(bytes32 indexed id, address caller, address indexed onBehalf, "
                  "address indexed receiver, uint256 assets)"),
             collateral_event<morpho::WithdrawCollateralEvent>},
            {spec("Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, "
                  "uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, "
                  "uint256 badDebtShares)"),
             liquidate},
            {spec("AccrueInterest(bytes32 indexed id, uint256 prevBorrowRate, uint256 interest, uint256 feeShares)"),
             accrue_interest},
            {spec("SetFee(bytes32 indexed id, uint256 newFee)"), set_fee},
        };
    }();
    return table;
}

}  // namespace

const std::vector<Bytes32>& followed_topics() {
    static const std::vector<Bytes32> topics = [] {
        std::vector<Bytes32> out;
        for (const auto& f : followed()) out.push_back(f.spec.topic0);
        return out;
    }();
    return topics;
}

Result<std::optional<morpho::Event>> decode_event(const Log& log) {
    return decode_followed<morpho::Event>(
        std::span<const Followed>(followed()), log, "morpho",
        [](const Followed& f, const DecodedLog& values) { return f.convert(values); });
}

}  // namespace keeper::chain::morpho_blue

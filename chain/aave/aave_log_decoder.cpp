#include "chain/aave/aave_log_decoder.hpp"

#include <algorithm>
#include <string>

#include "chain/followed_events.hpp"
#include "core/abi_signature.hpp"

namespace keeper::chain::aave_v3 {
namespace {

using abi::DecodedLog;

// DataTypes.InterestRateMode {NONE, STABLE, VARIABLE}: abi.decode of the enum
// reverts on anything above 2, so a log carrying more is not the Pool's.
Result<std::uint8_t> rate_mode_at(const DecodedLog& log, std::size_t i) {
    auto u = log.uint_at(i);
    if (!u) return std::unexpected(u.error());
    if (*u > U256(2)) return fail("interestRateMode " + u->to_dec() + " is not an InterestRateMode (0-2)");
    return static_cast<std::uint8_t>(u->low64());
}

#define KEEPER_READ(var, expr) \
    auto var = (expr);         \
    if (!var) return std::unexpected(var.error())

// Each converter reads the values in declaration order (indexed or not).
Result<Event> supply(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    KEEPER_READ(on_behalf_of, l.address_at(2));
    KEEPER_READ(amount, l.uint_at(3));
    KEEPER_READ(referral, l.uint_at(4));
    return Event(SupplyEvent{*reserve, *user, *on_behalf_of, *amount, static_cast<std::uint16_t>(referral->low64())});
}

Result<Event> mint_unbacked(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    KEEPER_READ(on_behalf_of, l.address_at(2));
    KEEPER_READ(amount, l.uint_at(3));
    KEEPER_READ(referral, l.uint_at(4));
    return Event(
        MintUnbackedEvent{*reserve, *user, *on_behalf_of, *amount, static_cast<std::uint16_t>(referral->low64())});
}

Result<Event> withdraw(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    KEEPER_READ(to, l.address_at(2));
    KEEPER_READ(amount, l.uint_at(3));
    return Event(WithdrawEvent{*reserve, *user, *to, *amount});
}

Result<Event> borrow(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    KEEPER_READ(on_behalf_of, l.address_at(2));
    KEEPER_READ(amount, l.uint_at(3));
    KEEPER_READ(mode, rate_mode_at(l, 4));
    KEEPER_READ(rate, l.uint_at(5));
    KEEPER_READ(referral, l.uint_at(6));
    return Event(BorrowEvent{*reserve, *user, *on_behalf_of, *amount, *mode, *rate,
                             static_cast<std::uint16_t>(referral->low64())});
}

Result<Event> repay(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    KEEPER_READ(repayer, l.address_at(2));
    KEEPER_READ(amount, l.uint_at(3));
    KEEPER_READ(use_a_tokens, l.bool_at(4));
    return Event(RepayEvent{*reserve, *user, *repayer, *amount, *use_a_tokens});
}

Result<Event> liquidation_call(const Log&, const DecodedLog& l) {
    KEEPER_READ(collateral, l.address_at(0));
    KEEPER_READ(debt, l.address_at(1));
    KEEPER_READ(user, l.address_at(2));
    KEEPER_READ(debt_to_cover, l.uint_at(3));
    KEEPER_READ(liquidated, l.uint_at(4));
    KEEPER_READ(liquidator, l.address_at(5));
    KEEPER_READ(receive_a_token, l.bool_at(6));
    return Event(LiquidationCallEvent{*collateral, *debt, *user, *debt_to_cover, *liquidated, *liquidator,
                                      *receive_a_token});
}

Result<Event> reserve_data_updated(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    U256 words[5];
    for (std::size_t i = 0; i < 5; ++i) {
        KEEPER_READ(v, l.uint_at(1 + i));
        words[i] = *v;
    }
    return Event(ReserveDataUpdatedEvent{*reserve, words[0], words[1], words[2], words[3], words[4]});
}

template <class E>
Result<Event> reserve_and_user(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    return Event(E{*reserve, *user});
}

Result<Event> user_emode_set(const Log&, const DecodedLog& l) {
    KEEPER_READ(user, l.address_at(0));
    KEEPER_READ(category, l.uint_at(1));
    return Event(UserEModeSetEvent{*user, static_cast<std::uint8_t>(category->low64())});
}

Result<Event> swap_borrow_rate_mode(const Log&, const DecodedLog& l) {
    KEEPER_READ(reserve, l.address_at(0));
    KEEPER_READ(user, l.address_at(1));
    KEEPER_READ(mode, rate_mode_at(l, 2));
    return Event(SwapBorrowRateModeEvent{*reserve, *user, *mode});
}

Result<Event> balance_transfer(const Log& log, const DecodedLog& l) {
    KEEPER_READ(from, l.address_at(0));
    KEEPER_READ(to, l.address_at(1));
    KEEPER_READ(value, l.uint_at(2));
    KEEPER_READ(index, l.uint_at(3));
    return Event(BalanceTransferEvent{log.address, *from, *to, *value, *index});
}

#undef KEEPER_READ

struct Followed {
    abi::EventSpec spec;
    Result<Event> (*convert)(const Log&, const DecodedLog&);
};

// IPool.sol with DataTypes.InterestRateMode written as uint8, its ABI type
// (the topic hashes the canonical form, where enums are uint8). The Pool's
// events first, in pool_topics() order, then the aToken's.
const std::vector<Followed>& followed() {
    static const std::vector<Followed> table = [] {
        auto spec = [](const char* text) { return abi::parse_event(text).value(); };
        return std::vector<Followed>{
            {spec("Supply(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, "
                  "uint16 indexed referralCode)"),
             supply},
            {spec("Withdraw(address indexed reserve, address indexed user, address indexed to, uint256 amount)"),
             withdraw},
            {spec("Borrow(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, "
                  "uint8 interestRateMode, uint256 borrowRate, uint16 indexed referralCode)"),
             borrow},
            {spec("Repay(address indexed reserve, address indexed user, address indexed repayer, uint256 amount, "
                  "bool useATokens)"),
             repay},
            {spec("LiquidationCall(address indexed collateralAsset, address indexed debtAsset, "
                  "address indexed user, uint256 debtToCover, uint256 liquidatedCollateralAmount, "
                  "address liquidator, bool receiveAToken)"),
             liquidation_call},
            {spec("ReserveDataUpdated(address indexed reserve, uint256 liquidityRate, uint256 stableBorrowRate, "
                  "uint256 variableBorrowRate, uint256 liquidityIndex, uint256 variableBorrowIndex)"),
             reserve_data_updated},
            {spec("ReserveUsedAsCollateralEnabled(address indexed reserve, address indexed user)"),
             reserve_and_user<CollateralEnabledEvent>},
            {spec("ReserveUsedAsCollateralDisabled(address indexed reserve, address indexed user)"),
             reserve_and_user<CollateralDisabledEvent>},
            {spec("UserEModeSet(address indexed user, uint8 categoryId)"), user_emode_set},
            {spec("SwapBorrowRateMode(address indexed reserve, address indexed user, uint8 interestRateMode)"),
             swap_borrow_rate_mode},
            {spec("RebalanceStableBorrowRate(address indexed reserve, address indexed user)"),
             reserve_and_user<RebalanceStableBorrowRateEvent>},
            {spec("MintUnbacked(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, "
                  "uint16 indexed referralCode)"),
             mint_unbacked},
            {spec("BalanceTransfer(address indexed from, address indexed to, uint256 value, uint256 index)"),
             balance_transfer},
        };
    }();
    return table;
}

constexpr std::size_t kPoolEvents = 12;

}  // namespace

const std::vector<Bytes32>& pool_topics() {
    static const std::vector<Bytes32> topics = [] {
        std::vector<Bytes32> out;
        for (std::size_t i = 0; i < kPoolEvents; ++i) out.push_back(followed()[i].spec.topic0);
        return out;
    }();
    return topics;
}

const Bytes32& balance_transfer_topic() { return followed()[kPoolEvents].spec.topic0; }

Result<std::optional<Event>> decode_event(const Log& log) {
    return decode_followed<Event>(std::span<const Followed>(followed()), log, "aave",
                                  [&](const Followed& f, const DecodedLog& values) { return f.convert(log, values); });
}

}  // namespace keeper::chain::aave_v3

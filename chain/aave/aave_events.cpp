#include "chain/aave/aave_events.hpp"

#include <algorithm>
#include <initializer_list>

namespace keeper::chain::aave_v3 {
namespace {

// `accounts` in order, each once (a liquidator liquidating itself, a
// transfer to oneself).
std::vector<Address> once_each(std::initializer_list<Address> accounts) {
    std::vector<Address> out;
    for (const Address& a : accounts)
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    return out;
}

struct Touched {
    std::vector<Address> operator()(const SupplyEvent& e) const { return {e.on_behalf_of}; }
    std::vector<Address> operator()(const MintUnbackedEvent& e) const { return {e.on_behalf_of}; }
    std::vector<Address> operator()(const WithdrawEvent& e) const { return {e.user}; }
    std::vector<Address> operator()(const BorrowEvent& e) const { return {e.on_behalf_of}; }
    std::vector<Address> operator()(const RepayEvent& e) const {
        return e.use_a_tokens ? once_each({e.user, e.repayer}) : std::vector<Address>{e.user};
    }
    std::vector<Address> operator()(const LiquidationCallEvent& e) const {
        return e.receive_a_token ? once_each({e.user, e.liquidator}) : std::vector<Address>{e.user};
    }
    std::vector<Address> operator()(const ReserveDataUpdatedEvent&) const { return {}; }
    std::vector<Address> operator()(const CollateralEnabledEvent& e) const { return {e.user}; }
    std::vector<Address> operator()(const CollateralDisabledEvent& e) const { return {e.user}; }
    std::vector<Address> operator()(const UserEModeSetEvent& e) const { return {e.user}; }
    std::vector<Address> operator()(const BalanceTransferEvent& e) const { return once_each({e.from, e.to}); }
    std::vector<Address> operator()(const SwapBorrowRateModeEvent& e) const { return {e.user}; }
    std::vector<Address> operator()(const RebalanceStableBorrowRateEvent& e) const { return {e.user}; }
};

}  // namespace

std::vector<Address> touched_accounts(const Event& event) { return std::visit(Touched{}, event); }

}  // namespace keeper::chain::aave_v3

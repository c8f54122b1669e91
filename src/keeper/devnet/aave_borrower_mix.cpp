#include "keeper/devnet/aave_borrower_mix.hpp"

#include <cstdint>
#include <utility>

namespace keeper::devnet {
namespace {

struct Lcg {
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    std::uint64_t next(std::uint64_t bound) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % bound;
    }
};

}  // namespace

std::vector<AaveBorrowerSpec> mixed_aave_borrowers(std::size_t count) {
    const AaveDevnetOptions options = default_aave_devnet_options();
    constexpr std::uint16_t kEModeLtvBps = 9300;
    Lcg rng;
    std::vector<AaveBorrowerSpec> specs;
    specs.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        AaveBorrowerSpec spec;
        const bool emode = i % 5 == 0;
        const std::vector<std::size_t> collateral_pool =
            emode ? std::vector<std::size_t>{kAaveDai, kAaveUsdc}
                  : std::vector<std::size_t>{kAaveWeth, kAaveWbtc, kAaveUsdc, kAaveDai};
        const std::vector<std::size_t> debt_pool =
            emode ? std::vector<std::size_t>{kAaveUsdc} : std::vector<std::size_t>{kAaveUsdc, kAaveDai, kAaveWbtc};
        const std::size_t collaterals = 1 + rng.next(collateral_pool.size());
        const std::size_t first = emode ? 0 : rng.next(collateral_pool.size());
        U256 allowed_base;  // sum(value_i * ltv_i) / 1e4
        for (std::size_t k = 0; k < collaterals; ++k) {
            const std::size_t r = collateral_pool[(first + k) % collateral_pool.size()];
            const AaveReserveSpec& reserve = options.reserves[r];
            const U256 value_base = U256(1'000 + rng.next(50'000)) * U256::pow10(8);  // $1k..$51k
            const U256 amount = value_base * U256::pow10(reserve.decimals) / reserve.price_1e8;
            spec.supplies.push_back({r, amount});
            const U256 ltv(emode ? kEModeLtvBps : reserve.ltv_bps);
            allowed_base = allowed_base + amount * reserve.price_1e8 / U256::pow10(reserve.decimals) * ltv / U256(10'000);
        }
        if (emode) spec.emode_category = 1;
        const std::size_t debts = 1 + rng.next(debt_pool.size());
        const U256 borrow_base = allowed_base * U256(60 + rng.next(40)) / U256(100);
        const std::size_t first_debt = rng.next(debt_pool.size());
        for (std::size_t k = 0; k < debts; ++k) {
            const std::size_t r = debt_pool[(first_debt + k) % debt_pool.size()];
            const AaveReserveSpec& reserve = options.reserves[r];
            const U256 amount = borrow_base / U256(debts) * U256::pow10(reserve.decimals) / reserve.price_1e8;
            if (!amount.is_zero()) spec.borrows.push_back({r, amount});
        }
        specs.push_back(std::move(spec));
    }
    return specs;
}

}  // namespace keeper::devnet

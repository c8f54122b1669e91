#include "protocols/yield_v2/cauldron_level.hpp"

#include "protocols/yield_v2/yield_math.hpp"

namespace keeper::yield_v2 {
namespace {

// SafeCast i256: reverts above type(int256).max.
bool fits_int256(const U256& v) { return v < (U256(1) << 255); }

}  // namespace

Result<U256> chainlink_quote(const ChainlinkSource& source, const U256& amount_base) {
    if (source.answer.is_zero()) return fail("chainlink: price <= 0");
    if (!fits_int256(source.answer)) return fail("chainlink: answer above int256");
    if (source.inverse) {
        auto scaled = checked_mul(amount_base, U256::pow10(source.quote_decimals));
        if (!scaled) return fail("chainlink: amount * 10^quoteDecimals overflows");
        return *scaled / source.answer;
    }
    auto scaled = checked_mul(amount_base, source.answer);
    if (!scaled) return fail("chainlink: amount * price overflows");
    return *scaled / U256::pow10(source.base_decimals);
}

Result<U256> accrual_wad(const U256& rate_now, const U256& rate_at_maturity) {
    U256 accrual;
    if (!rate_at_maturity.is_zero()) {
        auto ratio = wdiv(rate_now, rate_at_maturity);
        if (!ratio) return fail("accrual: rate * 1e18 overflows");
        accrual = *ratio;
    }
    return accrual >= wad() ? accrual : wad();
}

Result<Level> cauldron_level(const LevelInputs& in) {
    const U256 ratio_wad = U256(in.ratio_1e6) * U256::pow10(12);
    U256 debt = in.art;
    if (in.accrual_wad) {
        auto accrued = wmul(debt, *in.accrual_wad);
        if (!accrued) return fail("level: art * accrual overflows");
        debt = *accrued;
    }
    auto required = wmul(debt, ratio_wad);
    if (!required) return fail("level: art * ratio overflows");
    if (!fits_int256(in.ink_value)) return fail("level: inkValue above int256");
    if (!fits_int256(*required)) return fail("level: required value above int256");
    if (in.ink_value >= *required) return Level{false, in.ink_value - *required};
    return Level{true, *required - in.ink_value};
}

Result<U256> debt_to_base(const U256& art, const std::optional<U256>& accrual) {
    if (!accrual) return art;
    auto base = wmul(art, *accrual);
    if (!base) return fail("debtToBase: overflow");
    return *base;
}

Result<U256> debt_from_base(const U256& base, const std::optional<U256>& accrual) {
    if (!accrual) return base;
    auto art = wdivup(base, *accrual);
    if (!art) return fail("debtFromBase: overflow or zero accrual");
    return *art;
}

}  // namespace keeper::yield_v2

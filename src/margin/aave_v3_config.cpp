#include "margin/aave_v3_config.hpp"

namespace keeper::aave {
namespace {

// width <= 64. The mask is applied to the low 64 bits, not built as a U256:
// the planners decode a user's configuration on every quote.
std::uint64_t field(const U256& word, unsigned first_bit, unsigned width) {
    const std::uint64_t low = (word >> first_bit).low64();
    return width >= 64 ? low : low & ((std::uint64_t{1} << width) - 1);
}

bool flag(const U256& word, unsigned bit) { return field(word, bit, 1) != 0; }

U256 with_bit(const U256& word, unsigned bit, bool on) {
    const U256 mask = U256(1) << bit;
    return on ? (word | mask) : (word & ~mask);
}

}  // namespace

ReserveConfig ReserveConfig::decode(const U256& word) {
    ReserveConfig c;
    c.ltv_bps = static_cast<std::uint16_t>(field(word, 0, 16));
    c.liquidation_threshold_bps = static_cast<std::uint16_t>(field(word, 16, 16));
    c.liquidation_bonus_bps = static_cast<std::uint16_t>(field(word, 32, 16));
    c.decimals = static_cast<std::uint8_t>(field(word, 48, 8));
    c.active = flag(word, 56);
    c.frozen = flag(word, 57);
    c.borrowing_enabled = flag(word, 58);
    c.stable_borrowing_enabled = flag(word, 59);
    c.paused = flag(word, 60);
    c.borrowable_in_isolation = flag(word, 61);
    c.siloed_borrowing = flag(word, 62);
    c.flash_loan_enabled = flag(word, 63);
    c.reserve_factor_bps = static_cast<std::uint16_t>(field(word, 64, 16));
    c.borrow_cap = field(word, 80, 36);
    c.supply_cap = field(word, 116, 36);
    c.liquidation_protocol_fee_bps = static_cast<std::uint16_t>(field(word, 152, 16));
    c.emode_category = static_cast<std::uint8_t>(field(word, 168, 8));
    c.unbacked_mint_cap = field(word, 176, 36);
    c.debt_ceiling = field(word, 212, 40);
    c.virtual_accounting_active = flag(word, 252);
    return c;
}

UserConfig::UserConfig(const U256& word) : word_(word) {
    for (unsigned i = 0; i < limbs_.size(); ++i) limbs_[i] = field(word, 64 * i, 64);
}

bool UserConfig::bit(unsigned index) const { return ((limbs_[index / 64] >> (index % 64)) & 1U) != 0; }

bool UserConfig::is_borrowing(unsigned reserve_id) const {
    return reserve_id < kMaxReserves && bit(2 * reserve_id);
}

bool UserConfig::is_using_as_collateral(unsigned reserve_id) const {
    return reserve_id < kMaxReserves && bit(2 * reserve_id + 1);
}

bool UserConfig::is_using_as_collateral_or_borrowing(unsigned reserve_id) const {
    return is_borrowing(reserve_id) || is_using_as_collateral(reserve_id);
}

UserConfig UserConfig::with_borrowing(unsigned reserve_id, bool on) const {
    return UserConfig(with_bit(word_, 2 * reserve_id, on));
}

UserConfig UserConfig::with_collateral(unsigned reserve_id, bool on) const {
    return UserConfig(with_bit(word_, 2 * reserve_id + 1, on));
}

}  // namespace keeper::aave

#pragma once
// Pieces of the synthetic books the benchmarks build (bench_stress,
// bench_pipeline): made-up token and account addresses and an Aave reserve
// configuration. A header only: bench/CMakeLists.txt makes a program of
// every folder with sources, and this folder has none.
#include <cstdint>

#include "core/address.hpp"
#include "margin/aave_v3_config.hpp"

namespace keeper::bench_book {

// A token: the tag in the first byte.
inline Address token(unsigned char tag) {
    Address a;
    a.bytes[0] = tag;
    return a;
}

// Account i: i in the last four bytes.
inline Address account(std::uint32_t i) {
    Address a;
    a.bytes[16] = static_cast<std::uint8_t>(i >> 24);
    a.bytes[17] = static_cast<std::uint8_t>(i >> 16);
    a.bytes[18] = static_cast<std::uint8_t>(i >> 8);
    a.bytes[19] = static_cast<std::uint8_t>(i);
    return a;
}

// An active, borrowable reserve: LTV 3 points under the threshold, a 10 %
// protocol fee on the bonus.
inline aave::ReserveConfig reserve_config(std::uint16_t lt_bps, std::uint16_t bonus_bps, std::uint8_t decimals) {
    aave::ReserveConfig c;
    c.ltv_bps = static_cast<std::uint16_t>(lt_bps - 300);
    c.liquidation_threshold_bps = lt_bps;
    c.liquidation_bonus_bps = bonus_bps;
    c.decimals = decimals;
    c.active = true;
    c.borrowing_enabled = true;
    c.liquidation_protocol_fee_bps = 1000;
    return c;
}

}  // namespace keeper::bench_book

#include "margin/screen_kernel.hpp"

namespace keeper::margin {

void screen_health_batch(const std::uint16_t* __restrict keys, const float* __restrict amounts, std::size_t count,
                         const ScreenFactors& factors, float* __restrict health_out) {
    const float* __restrict cf = factors.collateral_usd.data();
    const float* __restrict df = factors.debt_usd.data();
    for (std::size_t i = 0; i < count; ++i) {
        health_out[i] = screen_health(keys + screen_slots * i, amounts + screen_slots * i, cf, df);
    }
}

}  // namespace keeper::margin

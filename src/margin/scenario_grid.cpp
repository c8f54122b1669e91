#include "margin/scenario_grid.hpp"

namespace keeper::margin {

Result<ScenarioGrid> ScenarioGrid::make(const ScenarioGridSpec& spec) {
    if (spec.spot_steps < 2) {
        return fail("scenario grid: need at least 2 spot steps");
    }
    if (!(spec.max_spot_move_fraction >= 0.0) || !(spec.max_spot_move_fraction < 1.0)) {
        return fail("scenario grid: spot move range must be in [0, 1)");
    }
    if (spec.vol_shifts_abs.empty()) {
        return fail("scenario grid: need at least one vol shift");
    }
    if (!(spec.time_step_years >= 0.0)) {
        return fail("scenario grid: negative time step");
    }
    if (!(spec.min_vol > 0.0)) {
        return fail("scenario grid: vol floor must be positive");
    }
    ScenarioGrid grid;
    grid.time_step_years_ = spec.time_step_years;
    grid.min_vol_ = spec.min_vol;
    grid.max_spot_move_fraction_ = spec.max_spot_move_fraction;
    grid.scenarios_.reserve(spec.spot_steps * spec.vol_shifts_abs.size());
    const double step = 2.0 * spec.max_spot_move_fraction / static_cast<double>(spec.spot_steps - 1);
    for (const double vol_shift : spec.vol_shifts_abs) {
        for (std::uint32_t i = 0; i < spec.spot_steps; ++i) {
            grid.scenarios_.push_back(Scenario{-spec.max_spot_move_fraction + step * static_cast<double>(i), vol_shift});
        }
    }
    return grid;
}

}  // namespace keeper::margin

#pragma once
// The stress grid a portfolio is revalued on: every combination of an
// underlying price move and an implied-vol shift, all at a horizon one time
// step ahead (so each scenario also carries a step of time decay).
//
// Defaults: spot -15 %..+15 % in 21 steps of 1.5 %, vol -10/0/+10 vol points,
// a one-day step: 21 x 3 = 63 scenarios, ordered vol-major (all spot moves for
// the first vol shift, then the next).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace keeper::margin {

struct Scenario {
    double spot_move_fraction = 0.0;  // underlying price x (1 + move)
    double vol_shift_abs = 0.0;       // implied vol + shift, in vol units (0.10 = 10 vol points)
};

struct ScenarioGridSpec {
    double max_spot_move_fraction = 0.15;     // symmetric range [-max, +max]
    std::uint32_t spot_steps = 21;            // odd keeps an unmoved scenario
    std::vector<double> vol_shifts_abs = {-0.10, 0.0, 0.10};
    double time_step_years = 1.0 / 365.0;     // horizon of every scenario
    double min_vol = 0.01;                    // shifted vols are floored here
};

class ScenarioGrid {
public:
    // Fails on fewer than 2 spot steps, a negative range or time step, no vol
    // shifts, or a non-positive vol floor.
    static Result<ScenarioGrid> make(const ScenarioGridSpec& spec);

    std::span<const Scenario> scenarios() const { return scenarios_; }
    std::size_t size() const { return scenarios_.size(); }
    double time_step_years() const { return time_step_years_; }
    double min_vol() const { return min_vol_; }
    double max_spot_move_fraction() const { return max_spot_move_fraction_; }

private:
    std::vector<Scenario> scenarios_;
    double time_step_years_ = 0.0;
    double min_vol_ = 0.0;
    double max_spot_move_fraction_ = 0.0;
};

}  // namespace keeper::margin

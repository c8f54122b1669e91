#include "margin/stress_grid.hpp"

#include <cstdlib>

namespace keeper::margin::stress {

std::string move_text(std::int32_t move_bps) {
    if (move_bps == 0) return "0%";
    const std::int32_t magnitude = std::abs(move_bps);
    std::string text = (move_bps < 0 ? "-" : "+") + std::to_string(magnitude / 100);
    if (const std::int32_t rest = magnitude % 100; rest != 0) {
        text += rest % 10 == 0 ? "." + std::to_string(rest / 10) : (rest < 10 ? ".0" : ".") + std::to_string(rest);
    }
    return text + "%";
}

Result<std::vector<StressScenario>> default_grid(std::span<const Address> assets,
                                                 const std::map<Address, std::string>& labels,
                                                 const StressGridSpec& spec) {
    if (spec.step_bps <= 0 || spec.max_move_bps < 0 || spec.max_move_bps % spec.step_bps != 0)
        return fail("stress grid: the step must be positive and divide the range");
    if (-spec.max_move_bps < kMinMoveBps || spec.max_move_bps > kMaxMoveBps)
        return fail("stress grid: moves must stay within -99.99%..+10000%");
    std::vector<StressScenario> out;
    for (const auto& asset : assets) {
        const auto label = labels.find(asset);
        const std::string name = label != labels.end() ? label->second : asset.checksummed();
        for (std::int32_t move = -spec.max_move_bps; move <= spec.max_move_bps; move += spec.step_bps) {
            StressScenario s;
            s.name = name + " " + move_text(move);
            if (move != 0) s.shocks.push_back({asset, move});
            out.push_back(std::move(s));
        }
    }
    return out;
}

}  // namespace keeper::margin::stress

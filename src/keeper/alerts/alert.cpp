#include "keeper/alerts/alert.hpp"

#include <algorithm>

namespace keeper::alerts {

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::warning:
            return "warning";
        case Severity::liquidatable:
            return "liquidatable";
    }
    return "unknown";
}

std::string format_health(const U256& health_wad, int decimals) {
    if (health_wad == U256::max()) return "inf";
    constexpr unsigned wad_digits = 18;
    const auto places = static_cast<unsigned>(std::clamp(decimals, 0, static_cast<int>(wad_digits)));
    const U256 one = U256::pow10(wad_digits);
    std::string out = (health_wad / one).to_dec();
    if (places == 0) return out;
    // Dropping the low digits of the fraction is rounding down: an account at
    // 0.99999 must never read as "1.0000".
    std::string fraction = ((health_wad % one) / U256::pow10(wad_digits - places)).to_dec();
    out += '.';
    out.append(places - fraction.size(), '0');
    out += fraction;
    return out;
}

std::string alert_text(Severity severity, const AccountHealth& account, const U256& warning_health_wad) {
    std::string text = severity == Severity::liquidatable ? "LIQUIDATABLE " : "WARNING ";
    text += account.protocol;
    if (!account.market.empty()) text += " market " + account.market;
    text += " account " + account.account.checksummed() + ": health " + format_health(account.health_wad);
    if (severity == Severity::warning) text += " (warning below " + format_health(warning_health_wad) + ")";
    return text;
}

}  // namespace keeper::alerts

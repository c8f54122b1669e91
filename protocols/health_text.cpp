#include "protocols/health_text.hpp"

namespace keeper::protocols {

std::string wad_to_decimal(const U256& wad) {
    if (wad == U256::max()) return "inf";
    const U256 unit = U256::pow10(18);
    std::string frac = (wad % unit).to_dec();
    frac.insert(0, 18 - frac.size(), '0');
    while (frac.size() > 1 && frac.back() == '0') frac.pop_back();
    return (wad / unit).to_dec() + "." + frac;
}

}  // namespace keeper::protocols

#pragma once
// One operator alert: an account that is liquidatable or close to it, with a
// line of text a human reads in a chat channel.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/address.hpp"
#include "core/u256.hpp"

namespace keeper::alerts {

enum class Severity { warning, liquidatable };

std::string_view severity_name(Severity severity);  // "warning", "liquidatable"

struct AccountHealth {
    std::string protocol;      // "morpho-blue"
    std::string market;        // market id hex (may be empty for account-level protocols)
    Address account;
    U256 health_wad;           // 1e18 = the liquidation threshold; U256::max() = no debt
    bool liquidatable = false; // the contract's own rule (may differ from health < 1 by rounding: trust this flag)
};

struct Alert {
    Severity severity;
    AccountHealth account;
    // One line for humans:
    // "LIQUIDATABLE morpho-blue market 0x12..ab account 0xAb..: health 0.9731".
    std::string text;
    // 0 for an alert about `account` alone. N > 0 for the summary of N alerts
    // the rate limit held back; `account` and `severity` are then the worst of them.
    std::uint64_t folded_accounts = 0;
};

// health_wad as a decimal rounded down to `decimals` (0..18) places:
// 973100000000000000 -> "0.9731", 1e18 -> "1.0000", U256::max() -> "inf".
std::string format_health(const U256& health_wad, int decimals = 4);

// The one-line text of an alert about one account. `warning_health_wad` is
// quoted in warnings so the reader knows the line that was crossed.
std::string alert_text(Severity severity, const AccountHealth& account, const U256& warning_health_wad);

}  // namespace keeper::alerts

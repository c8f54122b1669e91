#pragma once
// `stress --derivatives FILE`: a portfolio-margined book (options and perps
// with their underlyings) in TOML, every problem named by file, line and key
// (README "Stress: derivatives books"):
//
//   as_of = 2026-12-07             # optional; needed when an expiry is a date (ACT/365)
//
//   [scan]                         # optional: the risk arrays' grid (defaults shown)
//   max_move_percent = 15          # spot -15 %..+15 %
//   spot_steps = 21
//   vol_shifts_points = [-10, 0, 10]
//   time_step_days = 1
//   min_vol_percent = 1
//
//   [portfolio]                    # optional: the engine's charges (default 0)
//   short_option_minimum_percent = 0
//   gamma_extra_move_percent = 0
//   vega_extra_vol_points = 0
//
//   [[offset]]                     # optional: correlation offsets
//   underlyings = ["BTC", "ETH"]
//   credit_percent = 70
//
//   [underlyings.BTC]
//   spot = 60000                   # USD
//   vol_percent = 55
//   rate_percent = 0               # optional
//   scan_range_percent = 20        # optional: else [scan] max_move_percent
//
//   [[account]]
//   name = "mm-1"
//   cash = 250000                  # USD collateral
//   [[account.option]]
//   underlying = "BTC"
//   type = "call"                  # or "put"
//   strike = 65000
//   expiry = 2027-03-26            # a date (needs as_of), or expiry_years = 0.3
//   quantity = -10                 # signed contracts of one unit
//   mark = 2450.5                  # optional: USD per contract for equity
//   vol_percent = 60               # optional: this option's implied vol
//   [[account.perp]]
//   underlying = "BTC"
//   size = 2.5                     # signed units
//   entry_price = 58000
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "margin/derivatives_book.hpp"

namespace keeper::config {

Result<margin::derivatives::DerivativesBook> parse_derivatives_book(std::string_view toml_text,
                                                                    std::string_view source_name);
Result<margin::derivatives::DerivativesBook> load_derivatives_book(const std::string& path);

}  // namespace keeper::config

#pragma once
// `stress --derivatives FILE --html OUT`: the derivatives report as HTML,
// pure (inline CSS and SVG, no script, no external resource):
//   #derivatives-requirements  requirement by method (isolated, cross,
//                              portfolio) per account, grouped bars, the
//                              largest portfolio requirements first
//   #derivatives-pnl           the book's P&L vs each underlying's move (the
//                              grid's unshifted vol), one line per underlying
//   #derivatives-accounts      every account's figures as a table
#include <string>

#include "keeper/daemon/derivatives_report.hpp"

namespace keeper::app {

// The <section>s above, for a page of their own or the lending report's page.
std::string derivatives_html_sections(const DerivativesContext& context);
// A whole page holding only the derivatives report.
std::string derivatives_html_page(const DerivativesContext& context);

}  // namespace keeper::app

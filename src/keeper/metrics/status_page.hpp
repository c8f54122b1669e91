#pragma once
// The status page (GET /status): one self-contained HTML document
// whose inline script fetches /status.json and renders it, every 10 s. No
// build step, no external asset (no CDN, no web font): it loads offline,
// from the binary alone. Cells carry class names (td.account, td.health,
// td.distance, ...) that the end-to-end test reads back from Chromium's DOM.
#include <string_view>

namespace keeper::metrics {

std::string_view status_page_html();

}  // namespace keeper::metrics

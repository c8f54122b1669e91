#pragma once
// Small inline-SVG charts for `stress --html`: a line chart with point
// markers, a bar chart and a histogram with marker lines. Pure string
// building, no script, no external resource: the page renders offline.
// Colours are fixed (the headless-Chromium test looks for them).
#include <string>
#include <utility>
#include <vector>

namespace keeper::app::svg {

// Series colours, per chart family: the first of each is what the
// screenshot test checks.
inline constexpr const char* kDebtPalette[] = {"#1f77b4", "#17becf", "#3a4cc0", "#7f7fff", "#0b6e99", "#5fa2dd"};
inline constexpr const char* kBadDebtPalette[] = {"#d62728", "#e377c2", "#8c564b", "#ff9896", "#a50f15", "#c49c94"};
inline constexpr const char* kCascadeColor = "#2ca02c";
inline constexpr const char* kHistogramColor = "#9467bd";
inline constexpr const char* kVar95Color = "#ff7f0e";
inline constexpr const char* kVar99Color = "#000000";
// Derivatives books: requirement by margin method, and the book's P&L per underlying.
inline constexpr const char* kIsolatedColor = "#bcbd22";
inline constexpr const char* kCrossColor = "#e6550d";
inline constexpr const char* kPortfolioColor = "#31a354";
inline constexpr const char* kPnlPalette[] = {"#6b6ecf", "#843c39", "#637939", "#7b4173", "#3182bd", "#636363"};

struct Series {
    std::string name;
    std::string color;
    std::vector<std::pair<double, double>> points;  // (x, y), drawn in order
};

struct Marker {
    std::string name;
    std::string color;
    double x = 0.0;
};

std::string escape(const std::string& text);  // for HTML text and attribute values
std::string compact(double value);            // 1234567 -> "1.23M", 0.5 -> "0.5"

std::string line_chart(const std::vector<Series>& series, const std::string& x_label, const std::string& y_label);
// One bar per label, a value above each bar.
std::string bar_chart(const std::vector<std::string>& labels, const std::vector<double>& values,
                      const std::string& color, const std::string& y_label);
// Groups of bars side by side (one group per label, one bar per series in
// each), a legend of the series' names.
struct BarSeries {
    std::string name;
    std::string color;
    std::vector<double> values;  // one per label
};
std::string grouped_bar_chart(const std::vector<std::string>& labels, const std::vector<BarSeries>& series,
                              const std::string& y_label);
// Values binned into `bins` equal bins between their min and max, with
// vertical marker lines (VaR).
std::string histogram(const std::vector<double>& values, std::size_t bins, const std::string& color,
                      const std::vector<Marker>& markers, const std::string& x_label);

}  // namespace keeper::app::svg

#include "keeper/daemon/stress_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace keeper::app::svg {
namespace {

constexpr double kWidth = 880, kHeight = 320;
constexpr double kLeft = 80, kRight = 20, kTop = 20, kBottom = 60;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

std::string num(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

// A step of 1, 2 or 5 x 10^k giving about `ticks` ticks over `range`.
double nice_step(double range, int ticks) {
    if (!(range > 0.0)) return 1.0;
    const double raw = range / ticks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / power;
    return (fraction <= 1.0 ? 1.0 : fraction <= 2.0 ? 2.0 : fraction <= 5.0 ? 5.0 : 10.0) * power;
}

struct Axis {
    double lo = 0.0, hi = 1.0, step = 1.0;
    double to_x(double v) const { return kLeft + (v - lo) / (hi - lo) * kPlotW; }
    double to_y(double v) const { return kTop + kPlotH - (v - lo) / (hi - lo) * kPlotH; }
};

Axis axis_over(double lo, double hi, bool from_zero) {
    if (from_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
    if (!(hi > lo)) hi = lo + 1.0;
    Axis a;
    a.step = nice_step(hi - lo, 5);
    a.lo = std::floor(lo / a.step) * a.step;
    a.hi = std::ceil(hi / a.step) * a.step;
    if (!(a.hi > a.lo)) a.hi = a.lo + a.step;
    return a;
}

std::string open_svg(const std::string& label) {
    return "<svg class=\"chart\" role=\"img\" aria-label=\"" + escape(label) + "\" width=\"" + num(kWidth) +
           "\" height=\"" + num(kHeight) + "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) + "\">\n" +
           "<rect x=\"0\" y=\"0\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) + "\" fill=\"#ffffff\"/>\n";
}

std::string y_grid(const Axis& y, const std::string& y_label) {
    std::string out;
    for (double v = y.lo; v <= y.hi + y.step / 2; v += y.step) {
        const double py = y.to_y(v);
        out += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + kPlotW) + "\" y1=\"" + num(py) + "\" y2=\"" +
               num(py) + "\" stroke=\"#dddddd\"/>\n";
        out += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(py + 4) + "\" text-anchor=\"end\">" + compact(v) +
               "</text>\n";
    }
    out += "<text x=\"14\" y=\"" + num(kTop + kPlotH / 2) + "\" transform=\"rotate(-90 14 " + num(kTop + kPlotH / 2) +
           ")\" text-anchor=\"middle\">" + escape(y_label) + "</text>\n";
    return out;
}

std::string x_ticks(const Axis& x, const std::string& x_label) {
    std::string out;
    for (double v = x.lo; v <= x.hi + x.step / 2; v += x.step) {
        const double px = x.to_x(v);
        out += "<line x1=\"" + num(px) + "\" x2=\"" + num(px) + "\" y1=\"" + num(kTop + kPlotH) + "\" y2=\"" +
               num(kTop + kPlotH + 5) + "\" stroke=\"#555555\"/>\n";
        out += "<text x=\"" + num(px) + "\" y=\"" + num(kTop + kPlotH + 18) + "\" text-anchor=\"middle\">" +
               compact(v) + "</text>\n";
    }
    out += "<text x=\"" + num(kLeft + kPlotW / 2) + "\" y=\"" + num(kHeight - 12) + "\" text-anchor=\"middle\">" +
           escape(x_label) + "</text>\n";
    return out;
}

std::string frame() {
    return "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + kPlotW) + "\" y1=\"" + num(kTop + kPlotH) +
           "\" y2=\"" + num(kTop + kPlotH) + "\" stroke=\"#555555\"/>\n<line x1=\"" + num(kLeft) + "\" x2=\"" +
           num(kLeft) + "\" y1=\"" + num(kTop) + "\" y2=\"" + num(kTop + kPlotH) + "\" stroke=\"#555555\"/>\n";
}

}  // namespace

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string compact(double value) {
    const double a = std::fabs(value);
    char text[32];
    if (a >= 1e9)
        std::snprintf(text, sizeof text, "%.3gB", value / 1e9);
    else if (a >= 1e6)
        std::snprintf(text, sizeof text, "%.3gM", value / 1e6);
    else if (a >= 1e3)
        std::snprintf(text, sizeof text, "%.3gk", value / 1e3);
    else
        std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

std::string line_chart(const std::vector<Series>& series, const std::string& x_label, const std::string& y_label) {
    double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
    bool first = true;
    for (const auto& s : series)
        for (const auto& [x, y] : s.points) {
            if (first) x_lo = x_hi = x, y_lo = y_hi = y, first = false;
            x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x), y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
        }
    const Axis x = axis_over(x_lo, x_hi, false), y = axis_over(y_lo, y_hi, true);
    std::string out = open_svg(y_label + " vs " + x_label) + y_grid(y, y_label) + x_ticks(x, x_label) + frame();
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        std::string points;
        for (const auto& [px, py] : s.points) points += num(x.to_x(px)) + "," + num(y.to_y(py)) + " ";
        out += "<g class=\"series\" data-name=\"" + escape(s.name) + "\">\n<polyline fill=\"none\" stroke=\"" +
               s.color + "\" stroke-width=\"2.5\" points=\"" + points + "\"/>\n";
        for (const auto& [px, py] : s.points)
            out += "<circle cx=\"" + num(x.to_x(px)) + "\" cy=\"" + num(y.to_y(py)) + "\" r=\"4.5\" fill=\"" + s.color +
                   "\"/>\n";
        out += "</g>\n";
        // Legend, top left inside the plot.
        const double ly = kTop + 14 + 16 * static_cast<double>(i);
        out += "<rect x=\"" + num(kLeft + 10) + "\" y=\"" + num(ly - 9) + "\" width=\"12\" height=\"10\" fill=\"" +
               s.color + "\"/><text x=\"" + num(kLeft + 27) + "\" y=\"" + num(ly) + "\">" + escape(s.name) +
               "</text>\n";
    }
    return out + "</svg>\n";
}

std::string bar_chart(const std::vector<std::string>& labels, const std::vector<double>& values,
                      const std::string& color, const std::string& y_label) {
    double hi = 0.0;
    for (const double v : values) hi = std::max(hi, v);
    const Axis y = axis_over(0.0, hi, true);
    std::string out = open_svg(y_label + " per round") + y_grid(y, y_label) + frame();
    const double slot = kPlotW / static_cast<double>(std::max<std::size_t>(values.size(), 1));
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double top = y.to_y(std::max(values[i], 0.0));
        const double x = kLeft + slot * static_cast<double>(i) + slot * 0.15;
        out += "<rect class=\"bar\" x=\"" + num(x) + "\" y=\"" + num(top) + "\" width=\"" + num(slot * 0.7) +
               "\" height=\"" + num(kTop + kPlotH - top) + "\" fill=\"" + color + "\"/>\n";
        out += "<text x=\"" + num(x + slot * 0.35) + "\" y=\"" + num(top - 5) + "\" text-anchor=\"middle\">" +
               compact(values[i]) + "</text>\n";
        const std::string label = i < labels.size() ? labels[i] : "";
        out += "<text x=\"" + num(x + slot * 0.35) + "\" y=\"" + num(kTop + kPlotH + 18) +
               "\" text-anchor=\"middle\">" + escape(label) + "</text>\n";
    }
    return out + "</svg>\n";
}

std::string grouped_bar_chart(const std::vector<std::string>& labels, const std::vector<BarSeries>& series,
                              const std::string& y_label) {
    double lo = 0.0, hi = 0.0;
    for (const auto& s : series)
        for (const double v : s.values) lo = std::min(lo, v), hi = std::max(hi, v);
    const Axis y = axis_over(lo, hi, true);
    std::string out = open_svg(y_label + " per group") + y_grid(y, y_label) + frame();
    const double slot = kPlotW / static_cast<double>(std::max<std::size_t>(labels.size(), 1));
    const double bar = slot * 0.8 / static_cast<double>(std::max<std::size_t>(series.size(), 1));
    const double zero = y.to_y(0.0);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const double x0 = kLeft + slot * static_cast<double>(i) + slot * 0.1;
        for (std::size_t k = 0; k < series.size(); ++k) {
            const double v = i < series[k].values.size() ? series[k].values[i] : 0.0;
            const double top = std::min(y.to_y(v), zero);
            out += "<rect class=\"bar\" x=\"" + num(x0 + bar * static_cast<double>(k)) + "\" y=\"" + num(top) +
                   "\" width=\"" + num(std::max(bar - 1.0, 1.0)) + "\" height=\"" + num(std::fabs(y.to_y(v) - zero)) +
                   "\" fill=\"" + series[k].color + "\"><title>" + escape(series[k].name + " " + compact(v)) +
                   "</title></rect>\n";
        }
        out += "<text x=\"" + num(x0 + slot * 0.4) + "\" y=\"" + num(kTop + kPlotH + 18) +
               "\" text-anchor=\"middle\">" + escape(labels[i]) + "</text>\n";
    }
    for (std::size_t k = 0; k < series.size(); ++k) {
        const double lx = kLeft + kPlotW - 150;
        const double ly = kTop + 14 + 16 * static_cast<double>(k);
        out += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 9) + "\" width=\"12\" height=\"10\" fill=\"" +
               series[k].color + "\"/><text x=\"" + num(lx + 17) + "\" y=\"" + num(ly) + "\">" +
               escape(series[k].name) + "</text>\n";
    }
    return out + "</svg>\n";
}

std::string histogram(const std::vector<double>& values, std::size_t bins, const std::string& color,
                      const std::vector<Marker>& markers, const std::string& x_label) {
    bins = std::max<std::size_t>(bins, 1);
    double lo = 0.0, hi = 0.0;
    if (!values.empty()) {
        lo = *std::min_element(values.begin(), values.end());
        hi = *std::max_element(values.begin(), values.end());
    }
    for (const auto& m : markers) lo = std::min(lo, m.x), hi = std::max(hi, m.x);
    if (!(hi > lo)) hi = lo + 1.0;
    std::vector<double> counts(bins, 0.0);
    const double width = (hi - lo) / static_cast<double>(bins);
    for (const double v : values) {
        const auto b = static_cast<std::size_t>(std::clamp((v - lo) / width, 0.0, static_cast<double>(bins - 1)));
        counts[b] += 1.0;
    }
    double top = 0.0;
    for (const double c : counts) top = std::max(top, c);
    const Axis x{lo, hi, nice_step(hi - lo, 6)};
    const Axis y = axis_over(0.0, top, true);
    std::string out = open_svg("draws per " + x_label + " bin") + y_grid(y, "draws") + frame();
    // Ticks at round values inside [lo, hi].
    for (double v = std::ceil(lo / x.step) * x.step; v <= hi + x.step * 1e-9; v += x.step) {
        const double px = x.to_x(v);
        out += "<text x=\"" + num(px) + "\" y=\"" + num(kTop + kPlotH + 18) + "\" text-anchor=\"middle\">" +
               compact(v) + "</text>\n";
    }
    out += "<text x=\"" + num(kLeft + kPlotW / 2) + "\" y=\"" + num(kHeight - 12) + "\" text-anchor=\"middle\">" +
           escape(x_label) + "</text>\n";
    const double bar_w = kPlotW / static_cast<double>(bins);
    for (std::size_t b = 0; b < bins; ++b) {
        if (counts[b] == 0.0) continue;
        const double py = y.to_y(counts[b]);
        out += "<rect class=\"bar\" x=\"" + num(kLeft + bar_w * static_cast<double>(b) + 0.5) + "\" y=\"" + num(py) +
               "\" width=\"" + num(std::max(bar_w - 1.0, 1.0)) + "\" height=\"" + num(kTop + kPlotH - py) +
               "\" fill=\"" + color + "\"/>\n";
    }
    for (std::size_t i = 0; i < markers.size(); ++i) {
        const auto& m = markers[i];
        const double px = x.to_x(m.x);
        out += "<line class=\"marker\" x1=\"" + num(px) + "\" x2=\"" + num(px) + "\" y1=\"" + num(kTop) + "\" y2=\"" +
               num(kTop + kPlotH) + "\" stroke=\"" + m.color + "\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n";
        // Labels of markers near the right edge go on the line's left.
        const bool left = px > kLeft + kPlotW * 0.7;
        out += "<text x=\"" + num(left ? px - 4 : px + 4) + "\" y=\"" + num(kTop + 12 + 14 * static_cast<double>(i)) +
               "\" text-anchor=\"" + (left ? "end" : "start") + "\" fill=\"" + m.color + "\">" + escape(m.name) +
               "</text>\n";
    }
    return out + "</svg>\n";
}

}  // namespace keeper::app::svg

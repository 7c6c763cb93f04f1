#include "reports/Svg.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "reports/HtmlText.hpp"

namespace twin::reports {

namespace {

constexpr double CHAR_PX = 6.6;  // mean width of a 12 px sans-serif character, for legends
constexpr double LABEL_CHAR_PX = 7.6;  // generous width for label columns (capitals, wide fonts)
constexpr const char* GRID = "#e3e3e3";
constexpr const char* AXIS = "#888888";
constexpr const char* INK = "#222222";

std::string c(double x) { return format_coord(x); }

std::string text(double x, double y, const std::string& s, const char* anchor = "start", const std::string& extra = "") {
  return "<text x=\"" + c(x) + "\" y=\"" + c(y) + "\" text-anchor=\"" + anchor + "\"" +
         (extra.empty() ? "" : " " + extra) + ">" + escape_html(s) + "</text>\n";
}

/// The opening of a chart of w x h: the svg element, its accessible title and
/// the title in bold at the top left.
std::string svg_open(double w, double h, const std::string& title) {
  const std::string t = escape_html(title);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + c(w) + " " + c(h) +
         "\" width=\"" + c(w) + "\" height=\"" + c(h) + "\" role=\"img\" aria-label=\"" + t +
         "\" font-family=\"system-ui, 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\" fill=\"" + INK +
         "\">\n<title>" + t + "</title>\n" + text(0, 15, title, "start", "font-weight=\"bold\"");
}

std::string line(double x1, double y1, double x2, double y2, const char* stroke, const std::string& extra = "") {
  return "<line x1=\"" + c(x1) + "\" y1=\"" + c(y1) + "\" x2=\"" + c(x2) + "\" y2=\"" + c(y2) + "\" stroke=\"" +
         stroke + "\"" + (extra.empty() ? "" : " " + extra) + "/>\n";
}

std::string rect(double x, double y, double w, double h, const std::string& fill, const std::string& extra = "") {
  return "<rect x=\"" + c(x) + "\" y=\"" + c(y) + "\" width=\"" + c(std::max(0.0, w)) + "\" height=\"" +
         c(std::max(0.0, h)) + "\" fill=\"" + escape_html(fill) + "\"" + (extra.empty() ? "" : " " + extra) + "/>\n";
}

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++n;
  return n;
}

/// At most `max_chars` characters of `s`, cut on a character boundary, with
/// an ellipsis when cut.
std::string fit(const std::string& s, std::size_t max_chars) {
  if (utf8_length(s) <= max_chars || max_chars < 2) return s;
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars - 1) break;
      ++chars;
    }
  }
  return s.substr(0, i) + "\u2026";
}

/// A label that may have been cut, with the full text as its tooltip.
std::string label_text(double x, double y, const std::string& s, std::size_t max_chars, const char* anchor) {
  const std::string shown = fit(s, max_chars);
  if (shown == s) return text(x, y, s, anchor);
  return "<text x=\"" + c(x) + "\" y=\"" + c(y) + "\" text-anchor=\"" + anchor + "\"><title>" + escape_html(s) +
         "</title>" + escape_html(shown) + "</text>\n";
}

/// Legend swatches: their markup and the baseline of their last row.
struct Legend {
  std::string svg;
  double bottom_y = 0;
};

/// Legend swatches in a row starting at (x, y), wrapping before max_x.
Legend legend(double x, double y, const std::vector<std::string>& names, const std::vector<std::string>& colors,
              double max_x) {
  std::string s;
  double cx = x, cy = y;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double w = 18 + CHAR_PX * static_cast<double>(utf8_length(names[i])) + 16;
    if (cx + w > max_x && cx > x) {
      cx = x;
      cy += 18;
    }
    s += rect(cx, cy - 9, 12, 10, i < colors.size() ? colors[i] : COLOR_OTHER);
    s += text(cx + 17, cy, names[i]);
    cx += w;
  }
  return {s, cy};
}

std::string value_text(double v, ValueFormat f, const std::string& unit) {
  if (!std::isfinite(v)) return "n/a";
  if (f == ValueFormat::PERCENT) return format_percent(v);
  return unit.empty() ? format_number(v) : format_number(v) + " " + unit;
}

}  // namespace

const char* mode_color(const std::string& mode) {
  if (mode == "closed_loop") return COLOR_CLOSED_LOOP;
  if (mode == "baseline") return COLOR_BASELINE;
  return COLOR_OTHER;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const double first = std::floor(lo / step + 1e-9);
  const double last = std::ceil(hi / step - 1e-9);
  std::vector<double> ticks;
  for (double k = first; k <= last + 0.5; k += 1) {
    double t = k * step;
    if (std::fabs(t) < step * 1e-9) t = 0;
    ticks.push_back(t);
  }
  if (ticks.size() < 2) ticks.push_back(ticks.empty() ? 1 : ticks.back() + step);
  return ticks;
}

std::string step_chart_svg(const StepChart& ch) {
  const double w = ch.width_px;
  const double right = 16, bottom = 42;
  std::vector<std::string> names, colors;
  double xmax = ch.x_end, ymin = INFINITY, ymax = -INFINITY;
  bool any = false;
  for (const auto& se : ch.series) {
    names.push_back(se.name + (se.x.empty() ? " (no result)" : ""));
    colors.push_back(se.color);
    for (std::size_t i = 0; i < se.x.size() && i < se.y.size(); ++i) {
      if (!std::isfinite(se.x[i]) || !std::isfinite(se.y[i])) continue;
      any = true;
      xmax = std::max(xmax, se.x[i]);
      ymin = std::min(ymin, se.y[i]);
      ymax = std::max(ymax, se.y[i]);
    }
  }
  // The legend may wrap: the plot starts below it, and the chart grows by as much.
  const Legend leg = legend(0, 34, names, colors, w);
  const double top = std::max(48.0, leg.bottom_y + 14);
  const double h = ch.height_px + (top - 48);
  const std::vector<double> xt = nice_ticks(0, xmax > 0 ? xmax : 1, 5);
  // From zero on request; a flat zero line then gets 0 to 1, not a range around 0.
  const double ylo = ch.y_from_zero ? std::min(0.0, ymin) : ymin;
  const double yhi = ch.y_from_zero && ymax <= ylo ? ylo + 1 : ymax;
  const std::vector<double> yt = any ? nice_ticks(ylo, yhi, 4) : std::vector<double>{0, 1};
  // Room for the longest y tick label and the rotated axis label.
  std::size_t tick_chars = 4;
  for (double t : yt) tick_chars = std::max(tick_chars, format_number(t, 4).size());
  const double left = std::max(70.0, 28 + CHAR_PX * static_cast<double>(tick_chars));
  std::string s = svg_open(w, h, ch.title) + leg.svg;
  const double px0 = left, px1 = w - right, py0 = h - bottom, py1 = top;
  if (!any) {
    s += rect(px0, py1, px1 - px0, py0 - py1, "none", "stroke=\"" + std::string(GRID) + "\"");
    s += text((px0 + px1) / 2, (py0 + py1) / 2, "no data", "middle");
    return s + "</svg>\n";
  }
  const double x_lo = xt.front(), x_hi = xt.back(), y_lo = yt.front(), y_hi = yt.back();
  auto X = [&](double v) { return px0 + (v - x_lo) / (x_hi - x_lo) * (px1 - px0); };
  auto Y = [&](double v) { return py0 - (v - y_lo) / (y_hi - y_lo) * (py0 - py1); };
  for (double t : yt) {
    s += line(px0, Y(t), px1, Y(t), GRID);
    s += text(px0 - 5, Y(t) + 4, format_number(t, 4), "end");
  }
  for (double t : xt) {
    s += line(X(t), py0, X(t), py0 + 4, AXIS);
    s += text(X(t), py0 + 17, format_number(t, 4), "middle");
  }
  s += line(px0, py0, px1, py0, AXIS);
  s += line(px0, py0, px0, py1, AXIS);
  s += text((px0 + px1) / 2, h - 4, ch.x_label, "middle");
  s += text(0, 0, ch.y_label, "middle",
            "transform=\"translate(12," + c((py0 + py1) / 2) + ") rotate(-90)\"");
  for (const auto& se : ch.series) {
    std::string d, dots;
    double last_y = 0;
    for (std::size_t i = 0; i < se.x.size() && i < se.y.size(); ++i) {
      if (!std::isfinite(se.x[i]) || !std::isfinite(se.y[i])) continue;
      const double px = X(se.x[i]), py = Y(se.y[i]);
      d += d.empty() ? "M" + c(px) + " " + c(py) : " H" + c(px) + " V" + c(py);
      if (ch.dots) dots += "<circle cx=\"" + c(px) + "\" cy=\"" + c(py) + "\" r=\"2.5\"/>";
      last_y = py;
    }
    if (d.empty()) continue;
    if (ch.x_end > 0) d += " H" + c(X(ch.x_end));
    (void)last_y;
    s += "<g fill=\"" + escape_html(se.color) + "\" stroke=\"" + escape_html(se.color) + "\"><path d=\"" + d +
         "\" fill=\"none\" stroke-width=\"2\"/>" + dots + "</g>\n";
  }
  return s + "</svg>\n";
}

std::string trend_chart_svg(const TrendChart& ch) {
  const double w = ch.width_px;
  const double right = 16, bottom = 42;
  std::vector<std::string> names, colors;
  double ymin = ch.y_from_zero ? 0 : INFINITY, ymax = -INFINITY;
  bool any = false;
  auto consider = [&](double v) {
    if (!std::isfinite(v)) return;
    ymin = std::min(ymin, v);
    ymax = std::max(ymax, v);
  };
  for (const auto& se : ch.series) {
    names.push_back(se.name);
    colors.push_back(se.color);
    for (double v : se.y) {
      any = any || std::isfinite(v);
      consider(v);
    }
    for (double v : se.low) consider(v);
    for (double v : se.high) consider(v);
  }
  for (const auto& r : ch.references) consider(r.y);
  const Legend leg = legend(0, 34, names, colors, w);
  const double top = std::max(48.0, leg.bottom_y + 14);
  const double h = ch.height_px + (top - 48);
  const std::vector<double> yt = any ? nice_ticks(ymin, ymax > ymin ? ymax : ymin + 1, 5) : std::vector<double>{0, 1};
  std::size_t tick_chars = 4;
  for (double t : yt) tick_chars = std::max(tick_chars, format_number(t, 4).size());
  const double left = std::max(70.0, 28 + CHAR_PX * static_cast<double>(tick_chars));
  std::string s = svg_open(w, h, ch.title) + leg.svg;
  const double px0 = left, px1 = w - right, py0 = h - bottom, py1 = top;
  const std::size_t n = ch.categories.size();
  if (!any || n == 0) {
    s += rect(px0, py1, px1 - px0, py0 - py1, "none", "stroke=\"" + std::string(GRID) + "\"");
    s += text((px0 + px1) / 2, (py0 + py1) / 2, "no data", "middle");
    return s + "</svg>\n";
  }
  const double y_lo = yt.front(), y_hi = yt.back();
  const double step = (px1 - px0) / static_cast<double>(n);
  auto X = [&](std::size_t i) { return px0 + step * (static_cast<double>(i) + 0.5); };
  auto Y = [&](double v) { return py0 - (v - y_lo) / (y_hi - y_lo) * (py0 - py1); };
  for (double t : yt) {
    s += line(px0, Y(t), px1, Y(t), GRID);
    s += text(px0 - 5, Y(t) + 4, format_number(t, 4), "end");
  }
  // Category labels, thinned so they do not overlap.
  const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(44.0 / step)));
  for (std::size_t i = 0; i < n; ++i) {
    s += line(X(i), py0, X(i), py0 + 4, AXIS);
    if (i % every == 0) s += text(X(i), py0 + 17, ch.categories[i], "middle");
  }
  s += line(px0, py0, px1, py0, AXIS);
  s += line(px0, py0, px0, py1, AXIS);
  s += text((px0 + px1) / 2, h - 4, ch.x_label, "middle");
  s += text(0, 0, ch.y_label, "middle", "transform=\"translate(12," + c((py0 + py1) / 2) + ") rotate(-90)\"");
  // Reference labels sit just above their line; where two lines are closer
  // than a label's height, the lower label goes below its line (or, at the
  // plot's foot, the upper one further up) so that none overlaps another.
  std::vector<std::size_t> by_y(ch.references.size());
  std::iota(by_y.begin(), by_y.end(), std::size_t{0});
  std::stable_sort(by_y.begin(), by_y.end(), [&](std::size_t a, std::size_t b) {
    return Y(ch.references[a].y) < Y(ch.references[b].y);
  });
  std::vector<double> label_y(ch.references.size());
  constexpr double LABEL_PX = 13;
  double prev = -INFINITY;
  for (std::size_t k : by_y) {
    const double at = Y(ch.references[k].y);
    double y = at - 5;
    if (y < prev + LABEL_PX) y = std::max(prev + LABEL_PX, at + LABEL_PX + 1);
    label_y[k] = y;
    prev = y;
  }
  for (std::size_t i = by_y.size(); i-- > 0;) {  // from the foot up: keep every label inside the plot
    const double limit = i + 1 < by_y.size() ? label_y[by_y[i + 1]] - LABEL_PX : py0 - 2;
    label_y[by_y[i]] = std::min(label_y[by_y[i]], limit);
  }
  for (std::size_t k = 0; k < ch.references.size(); ++k) {
    const auto& r = ch.references[k];
    s += "<g class=\"reference\" data-y=\"" + format_number(r.y, 6) + "\">" +
         line(px0, Y(r.y), px1, Y(r.y), r.color.c_str(), "stroke-dasharray=\"6 4\" stroke-width=\"1.5\"");
    s += text(px1 - 4, label_y[k], r.label, "end", "fill=\"" + escape_html(r.color) + "\"") + "</g>\n";
  }
  for (const auto& se : ch.series) {
    const std::string col = escape_html(se.color);
    // The band: one quadrilateral between neighbouring points that both have one.
    if (se.low.size() == n && se.high.size() == n) {
      std::string band;
      for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(se.low[i]) || !std::isfinite(se.high[i])) continue;
        const double bw = std::min(10.0, step / 4);
        band += rect(X(i) - bw, Y(se.high[i]), 2 * bw, Y(se.low[i]) - Y(se.high[i]), se.color,
                     "fill-opacity=\"0.18\"");
        if (i + 1 < n && std::isfinite(se.low[i + 1]) && std::isfinite(se.high[i + 1]))
          band += "<polygon points=\"" + c(X(i)) + "," + c(Y(se.high[i])) + " " + c(X(i + 1)) + "," +
                  c(Y(se.high[i + 1])) + " " + c(X(i + 1)) + "," + c(Y(se.low[i + 1])) + " " + c(X(i)) + "," +
                  c(Y(se.low[i])) + "\" fill=\"" + col + "\" fill-opacity=\"0.12\"/>";
      }
      if (!band.empty()) s += "<g class=\"band\">" + band + "</g>\n";
    }
    std::string d, dots;
    for (std::size_t i = 0; i < n && i < se.y.size(); ++i) {
      if (!std::isfinite(se.y[i])) continue;
      const double px = X(i), py = Y(se.y[i]);
      d += (d.empty() ? "M" : " L") + c(px) + " " + c(py);
      std::string tip = ch.categories[i] + ": " + se.name + " " + se.format + format_number(se.y[i], 3);
      if (se.low.size() == n && se.high.size() == n && std::isfinite(se.low[i]) && std::isfinite(se.high[i]))
        tip += " (95 % " + se.format + format_number(se.low[i], 3) + " to " + se.format + format_number(se.high[i], 3) + ")";
      dots += "<circle class=\"point\" data-x=\"" + escape_html(ch.categories[i]) + "\" data-y=\"" +
              format_number(se.y[i], 6) + "\" cx=\"" + c(px) + "\" cy=\"" + c(py) + "\" r=\"3.5\"><title>" +
              escape_html(tip) + "</title></circle>";
    }
    if (d.empty()) continue;
    s += "<g class=\"series\" data-name=\"" + escape_html(se.name) + "\" fill=\"" + col + "\" stroke=\"" + col +
         "\"><path d=\"" + d + "\" fill=\"none\" stroke-width=\"2\"/>" + dots + "</g>\n";
  }
  return s + "</svg>\n";
}

std::string gantt_svg(const GanttChart& ch) {
  const double w = ch.width_px;
  std::size_t longest = 4;
  for (const auto& l : ch.row_labels) longest = std::max(longest, utf8_length(l));
  const double label_w = std::min(30.0, static_cast<double>(longest)) * LABEL_CHAR_PX + 12;
  const double row_h = 18, gap = 4;
  const Legend leg = legend(0, 34, ch.legend_names, ch.legend_colors, w);
  const double top = leg.bottom_y + 12;
  const double plot_h = static_cast<double>(ch.row_labels.size()) * (row_h + gap);
  const double h = top + plot_h + 40;
  std::string s = svg_open(w, h, ch.title) + leg.svg;
  double xmax = 0;
  for (const auto& b : ch.bars)
    if (std::isfinite(b.end)) xmax = std::max(xmax, b.end);
  const double px0 = label_w, px1 = w - 16, py0 = top + plot_h;
  const std::vector<double> xt = nice_ticks(0, xmax > 0 ? xmax : 1, 6);
  const double x_hi = xt.back();
  auto X = [&](double v) { return px0 + v / x_hi * (px1 - px0); };
  for (double t : xt) {
    s += line(X(t), top - 4, X(t), py0, GRID);
    s += text(X(t), py0 + 16, format_number(t, 4), "middle");
  }
  s += line(px0, py0, px1, py0, AXIS);
  s += text((px0 + px1) / 2, h - 6, ch.x_label, "middle");
  for (std::size_t r = 0; r < ch.row_labels.size(); ++r)
    s += text(px0 - 6, top + static_cast<double>(r) * (row_h + gap) + row_h - 5, fit(ch.row_labels[r], 30), "end");
  for (const auto& b : ch.bars) {
    if (b.row >= ch.row_labels.size() || !std::isfinite(b.start) || !std::isfinite(b.end)) continue;
    const double y = top + static_cast<double>(b.row) * (row_h + gap);
    // At least a hairline, so short stages stay visible.
    const double x0 = X(std::max(0.0, b.start)), width = std::max(0.8, X(b.end) - x0);
    s += "<rect x=\"" + c(x0) + "\" y=\"" + c(y) + "\" width=\"" + c(width) + "\" height=\"" + c(row_h) +
         "\" fill=\"" + escape_html(b.color) + "\"><title>" + escape_html(b.tooltip) + "</title></rect>\n";
  }
  return s + "</svg>\n";
}

std::string bar_chart_svg(const BarChart& ch) {
  const double w = ch.width_px;
  std::size_t longest = 4;
  for (const auto& g : ch.groups) longest = std::max(longest, utf8_length(g.label));
  const std::size_t max_chars = 38;
  const double label_w = std::min(static_cast<double>(max_chars), static_cast<double>(longest)) * LABEL_CHAR_PX + 12;
  const double value_w = 92;
  const std::size_t n = std::max<std::size_t>(1, ch.series_names.size());
  const double bar_h = 12, bar_gap = 2, group_gap = 10;
  const double group_h = static_cast<double>(n) * (bar_h + bar_gap) - bar_gap;
  const Legend leg = legend(0, 34, ch.series_names, ch.series_colors, w);
  const double top = leg.bottom_y + 14;
  const double plot_h = static_cast<double>(ch.groups.size()) * (group_h + group_gap);
  const double h = top + plot_h + 22;
  std::string s = svg_open(w, h, ch.title) + leg.svg;
  double vmax = ch.max_value;
  if (vmax <= 0) {
    for (const auto& g : ch.groups)
      for (double v : g.values)
        if (std::isfinite(v)) vmax = std::max(vmax, v);
    if (ch.format == ValueFormat::PERCENT) vmax = std::max(vmax, 1.0);
    if (vmax <= 0) vmax = 1;
  }
  std::vector<double> ticks;
  if (ch.format == ValueFormat::PERCENT && ch.max_value <= 0 && vmax <= 1.0) ticks = {0, 0.25, 0.5, 0.75, 1.0};
  else ticks = nice_ticks(0, vmax, 4);
  const double hi = ticks.back();
  const double px0 = label_w, px1 = w - value_w;
  auto X = [&](double v) { return px0 + std::clamp(v / hi, 0.0, 1.0) * (px1 - px0); };
  for (double t : ticks) {
    s += line(X(t), top - 4, X(t), top + plot_h - group_gap + 4, GRID);
    s += text(X(t), top + plot_h + 12, value_text(t, ch.format, ""), "middle", "fill=\"#666\" font-size=\"11\"");
  }
  double y = top;
  for (const auto& g : ch.groups) {
    s += label_text(px0 - 6, y + group_h / 2 + 4, g.label, max_chars, "end");
    for (std::size_t i = 0; i < n; ++i) {
      const double v = i < g.values.size() ? g.values[i] : NAN;
      const double by = y + static_cast<double>(i) * (bar_h + bar_gap);
      const std::string color = i < ch.series_colors.size() ? ch.series_colors[i] : COLOR_OTHER;
      double end = px0;
      if (std::isfinite(v) && v > 0) {
        end = X(v);
        s += rect(px0, by, std::max(end - px0, 1.0), bar_h, color);
      }
      s += text(end + 4, by + bar_h - 2, value_text(v, ch.format, ch.unit), "start", "font-size=\"11\"");
    }
    y += group_h + group_gap;
  }
  s += line(px0, top - 4, px0, top + plot_h - group_gap + 4, AXIS);
  return s + "</svg>\n";
}

std::string stacked_bars_svg(const StackedBars& ch) {
  const double w = ch.width_px;
  std::size_t longest = 4;
  for (const auto& l : ch.row_labels) longest = std::max(longest, utf8_length(l));
  const double label_w = std::min<double>(24, static_cast<double>(longest)) * LABEL_CHAR_PX + 12;
  const double total_w = 150;
  const double row_h = 28, row_gap = 12, top = 30;
  const double px0 = label_w, px1 = w - total_w;
  const double bars_bottom = top + static_cast<double>(ch.rows.size()) * (row_h + row_gap);
  const Legend leg = legend(0, bars_bottom + 10, ch.segment_names, ch.segment_colors, w);
  const double h = leg.bottom_y + 10;
  std::string s = svg_open(w, h, ch.title);
  double y = top;
  for (std::size_t r = 0; r < ch.rows.size(); ++r) {
    const auto& row = ch.rows[r];
    s += label_text(px0 - 6, y + row_h / 2 + 4, r < ch.row_labels.size() ? ch.row_labels[r] : "", 24, "end");
    double total = 0;
    for (double v : row)
      if (std::isfinite(v) && v > 0) total += v;
    if (total <= 0) {
      s += rect(px0, y, px1 - px0, row_h, "none", "stroke=\"" + std::string(GRID) + "\"");
      s += text((px0 + px1) / 2, y + row_h / 2 + 4, "no cycles", "middle");
    } else {
      double x = px0;
      for (std::size_t k = 0; k < row.size(); ++k) {
        const double v = std::isfinite(row[k]) && row[k] > 0 ? row[k] : 0;
        if (v <= 0) continue;
        const double seg_w = v / total * (px1 - px0);
        const std::string color = k < ch.segment_colors.size() ? ch.segment_colors[k] : COLOR_OTHER;
        const std::string name = k < ch.segment_names.size() ? ch.segment_names[k] : "";
        s += "<rect x=\"" + c(x) + "\" y=\"" + c(y) + "\" width=\"" + c(seg_w) + "\" height=\"" + c(row_h) +
             "\" fill=\"" + escape_html(color) + "\"><title>" + escape_html(name) + ": " +
             escape_html(format_percent(v / total)) + "</title></rect>\n";
        if (seg_w >= 40)
          s += text(x + seg_w / 2, y + row_h / 2 + 4, format_percent(v / total, 2), "middle",
                    "fill=\"#ffffff\" font-size=\"11\"");
        x += seg_w;
      }
    }
    if (r < ch.row_totals.size()) s += text(px1 + 8, y + row_h / 2 + 4, ch.row_totals[r]);
    y += row_h + row_gap;
  }
  return s + leg.svg + "</svg>\n";
}

std::string ratio_chart_svg(const RatioChart& ch) {
  const double w = ch.width_px;
  std::size_t longest = 4;
  for (const auto& l : ch.labels) longest = std::max(longest, utf8_length(l));
  const double label_w = std::min<double>(44, static_cast<double>(longest)) * LABEL_CHAR_PX * 0.9 + 12;
  const double value_w = 70, row_h = 18, row_gap = 10, top = 30;
  double decades = 1;
  for (double r : ch.ratios)
    if (std::isfinite(r) && r > 0) decades = std::max(decades, std::ceil(std::fabs(std::log10(r)) - 1e-9));
  const double plot_h = static_cast<double>(ch.labels.size()) * (row_h + row_gap);
  const double h = top + plot_h + 20;
  std::string s = svg_open(w, h, ch.title);
  const double px0 = label_w + value_w, px1 = w - value_w;
  auto X = [&](double lg) { return px0 + (lg + decades) / (2 * decades) * (px1 - px0); };
  for (double k = -decades; k <= decades + 0.5; k += 1) {
    s += line(X(k), top - 4, X(k), top + plot_h - row_gap + 4, k == 0 ? AXIS : GRID);
    s += text(X(k), top + plot_h + 12, "\u00d7" + format_number(std::pow(10.0, k), 3), "middle",
              "fill=\"#666\" font-size=\"11\"");
  }
  double y = top;
  for (std::size_t i = 0; i < ch.labels.size(); ++i) {
    const bool bold = !ch.highlight.empty() && ch.labels[i] == ch.highlight;
    const std::string weight = bold ? "font-weight=\"bold\"" : "";
    s += "<text x=\"" + c(label_w - 6) + "\" y=\"" + c(y + row_h / 2 + 4) + "\" text-anchor=\"end\"" +
         (bold ? " font-weight=\"bold\"" : "") + ">" + escape_html(fit(ch.labels[i], 44)) + "</text>\n";
    const double r = i < ch.ratios.size() ? ch.ratios[i] : NAN;
    if (std::isfinite(r) && r > 0) {
      const double lg = std::log10(r);
      const double a = X(0), b = X(lg);
      s += rect(std::min(a, b), y, std::max(std::fabs(b - a), 1.0), row_h, r >= 1 ? COLOR_CLOSED_LOOP : COLOR_BASELINE);
      const std::string label = "\u00d7" + format_number(r);
      if (r >= 1) s += text(b + 4, y + row_h / 2 + 4, label, "start", weight);
      else s += text(b - 4, y + row_h / 2 + 4, label, "end", weight);
    } else {
      s += text(X(0) + 4, y + row_h / 2 + 4, "n/a");
    }
    y += row_h + row_gap;
  }
  return s + "</svg>\n";
}

}  // namespace twin::reports

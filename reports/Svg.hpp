#pragma once
// Inline SVG charts drawn by our own code, so an HTML report needs nothing
// from the network: step lines, grouped horizontal bars, 100 % stacked bars
// and ratio bars on a log scale. Every number in the output goes through a
// fixed format, so equal inputs give equal bytes. Names are escaped.
#include <string>
#include <vector>

namespace twin::reports {

/// Colours used across the reports (one per mode; A and B of a comparison).
constexpr const char* COLOR_CLOSED_LOOP = "#1b6ca8";
constexpr const char* COLOR_BASELINE = "#d9730d";
constexpr const char* COLOR_OTHER = "#6b6b6b";
constexpr const char* COLOR_A = "#7b3294";
constexpr const char* COLOR_B = "#1a9850";
/// The colour of a mode key ("closed_loop", "baseline", other).
const char* mode_color(const std::string& mode);

struct LineSeries {
  std::string name;
  std::string color;
  std::vector<double> x;
  std::vector<double> y;  ///< same length as x
};

/// A step chart of "best so far" curves: each point starts a new level that
/// holds until the next point, and the last level is drawn on to `x_end`
/// when that is past the last point.
struct StepChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<LineSeries> series;
  double x_end = 0;  ///< 0: end at the last point
  bool dots = true;          ///< a dot at each point (each improvement)
  bool y_from_zero = false;  ///< the y axis starts at 0 (utilisation)
  double width_px = 460;
  double height_px = 280;
};
std::string step_chart_svg(const StepChart& chart);

enum class ValueFormat { NUMBER, PERCENT };

/// One row of a grouped bar chart: a label and one value per series (NaN
/// for none).
struct BarGroup {
  std::string label;
  std::vector<double> values;
};

/// Horizontal grouped bars with their values written at the bar ends.
struct BarChart {
  std::string title;
  std::vector<std::string> series_names;
  std::vector<std::string> series_colors;
  std::vector<BarGroup> groups;
  ValueFormat format = ValueFormat::NUMBER;
  std::string unit;     ///< appended to NUMBER values ("h", "jobs")
  double max_value = 0; ///< 0: the largest value (PERCENT default: 100 %)
  double width_px = 720;
};
std::string bar_chart_svg(const BarChart& chart);

/// Rows of 100 % stacked bars (one per mode), the segments labelled with
/// their share when wide enough, each row's total written at its end.
struct StackedBars {
  std::string title;
  std::vector<std::string> segment_names;
  std::vector<std::string> segment_colors;
  std::vector<std::string> row_labels;
  std::vector<std::vector<double>> rows;  ///< rows[r][segment], >= 0
  std::vector<std::string> row_totals;    ///< text after each bar
  double width_px = 720;
};
std::string stacked_bars_svg(const StackedBars& chart);

/// Ratios drawn as bars from x1 on a log scale (right: > 1, left: < 1),
/// each labelled "x3.24".
struct RatioChart {
  std::string title;
  std::vector<std::string> labels;
  std::vector<double> ratios;  ///< > 0; others are drawn as "n/a"
  std::string highlight;       ///< label drawn bold
  double width_px = 720;
};
std::string ratio_chart_svg(const RatioChart& chart);

/// A Gantt chart: one row per label, bars from start to end on a shared
/// time axis, each with its colour and a tooltip.
struct GanttBar {
  std::size_t row = 0;
  double start = 0, end = 0;
  std::string color;
  std::string tooltip;
};
struct GanttChart {
  std::string title;
  std::string x_label;
  std::vector<std::string> row_labels;
  std::vector<GanttBar> bars;
  std::vector<std::string> legend_names;
  std::vector<std::string> legend_colors;
  double width_px = 720;
};
std::string gantt_svg(const GanttChart& chart);

/// Values per category (years) joined by lines, each point with an optional
/// 95 % band (shaded between low and high), and horizontal reference lines
/// (the x2 goal). Each point carries a tooltip and data-x / data-y
/// attributes with its category and value.
struct TrendSeries {
  std::string name;
  std::string color;
  std::vector<double> y;             ///< one per category; NaN: no point
  std::vector<double> low, high;     ///< empty, or one per category (NaN: no band there)
  std::string format = "";           ///< tooltip prefix of a value ("\u00d7" for ratios)
};
struct ReferenceLine {
  double y = 0;
  std::string label;
  std::string color = "#b2182b";
};
struct TrendChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> categories;  ///< x labels, in order
  std::vector<TrendSeries> series;
  std::vector<ReferenceLine> references;
  bool y_from_zero = true;
  double width_px = 720;
  double height_px = 300;
};
std::string trend_chart_svg(const TrendChart& chart);

/// Tick positions 1-2-5 x 10^k covering [lo, hi] with about `target` steps.
std::vector<double> nice_ticks(double lo, double hi, int target);

}  // namespace twin::reports

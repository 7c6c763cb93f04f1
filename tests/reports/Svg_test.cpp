#include <doctest/doctest.h>

#include <cmath>

#include "reports/Svg.hpp"

using namespace twin::reports;

TEST_CASE("nice_ticks covers the range in 1-2-5 steps") {
  CHECK(nice_ticks(0, 120, 5) == std::vector<double>{0, 20, 40, 60, 80, 100, 120});
  CHECK(nice_ticks(0, 7, 4) == std::vector<double>{0, 2, 4, 6, 8});
  const auto t = nice_ticks(0.338, 0.368, 4);
  CHECK(t.front() <= 0.338);
  CHECK(t.back() >= 0.368);
  CHECK(t.size() >= 3);
  CHECK(nice_ticks(5, 5, 4).size() >= 2);  // a flat series still gets an axis
}

TEST_CASE("bar chart: names are escaped, a missing value reads n/a, percentages are labelled") {
  BarChart ch;
  ch.title = "Use of <b>";
  ch.series_names = {"closed loop", "baseline"};
  ch.series_colors = {COLOR_CLOSED_LOOP, COLOR_BASELINE};
  ch.format = ValueFormat::PERCENT;
  ch.groups = {{"lab \"A\" & <B>", {0.25, NAN}}};
  const std::string s = bar_chart_svg(ch);
  CHECK(s.find("<b>") == std::string::npos);
  CHECK(s.find("Use of &lt;b&gt;") != std::string::npos);
  CHECK(s.find("lab &quot;A&quot; &amp; &lt;B&gt;") != std::string::npos);
  CHECK(s.find(">25 %<") != std::string::npos);
  CHECK(s.find(">n/a<") != std::string::npos);
  CHECK(s.rfind("<svg", 0) == 0);
}

TEST_CASE("step chart: a step path through the points, on to the horizon, no data says so") {
  StepChart ch;
  ch.title = "best";
  ch.x_end = 10;
  ch.series.push_back({"closed loop", COLOR_CLOSED_LOOP, {1, 2}, {3, 4}});
  const std::string s = step_chart_svg(ch);
  CHECK(s.find("<path d=\"M") != std::string::npos);
  CHECK(s.find(" H") != std::string::npos);
  CHECK(s.find("<circle") != std::string::npos);
  StepChart empty;
  empty.series.push_back({"baseline", COLOR_BASELINE, {}, {}});
  const std::string e = step_chart_svg(empty);
  CHECK(e.find("no data") != std::string::npos);
  CHECK(e.find("baseline (no result)") != std::string::npos);
}

TEST_CASE("stacked bars label wide segments with their share, ratio chart marks x1 and the factors") {
  StackedBars st;
  st.segment_names = {"lab run", "people"};
  st.segment_colors = {"#111111", "#222222"};
  st.row_labels = {"closed loop"};
  st.rows = {{3, 1}};
  st.row_totals = {"4 h per cycle"};
  const std::string s = stacked_bars_svg(st);
  CHECK(s.find(">75 %<") != std::string::npos);
  CHECK(s.find("4 h per cycle") != std::string::npos);
  RatioChart r;
  r.labels = {"smarter", "parallel"};
  r.ratios = {3.24, 0.167};
  const std::string rs = ratio_chart_svg(r);
  CHECK(rs.find("\u00d73.24") != std::string::npos);
  CHECK(rs.find("\u00d70.167") != std::string::npos);
  CHECK(rs.find(">\u00d71<") != std::string::npos);
}

TEST_CASE("gantt: one bar per stage at its place on the time axis, a tooltip each, rows labelled") {
  GanttChart g;
  g.title = "first cycles";
  g.x_label = "hours";
  g.row_labels = {"cycle 1", "cycle 2"};
  g.bars = {{0, 0, 2, "#111111", "agent: 2 h"}, {0, 2, 10, "#222222", "lab run: 8 h"}, {1, 10, 20, "#333333", "people: 10 h"}};
  g.legend_names = {"agent", "lab run", "people"};
  g.legend_colors = {"#111111", "#222222", "#333333"};
  const std::string s = gantt_svg(g);
  std::size_t bars = 0;
  for (std::size_t p = s.find("<title>"); p != std::string::npos; p = s.find("<title>", p + 1)) ++bars;
  CHECK(bars == 1 + 3);  // the chart's own title and one per bar
  CHECK(s.find("<title>lab run: 8 h</title>") != std::string::npos);
  CHECK(s.find(">cycle 2<") != std::string::npos);
  CHECK(s.find(">20<") != std::string::npos);  // the axis reaches the last end
  // A bar of zero length still shows as a hairline.
  g.bars = {{0, 5, 5, "#111111", "instant"}};
  const std::string z = gantt_svg(g);
  CHECK(z.find("width=\"0.8\"") != std::string::npos);
}

TEST_CASE("step chart: a wrapped legend pushes the plot down and the chart grows, y from zero on request") {
  StepChart one;
  one.series.push_back({"a", COLOR_CLOSED_LOOP, {0, 1}, {40, 50}});
  StepChart many = one;
  for (int i = 0; i < 12; ++i) many.series.push_back({"a long resource name " + std::to_string(i), "#123456", {0}, {45}});
  auto height = [](const std::string& s) {
    const auto p = s.find("height=\"") + 8;
    return std::stod(s.substr(p, s.find('"', p) - p));
  };
  CHECK(height(step_chart_svg(many)) > height(step_chart_svg(one)));
  one.y_from_zero = true;
  one.dots = false;
  const std::string z = step_chart_svg(one);
  CHECK(z.find(">0<") != std::string::npos);
  CHECK(z.find("<circle") == std::string::npos);
  // A flat zero line from zero: the axis runs 0 to 1, with no negative tick.
  StepChart flat;
  flat.y_from_zero = true;
  flat.series.push_back({"idle", COLOR_CLOSED_LOOP, {0, 7, 14}, {0, 0, 0}});
  const std::string f = step_chart_svg(flat);
  CHECK(f.find(">1<") != std::string::npos);
  CHECK(f.find(">-") == std::string::npos);
}

TEST_CASE("trend chart: reference labels close together do not overlap, labels of lines far apart sit above them") {
  // The label's baseline y of the reference line at value v (its <g data-y> then the line, then the text).
  auto label_y = [](const std::string& svg, const std::string& v) {
    const auto g = svg.find("<g class=\"reference\" data-y=\"" + v + "\">");
    REQUIRE(g != std::string::npos);
    const auto t = svg.find("<text x=\"", g);
    const auto y = svg.find(" y=\"", t) + 4;
    return std::stod(svg.substr(y, svg.find('"', y) - y));
  };
  auto line_y = [](const std::string& svg, const std::string& v) {
    const auto g = svg.find("<g class=\"reference\" data-y=\"" + v + "\">");
    const auto y = svg.find("y1=\"", g) + 4;
    return std::stod(svg.substr(y, svg.find('"', y) - y));
  };
  TrendChart ch;
  ch.categories = {"2026", "2027", "2028"};
  ch.series.push_back({"closed loop", COLOR_CLOSED_LOOP, {1, 12, 30}, {}, {}, ""});
  ch.references = {{2, "goal x2"}, {1, "first year's baseline", "#888888"}};
  const std::string close = trend_chart_svg(ch);
  // 1 and 2 on an axis to 30 are about 9 px apart: the labels must be a label's height apart.
  CHECK(line_y(close, "1") - line_y(close, "2") < 13);
  CHECK(std::abs(label_y(close, "1") - label_y(close, "2")) >= 13);
  CHECK(label_y(close, "1") <= line_y(close, "1") + 14 + 1e-9);  // next to its own line still
  // Far apart (an axis to 3): each label 5 px above its own line, as before.
  ch.series[0].y = {1, 2, 3};
  const std::string apart = trend_chart_svg(ch);
  CHECK(label_y(apart, "2") == doctest::Approx(line_y(apart, "2") - 5));
  CHECK(label_y(apart, "1") == doctest::Approx(line_y(apart, "1") - 5));
}

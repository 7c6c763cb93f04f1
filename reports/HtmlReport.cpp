#include "reports/HtmlReport.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "reports/HtmlAccess.hpp"
#include "reports/HtmlData.hpp"
#include "reports/HtmlText.hpp"
#include "reports/Svg.hpp"

namespace twin::reports {

using ojson = nlohmann::ordered_json;

namespace {

std::string esc(std::string_view s) { return escape_html(s); }
std::string num(const ojson& j, int sig = 3) { return format_number(json_number(j), sig); }

std::vector<std::string> mode_colors(const std::vector<std::string>& modes) {
  std::vector<std::string> c;
  for (const auto& m : modes) c.push_back(mode_color(m));
  return c;
}

std::vector<std::string> mode_names(const std::vector<std::string>& modes) {
  std::vector<std::string> c;
  for (const auto& m : modes) c.push_back(human_name(m));
  return c;
}

/// "x24.7 to x33.1", "x24.7 or more", or "" when there is no interval.
std::string interval_text(const ojson& low, const ojson& high, const char* prefix = "\u00d7") {
  if (!low.is_number()) return "";
  if (!high.is_number()) return prefix + num(low) + " or more";
  return prefix + num(low) + " to " + prefix + num(high);
}

std::string mean_ci_text(const ojson& x) {
  std::string s = num(json_at(x, {"mean"}));
  const ojson& lo = json_at(x, {"ci95_low"});
  if (lo.is_number()) s += " <span class=\"ci\">(" + interval_text(lo, json_at(x, {"ci95_high"}), "") + ")</span>";
  return s;
}

std::string days_text(double d) {
  if (!std::isfinite(d)) return "n/a";
  if (d < 2) return format_number(d) + " days (" + format_number(d * 24) + " h)";
  return format_number(d) + " days";
}

struct Factor {
  const char* key;
  const char* title;
  const char* meaning;
  const char* number_key;
  const char* unit;
};

const Factor FACTORS[] = {
    {"fewer_experiments_per_discovery", "Fewer experiments per discovery", "smarter choices of what to try",
     "experiments_per_discovery", "experiments per discovery"},
    {"more_experiments_per_cycle", "More experiments per cycle", "more parallel capacity used in each cycle",
     "experiments_per_cycle", "experiments per cycle"},
    {"more_cycles_shorter_cycles", "More cycles per year",
     "shorter cycles: no waiting for people, automated hand-offs, 24/7 labs", "cycles_per_year", "cycles per year"},
};

const Factor* find_factor(const std::string& key) {
  for (const auto& f : FACTORS)
    if (key == f.key) return &f;
  return nullptr;
}

/// "<strong>name</strong> (kind), 99.5 % utilised" for the resource with the
/// highest utilisation in `mode` (first in report order on ties), or "".
std::string busiest_resource(const ojson& r, const std::string& mode) {
  std::string best;
  double best_u = 0;
  auto consider = [&](const ojson& x, const char* kind) {
    const double u = json_number(json_at(x, {"modes", mode, "utilisation"}));
    if (std::isfinite(u) && u > best_u) {
      best_u = u;
      best = "<strong>" + esc(json_string(json_at(x, {"name"}))) + "</strong> (" + kind + "), " +
             esc(format_percent(u)) + " utilised";
    }
  };
  const ojson& h = json_at(r, {"resources", "hpc"});
  if (h.is_array())
    for (const auto& x : h) consider(x, "HPC system");
  const ojson& l = json_at(r, {"resources", "labs"});
  if (l.is_array())
    for (const auto& x : l) {
      consider(x, "lab");
      const ojson& st = json_at(x, {"stations"});
      if (st.is_array())
        for (const auto& s : st) consider(s, "lab station");
    }
  const ojson& k = json_at(r, {"resources", "links"});
  if (k.is_array())
    for (const auto& x : k) consider(x, "link");
  return best;
}

// ---------------------------------------------------------------- sections

void header(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const std::string name = json_string(json_at(r, {"scenario", "name"}), "unnamed scenario");
  o += "<header>\n<h1>Genesis Twin report: " + esc(name) + "</h1>\n<p class=\"meta\">";
  o += "seed " + esc(json_at(r, {"scenario", "seed"}).dump());
  o += " \u00b7 start " + esc(json_string(json_at(r, {"scenario", "start_date"}), "n/a"));
  o += " \u00b7 horizon " + num(json_at(r, {"scenario", "horizon_days"})) + " days";
  o += " \u00b7 " + num(json_at(r, {"scenario", "replications"})) + " replications";
  o += " \u00b7 modes ";
  for (std::size_t i = 0; i < modes.size(); ++i) o += (i ? ", " : "") + esc(human_name(modes[i]));
  o += "</p>\n</header>\n";
  const ojson& w = json_at(r, {"warnings"});
  const bool warned = w.is_array() && !w.empty();
  o += "<nav><a href=\"#verdict\">Verdict</a> " + std::string(warned ? "<a href=\"#warnings\">Warnings</a> " : "") +
       "<a href=\"#why\">Why</a> " +
       std::string(json_at(r, {"years"}).is_array() && json_at(r, {"years"}).size() > 1 ? "<a href=\"#years\">Year by year</a> " : "") + std::string(json_at(r, {"attribution"}).is_object() ? "<a href=\"#attribution\">AI or automation</a> " : "") +
       "<a href=\"#assumptions\">Assumptions</a> "
       "<a href=\"#cycle\">Cycle and bottleneck</a> <a href=\"#campaigns\">Campaigns</a> "
       "<a href=\"#resources\">Resources</a> <a href=\"#cost\">Cost</a> <a href=\"#conservation\">Conservation</a></nav>\n";
}

std::string multiplier_text(const ojson& m) {
  const ojson& v = json_at(m, {"value"});
  if (!v.is_number()) return "n/a";
  if (json_at(m, {"censored"}).is_boolean() && json_at(m, {"censored"}).get<bool>())
    return "\u2265 \u00d7" + num(v) + " (censored)";
  return "\u00d7" + num(v);
}

/// "AI choice <strong>x1.5</strong>, continuous decisions <strong>x3.1</strong>, ..." (HTML), or "" without an attribution.
std::string attribution_line(const ojson& r) {
  const ojson& a = json_at(r, {"attribution"});
  const ojson& steps = json_at(a, {"steps"});
  if (!steps.is_array() || steps.empty() || json_string(json_at(a, {"method"})) == "off") return "";
  std::string o;
  for (const auto& x : steps) {
    const ojson& f = json_at(x, {"factor"});
    o += (o.empty() ? "" : ", ") + esc(json_string(json_at(x, {"name"}))) + " <strong>" +
         (f.is_number() ? "\u00d7" + num(f) : std::string("n/a")) + "</strong>";
  }
  const ojson& p = json_at(a, {"product"});
  if (p.is_number()) o += " (product \u00d7" + num(p) + ", the multiplier)";
  return o;
}

void verdict(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& h = json_at(r, {"headline"});
  const ojson& m = json_at(h, {"multiplier"});
  const bool met = json_at(h, {"goal_met"}).is_boolean() && json_at(h, {"goal_met"}).get<bool>();
  const bool met95 = json_at(h, {"goal_met_at_95"}).is_boolean() && json_at(h, {"goal_met_at_95"}).get<bool>();
  const bool censored = json_at(m, {"censored"}).is_boolean() && json_at(m, {"censored"}).get<bool>();
  const bool known = json_at(m, {"value"}).is_number();
  const std::string goal = "\u00d7" + num(json_at(h, {"goal"}));
  o += "<section id=\"verdict\" class=\"verdict " + std::string(!known ? "unknown" : met ? "met" : "notmet") + "\">\n";
  o += "<h2>Verdict</h2>\n";
  bool one_mode = false;
  const ojson& warnings = json_at(r, {"warnings"});
  if (warnings.is_array())
    for (const auto& w : warnings) one_mode = one_mode || json_string(json_at(w, {"code"})) == "one_mode";
  o += "<p class=\"big\">R&amp;D productivity multiplier (closed loop / baseline): <strong class=\"multiplier\">" +
       esc(one_mode ? "none: no baseline" : multiplier_text(m)) + "</strong>";
  const std::string ci = interval_text(json_at(m, {"ci95_low"}), json_at(m, {"ci95_high"}));
  if (!ci.empty() && !censored) o += " <span class=\"ci\">95 % interval " + esc(ci) + "</span>";
  o += "</p>\n<p class=\"goal\">Goal " + esc(goal) + ": <strong>";
  if (!known && one_mode) o += "no baseline</strong> (the scenario runs one mode only, so nothing to compare with)";
  else if (!known) o += "cannot be judged</strong>";
  else if (met && censored)
    o += "met</strong>: the lower bound alone reaches the goal (the baseline made no discovery)";
  else if (met && met95) o += "met</strong>, also at 95 % confidence (the interval lies above " + esc(goal) + ")";
  else if (met && !(json_number(json_at(m, {"ci95_low"})) < json_number(json_at(h, {"goal"}))) &&
           json_number(json_at(m, {"n_replications"})) < 5)
    o += "met</strong>, but not judged at 95 % confidence (fewer than 5 replications)";
  else if (met) o += "met</strong>, but not at 95 % confidence (the interval reaches below " + esc(goal) + ")";
  else o += "not met</strong>";
  o += ".</p>\n";
  const std::string note = json_string(json_at(m, {"note"}));
  if (!note.empty()) o += "<p class=\"note\">Note: " + esc(note) + ".</p>\n";

  const std::string definition = json_string(json_at(h, {"discovery_definition"}));
  if (!definition.empty()) o += "<p class=\"definition\">What counts as a discovery: " + esc(definition) + "</p>\n";
  o += "<table class=\"modes\">\n<tr><th>mode</th><th>discoveries per year (95 % interval)</th>"
       "<th>median time to first discovery</th></tr>\n";
  const ojson& t = json_at(h, {"time_to_first_discovery"});
  for (const auto& mode : modes) {
    const ojson& tm = json_at(t, {mode});
    std::string ttfd = days_text(json_number(json_at(tm, {"median_days"})));
    if (json_at(tm, {"censored"}).is_boolean() && json_at(tm, {"censored"}).get<bool>())
      ttfd = "\u2265 " + ttfd + " (censored: no discovery in " + num(json_at(tm, {"without_discovery"})) +
             " replications)";
    o += "<tr><td><span class=\"swatch\" style=\"background:" + std::string(mode_color(mode)) + "\"></span>" +
         esc(human_name(mode)) + "</td><td>" + mean_ci_text(json_at(h, {"discoveries_per_year", mode})) + "</td><td>" +
         esc(ttfd) + "</td></tr>\n";
  }
  o += "</table>\n";
  const ojson& ratio = json_at(t, {"ratio"});
  if (ratio.is_number()) {
    const bool rc = json_at(t, {"ratio_censored"}).is_boolean() && json_at(t, {"ratio_censored"}).get<bool>();
    o += "<p>Time to first discovery: the baseline takes <strong>" + std::string(rc ? "\u2265 " : "") + "\u00d7" +
         num(ratio) + "</strong> as long as the closed loop" + (rc ? " (censored: a mode made no discovery)" : "") +
         ".</p>\n";
  }
  const ojson& carried = json_at(h, {"why", "carried_by"});
  if (carried.is_string()) {
    const Factor* f = find_factor(carried.get<std::string>());
    const double v = json_number(json_at(h, {"why", "factors", carried.get<std::string>()}));
    o += "<p>Why: carried by <strong>" +
         esc(f ? std::string(f->title) + " (" + f->meaning + ")" : human_name(carried.get<std::string>())) +
         "</strong>, \u00d7" + esc(format_number(v)) + ". <a href=\"#why\">The three factors</a>.</p>\n";
  }
  const std::string ladder = attribution_line(r);
  if (!ladder.empty())
    o += "<p class=\"attribution\">What each ingredient adds (" + esc(json_string(json_at(r, {"attribution", "method"}))) +
         "): " + ladder + ". <a href=\"#attribution\">The attribution</a>.</p>\n";
  const ojson& b = json_at(r, {"cycle", "bottlenecks"});
  if (b.is_array() && !b.empty()) {
    const std::string at = json_string(json_at(b[0], {"resource", "text"}));
    o += "<p>What limits it: <strong>" + esc(human_name(json_string(json_at(b[0], {"stage"})))) + "</strong>, " +
         esc(format_percent(json_number(json_at(b[0], {"share"})))) + " of a " +
         esc(human_name(json_string(json_at(b[0], {"mode"})))) + " cycle" +
         (at.empty() ? "" : "; the resource behind it: <strong>" + esc(at) + "</strong>") +
         ". <a href=\"#cycle\">Where the time goes</a>.</p>\n";
  }
  const ojson& buy = json_at(r, {"headline", "buy_next"});
  if (buy.is_object())
    o += "<p>What to buy next: <strong>" + esc(json_string(json_at(buy, {"change"}))) + "</strong>" +
         (json_at(buy, {"why"}).is_string() ? " (" + esc(json_string(json_at(buy, {"why"}))) + ")" : std::string()) +
         "; read off this run's bottleneck, <code>twin advise</code> measures every option.</p>\n";
  const std::string busiest = busiest_resource(r, modes.empty() ? "" : modes.front());
  if (!busiest.empty()) o += "<p>Busiest resource in the " + esc(human_name(modes.front())) + ": " + busiest + ".</p>\n";
  o += "</section>\n";
}

/// What makes a figure weak or the run degenerate; nothing when there is nothing to say.
void warnings(std::string& o, const ojson& r) {
  const ojson& w = json_at(r, {"warnings"});
  if (!w.is_array() || w.empty()) return;
  o += "<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul class=\"warnings\">\n";
  for (const auto& x : w)
    o += "<li><code>" + esc(json_string(json_at(x, {"code"}))) + "</code> " + esc(json_string(json_at(x, {"message"}))) +
         " <span class=\"where\">(" + esc(json_string(json_at(x, {"where"}))) + ")</span></li>\n";
  o += "</ul>\n</section>\n";
}

void why(std::string& o, const ojson& r) {
  const ojson& w = json_at(r, {"headline", "why"});
  const ojson& factors = json_at(w, {"factors"});
  o += "<section id=\"why\">\n<h2>Why the multiplier is what it is</h2>\n";
  o += "<p>The multiplier splits into three factors whose product it is: " +
       esc(human_name(json_string(json_at(w, {"identity"}), ""))) + ". A factor above \u00d71 favours the closed loop.</p>\n";
  if (!factors.is_object() || factors.empty()) {
    o += "<p>Not available: both modes must make discoveries.</p>\n</section>\n";
    return;
  }
  const std::string carried = json_string(json_at(w, {"carried_by"}));
  RatioChart chart;
  chart.title = "The three factors (closed loop against baseline, log scale)";
  o += "<table>\n<tr><th>factor</th><th>what it means</th><th>baseline</th><th>closed loop</th><th>factor</th></tr>\n";
  double product = 1;
  bool all = true;
  for (const auto& [key, value] : factors.items()) {
    const Factor* f = find_factor(key);
    const std::string title = f ? f->title : human_name(key);
    const double v = json_number(value);
    if (std::isfinite(v)) product *= v;
    else all = false;
    chart.labels.push_back(title);
    chart.ratios.push_back(v);
    if (key == carried) chart.highlight = title;
    std::string base = "n/a", closed = "n/a";
    if (f) {
      base = num(json_at(w, {"numbers", "baseline", f->number_key})) + " " + f->unit;
      closed = num(json_at(w, {"numbers", "closed_loop", f->number_key})) + " " + f->unit;
    }
    o += std::string("<tr") + (key == carried ? " class=\"carrier\"" : "") + "><td>" + esc(title) +
         (key == carried ? " <span class=\"tag\">carries the result</span>" : "") + "</td><td>" +
         esc(f ? f->meaning : "") + "</td><td>" + esc(base) + "</td><td>" + esc(closed) + "</td><td class=\"n\">\u00d7" +
         esc(format_number(v)) + (std::isfinite(v) && v < 1 ? " (against)" : "") + "</td></tr>\n";
  }
  if (all)
    o += "<tr class=\"total\"><td>Product</td><td>the multiplier</td><td></td><td></td><td class=\"n\">\u00d7" +
         esc(format_number(product)) + "</td></tr>\n";
  o += "</table>\n";
  o += "<figure>" + ratio_chart_svg(chart) + "</figure>\n</section>\n";
}

/// The decade: the closed loop on the platform as built against the first
/// year's baseline, with its band and the goal line; discoveries per year per
/// mode; the capacity online. Only for runs of more than one year.
void years(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& ys = json_at(r, {"years"});
  if (!ys.is_array() || ys.size() < 2) return;
  const double g = json_number(json_at(r, {"headline", "goal"}));
  const double goal = std::isfinite(g) ? g : 2.0;
  o += "<section id=\"years\">\n<h2>Year by year: when the platform doubles</h2>\n";
  const ojson& gy = json_at(r, {"headline", "goal_year"});
  const ojson& year = json_at(gy, {"year"});
  const ojson& y95 = json_at(gy, {"year_at_95"});
  o += "<p class=\"goal\">Goal \u00d7" + esc(format_number(goal)) + " against the first year's baseline: ";
  o += year.is_number() ? "<strong>first reached in " + num(year, 6) + "</strong>" : "<strong>not reached</strong> within the horizon";
  if (y95.is_number()) o += "; at 95 % confidence in " + num(y95, 6);
  else if (year.is_number()) o += "; not at 95 % confidence";
  o += ".</p>\n";
  const std::string def = json_string(json_at(gy, {"definition"}));
  if (!def.empty()) o += "<p class=\"caption\">goal_year: " + esc(def) + ".</p>\n";
  TrendChart traj;
  traj.title = "Closed loop on the platform as built, against the first year's baseline";
  traj.x_label = "year";
  traj.y_label = "\u00d7 first year's baseline";
  TrendSeries vs{"closed loop vs first year's baseline", COLOR_CLOSED_LOOP, {}, {}, {}, "\u00d7"};
  TrendSeries same{"same-year multiplier (closed loop / baseline)", COLOR_OTHER, {}, {}, {}, "\u00d7"};
  TrendChart disc;
  disc.title = "Discoveries per year, by mode";
  disc.x_label = "year";
  disc.y_label = "discoveries per year";
  disc.width_px = 480;
  std::vector<TrendSeries> per_mode;
  for (const auto& m : modes) per_mode.push_back({human_name(m), mode_color(m), {}, {}, {}, ""});
  const char* const cap_keys[] = {"nodes", "rmax_pflops", "labs", "link_capacity_gbps"};
  const char* const cap_names[] = {"HPC nodes", "Rmax", "robotic labs", "link capacity"};
  const char* const cap_colors[] = {"#e67e22", "#6a3d9a", "#1b7837", "#2c7fb8"};
  std::vector<TrendSeries> cap;
  for (int k = 0; k < 4; ++k) cap.push_back({cap_names[k], cap_colors[k], {}, {}, {}, "\u00d7"});
  std::vector<double> cap_first(4, NAN);
  std::string table = "<table>\n<tr><th>year</th><th>from</th><th>days</th>";
  for (const auto& m : modes) table += "<th>" + esc(human_name(m)) + " discoveries/year</th>";
  const bool has_capacity = json_at(ys[0], {"capacity_online"}).is_object();
  table += "<th>same-year multiplier</th><th>vs first year's baseline</th>";
  if (has_capacity) table += "<th>HPC systems</th><th>nodes</th><th>GPUs</th><th>Rmax (PF)</th><th>labs</th><th>link capacity (Tb/s)</th>";
  table += "</tr>\n";
  for (const auto& y : ys) {
    const std::string label = num(json_at(y, {"year"}), 6);
    traj.categories.push_back(label);
    disc.categories.push_back(label);
    const ojson& v = json_at(y, {"vs_first_year_baseline"});
    vs.y.push_back(json_number(json_at(v, {"value"})));
    vs.low.push_back(json_number(json_at(v, {"ci95_low"})));
    vs.high.push_back(json_number(json_at(v, {"ci95_high"})));
    same.y.push_back(json_number(json_at(y, {"multiplier", "value"})));
    table += "<tr><td>" + esc(label) + "</td><td>" + esc(json_string(json_at(y, {"start_date"}))) + "</td><td class=\"n\">" +
             num(json_at(y, {"days"}), 4) + "</td>";
    for (std::size_t i = 0; i < modes.size(); ++i) {
      const ojson& d = json_at(y, {"discoveries_per_year", modes[i]});
      per_mode[i].y.push_back(json_number(d));
      table += "<td class=\"n\">" + num(d) + "</td>";
    }
    const ojson& sm = json_at(y, {"multiplier"});
    const std::string si = interval_text(json_at(sm, {"ci95_low"}), json_at(sm, {"ci95_high"}));
    const std::string vi = interval_text(json_at(v, {"ci95_low"}), json_at(v, {"ci95_high"}));
    table += "<td class=\"n\">" + esc(multiplier_text(sm)) + (si.empty() ? "" : " <span class=\"ci\">(" + esc(si) + ")</span>") + "</td>";
    table += "<td class=\"n\">" + esc(multiplier_text(v)) + (vi.empty() ? "" : " <span class=\"ci\">(" + esc(vi) + ")</span>") + "</td>";
    const ojson& c = json_at(y, {"capacity_online"});
    if (!has_capacity) {
      table += "</tr>\n";
      continue;
    }
    table += "<td class=\"n\">" + num(json_at(c, {"hpc_systems"})) + "</td><td class=\"n\">" + num(json_at(c, {"nodes"}), 4) +
             "</td><td class=\"n\">" + num(json_at(c, {"gpus"}), 4) + "</td><td class=\"n\">" + num(json_at(c, {"rmax_pflops"}), 4) +
             "</td><td class=\"n\">" + num(json_at(c, {"labs"})) +
             "</td><td class=\"n\">" + esc(format_number(json_number(json_at(c, {"link_capacity_gbps"})) / 1000, 3)) + "</td></tr>\n";
    for (std::size_t k = 0; k < 4; ++k) {
      const double x = json_number(json_at(c, {cap_keys[k]}));
      if (std::isnan(cap_first[k]) && x > 0) cap_first[k] = x;
      cap[k].y.push_back(std::isfinite(cap_first[k]) && std::isfinite(x) ? x / cap_first[k] : NAN);
    }
  }
  table += "</table>\n";
  traj.series.push_back(vs);
  traj.series.push_back(same);
  traj.references.push_back({goal, "goal \u00d7" + format_number(goal)});
  traj.references.push_back({1.0, "first year's baseline", "#888888"});
  o += "<figure>" + trend_chart_svg(traj) +
       "<figcaption class=\"caption\">Each point is a year's closed-loop discovery rate over the first year's baseline "
       "rate, the band its 95 % interval over replications, the dashed line the goal; grey, the same year's closed loop "
       "over its baseline.</figcaption></figure>\n";
  disc.series = per_mode;
  TrendChart capc;
  capc.title = "Capacity online, against its first year";
  capc.x_label = "year";
  capc.y_label = "\u00d7 its first year online";
  capc.width_px = 480;
  capc.categories = traj.categories;
  for (auto& s : cap)
    if (std::any_of(s.y.begin(), s.y.end(), [](double x) { return std::isfinite(x); })) capc.series.push_back(s);
  o += "<div class=\"pair\"><figure>" + trend_chart_svg(disc) + "</figure>\n";
  if (has_capacity) o += "<figure>" + trend_chart_svg(capc) + "</figure>";
  o += "</div>\n";
  o += table;
  const std::string basis = json_string(json_at(ys[0], {"capacity_online", "basis"}));
  if (!basis.empty()) o += "<p class=\"caption\">Capacity online: " + esc(basis) + ".</p>\n";
  o += "</section>\n";
}

/// The order's milestones: whether a first closed-loop discovery came within
/// the initial operating capability's days, and each campaign's first one.
/// Only where the closed loop ran.
void milestones(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& m = json_at(r, {"milestones"});
  const ojson& camps = json_at(m, {"campaigns"});
  if (!camps.is_array() || camps.empty() || std::find(modes.begin(), modes.end(), "closed_loop") == modes.end()) return;
  const ojson& ioc = json_at(m, {"initial_operating_capability"});
  const std::string limit = num(json_at(ioc, {"day_limit"}), 6);
  o += "<section id=\"milestones\">\n<h2>Milestones</h2>\n<p class=\"goal\">Initial operating capability (a first "
       "closed-loop discovery before day " + esc(limit) + "): ";
  if (json_at(ioc, {"reached"}).is_boolean() && json_at(ioc, {"reached"}).get<bool>())
    o += "<strong>reached</strong> by " + esc(json_string(json_at(ioc, {"by"}))) + " on day " + num(json_at(ioc, {"day"}), 6);
  else
    o += "<strong>not reached</strong>";
  o += ".</p>\n<table>\n<tr><th>campaign</th><th>first closed-loop discovery, day</th><th>date</th>"
       "<th>replications with one</th></tr>\n";
  for (const auto& c : camps) {
    const ojson& day = json_at(c, {"first_closed_loop_discovery_day"});
    const bool within = day.is_number() && json_number(day) < json_number(json_at(ioc, {"day_limit"}));
    o += "<tr><td>" + esc(json_string(json_at(c, {"campaign"}))) + "</td><td class=\"n" + (within ? " ok" : "") + "\">" +
         (day.is_number() ? num(day, 6) : std::string("none")) + "</td><td>" + esc(json_string(json_at(c, {"date"}), "")) +
         "</td><td class=\"n\">" + num(json_at(c, {"replications_reached"}), 6) + "</td></tr>\n";
  }
  o += "</table>\n";
  for (const ojson* d : {&json_at(m, {"definition"}), &json_at(ioc, {"definition"})})
    if (d->is_string()) o += "<p class=\"caption\">" + esc(d->get<std::string>()) + ".</p>\n";
  o += "</section>\n";
}

/// The attribution: what each ingredient adds to the multiplier, with its interval.
void attribution(std::string& o, const ojson& r) {
  const ojson& a = json_at(r, {"attribution"});
  if (!a.is_object()) return;  // a report from before the attribution
  const std::string method = json_string(json_at(a, {"method"}), "off");
  o += "<section id=\"attribution\">\n<h2>How much is AI, how much automation</h2>\n";
  if (method == "off" || !json_at(a, {"steps"}).is_array() || json_at(a, {"steps"}).empty()) {
    o += "<p>Not run" + std::string(json_string(json_at(a, {"note"})).empty() ? "" : ": " + esc(json_string(json_at(a, {"note"})))) +
         ".</p>\n</section>\n";
    return;
  }
  const bool ladder = method == "ladder";
  o += "<p>" + esc(json_string(json_at(a, {"explanation"}))) + ".</p>\n";
  o += "<table>\n<tr><th>" + std::string(ladder ? "step" : "ingredient") + "</th><th>what changes</th>" +
       (ladder ? "<th>discoveries per year after it</th>" : "") + "<th>factor</th><th>95 % interval</th></tr>\n";
  if (ladder)
    o += "<tr><td>baseline</td><td>the baseline as the scenario gives it</td><td class=\"n\">" +
         num(json_at(a, {"baseline_discoveries_per_year"})) + "</td><td></td><td></td></tr>\n";
  RatioChart chart;
  chart.title = ladder ? "The ladder's factors (log scale)" : "Shapley factors (log scale)";
  double top = 0;
  for (const auto& x : json_at(a, {"steps"})) {
    const ojson& f = json_at(x, {"factor"});
    const std::string name = json_string(json_at(x, {"name"}));
    chart.labels.push_back(name);
    chart.ratios.push_back(f.is_number() ? f.get<double>() : 0.0);
    if (f.is_number() && std::abs(std::log(f.get<double>())) > top) {
      top = std::abs(std::log(f.get<double>()));
      chart.highlight = name;
    }
    o += "<tr><td>" + esc(name) + "</td><td>" + esc(json_string(json_at(x, {"description"}))) + "</td>" +
         (ladder ? "<td class=\"n\">" + num(json_at(x, {"discoveries_per_year"})) + "</td>" : "") + "<td class=\"n\">" +
         (f.is_number() ? "\u00d7" + num(f) + (f.get<double>() < 1 ? " (against)" : "") : std::string("n/a")) +
         "</td><td class=\"n\">" + esc(interval_text(json_at(x, {"ci95_low"}), json_at(x, {"ci95_high"}))) + "</td></tr>\n";
  }
  const ojson& p = json_at(a, {"product"});
  if (p.is_number())
    o += "<tr class=\"total\"><td>Product</td><td>the multiplier</td>" + std::string(ladder ? "<td></td>" : "") +
         "<td class=\"n\">\u00d7" + num(p) + "</td><td></td></tr>\n";
  o += "</table>\n";
  const std::string note = json_string(json_at(a, {"note"}));
  if (!note.empty()) o += "<p class=\"note\">Note: " + esc(note) + ".</p>\n";
  o += "<figure>" + ratio_chart_svg(chart) + "</figure>\n</section>\n";
}

void assumptions(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  o += "<section id=\"assumptions\">\n<h2>Assumptions that drive the verdict</h2>\n";
  const ojson& a = json_at(r, {"assumptions"});
  if (a.is_array() && !a.empty()) {
    o += "<table>\n<tr><th>what</th><th>assumed</th></tr>\n";
    for (const auto& x : a)
      o += "<tr><td>" + esc(json_string(json_at(x, {"what"}))) + "</td><td>" + esc(json_string(json_at(x, {"value"}))) +
           "</td></tr>\n";
    o += "</table>\n";
  } else {
    o += "<p>The report lists no assumptions.</p>\n";
  }
  const ojson& camps = json_at(r, {"campaigns"});
  if (camps.is_array() && !camps.empty()) {
    o += "<h3>Campaigns and their agents</h3>\n<table>\n<tr><th>campaign</th><th>kernel</th><th>target</th>"
         "<th>HPC</th><th>lab</th>";
    for (const auto& m : modes) o += "<th>" + esc(human_name(m)) + " policy</th>";
    o += "</tr>\n";
    for (const auto& c : camps) {
      o += "<tr><td>" + esc(json_string(json_at(c, {"name"}))) + "</td><td>" + esc(json_string(json_at(c, {"kernel"}))) +
           "</td><td>" + esc(json_string(json_at(c, {"target"}))) + "</td><td>" + esc(json_string(json_at(c, {"hpc"}))) +
           "</td><td>" + esc(json_string(json_at(c, {"lab"}))) + "</td>";
      for (const auto& m : modes) o += "<td>" + esc(json_string(json_at(c, {"modes", m, "policy"}))) + "</td>";
      o += "</tr>\n";
    }
    o += "</table>\n";
  }
  o += "</section>\n";
}

struct ResourceRow {
  std::string label;
  const ojson* node;
};

/// The first cycles of the first campaign, stage by stage, one chart per mode.
void first_cycles(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& camps = json_at(r, {"campaigns"});
  if (!camps.is_array() || camps.empty()) return;
  const ojson& c = camps[0];
  const std::string name = json_string(json_at(c, {"name"}));
  std::string charts;
  for (const auto& m : modes) {
    const ojson& rows = json_at(c, {"modes", m, "first_cycles"});
    if (!rows.is_array() || rows.empty()) continue;
    std::size_t col_cycle = 0, col_stage = 1, col_start = 2, col_end = 3;
    const ojson& cols = json_at(c, {"modes", m, "first_cycles_columns"});
    if (cols.is_array())
      for (std::size_t i = 0; i < cols.size(); ++i) {
        const std::string k = json_string(cols[i]);
        if (k == "cycle") col_cycle = i;
        if (k == "stage") col_stage = i;
        if (k == "start_h") col_start = i;
        if (k == "end_h") col_end = i;
      }
    const std::size_t need = std::max({col_cycle, col_stage, col_start, col_end});
    double t0 = INFINITY, t1 = -INFINITY, n_cycles = 0;
    for (const auto& x : rows) {
      if (!x.is_array() || x.size() <= need) continue;
      t0 = std::min(t0, json_number(x[col_start]));
      t1 = std::max(t1, json_number(x[col_end]));
      n_cycles = std::max(n_cycles, json_number(x[col_cycle]) + 1);
    }
    if (!std::isfinite(t0) || !std::isfinite(t1)) continue;
    const bool in_days = t1 - t0 > 72;
    const double unit = in_days ? 24.0 : 1.0;
    GanttChart g;
    g.title = human_name(m) + ": the first cycles of " + name;
    g.x_label = in_days ? "days since the first cycle began" : "hours since the first cycle began";
    for (int k = 0; k < static_cast<int>(n_cycles); ++k) g.row_labels.push_back("cycle " + std::to_string(k + 1));
    std::vector<std::string> seen;
    for (const auto& x : rows) {
      if (!x.is_array() || x.size() <= need) continue;
      const std::string st = json_string(x[col_stage]);
      std::size_t idx = 0;
      for (const char* known : {"agent", "people", "hpc_queue", "hpc_run", "transfer", "lab_queue", "lab_run"}) {
        if (st == known) break;
        ++idx;
      }
      if (std::find(seen.begin(), seen.end(), st) == seen.end()) seen.push_back(st);
      const double a = json_number(x[col_start]), b = json_number(x[col_end]);
      g.bars.push_back({static_cast<std::size_t>(json_number(x[col_cycle])), (a - t0) / unit, (b - t0) / unit,
                        stage_color(st, idx),
                        human_name(st) + ": " + format_number(b - a, 3) + " h"});
    }
    for (const char* known : {"agent", "people", "hpc_queue", "hpc_run", "transfer", "lab_queue", "lab_run"})
      if (std::find(seen.begin(), seen.end(), known) != seen.end()) {
        g.legend_names.push_back(human_name(known));
        g.legend_colors.push_back(stage_color(known, g.legend_names.size() - 1));
      }
    charts += "<figure>" + gantt_svg(g) + "</figure>\n";
  }
  if (charts.empty()) return;
  o += "<h3>The first cycles of " + esc(name) + ", stage by stage (replication 0)</h3>\n" + charts +
       "<p class=\"caption\">In the lab stage the critical sample's waits are drawn before its runs; the lab "
       "interleaves them.</p>\n";
}

/// What a weekly chart shows: a report key under each resource's modes, its
/// axis label and the factor from the stored value to the plotted one.
struct WeeklySeries {
  const char* key;
  const char* y_label;
  double scale;
};
const WeeklySeries WEEKLY_UTILISATION{"weekly_utilisation", "utilisation, %", 100.0};
const WeeklySeries WEEKLY_QUEUE{"weekly_queue", "mean queue length", 1.0};

/// A weekly series over the horizon, one step line per resource, a chart per mode.
void over_time(std::string& o, const std::vector<ResourceRow>& rows, const std::vector<std::string>& modes,
               const std::string& what, double horizon_days, const WeeklySeries& series = WEEKLY_UTILISATION) {
  if (rows.empty()) return;
  static const char* const PALETTE[] = {"#1b6ca8", "#d9730d", "#1a9850", "#7b3294", "#c0392b",
                                        "#17becf", "#8c564b", "#bcbd22", "#e377c2", "#6b6b6b"};
  std::string charts;
  for (const auto& m : modes) {
    StepChart ch;
    ch.title = human_name(m) + ": " + what + ", weekly";
    ch.title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(ch.title[0])));
    ch.x_label = "simulated days";
    ch.y_label = series.y_label;
    ch.dots = false;
    ch.y_from_zero = true;
    for (std::size_t i = 0; i < rows.size() && i < 10; ++i) {
      LineSeries s;
      s.name = rows[i].label;
      s.color = PALETTE[i];
      const ojson& w = json_at(*rows[i].node, {"modes", m, series.key});
      if (w.is_array())
        for (std::size_t k = 0; k < w.size(); ++k) {
          s.x.push_back(7.0 * static_cast<double>(k));
          s.y.push_back(series.scale * json_number(w[k]));
        }
      // The last week may be shorter: it ends with the horizon.
      if (!s.x.empty())
        ch.x_end = std::max(ch.x_end, std::isfinite(horizon_days) && horizon_days > s.x.back()
                                          ? horizon_days : s.x.back() + 7.0);
      ch.series.push_back(s);
    }
    if (std::any_of(ch.series.begin(), ch.series.end(), [](const LineSeries& x) { return !x.x.empty(); }))
      charts += "<figure>" + step_chart_svg(ch) + "</figure>";
  }
  if (!charts.empty()) o += "<div class=\"pair\">" + charts + "</div>\n";
}

void cycle(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& cy = json_at(r, {"cycle"});
  o += "<section id=\"cycle\">\n<h2>Where a cycle's time goes, and the bottleneck</h2>\n";
  // Stage order from the first mode that lists them.
  std::vector<std::string> stages;
  for (const auto& m : modes) {
    const ojson& hp = json_at(cy, {m, "hours_per_cycle"});
    if (hp.is_object() && stages.empty())
      for (const auto& [k, v] : hp.items()) stages.push_back(k);
  }
  if (stages.empty()) {
    o += "<p>No cycle data.</p>\n</section>\n";
    return;
  }
  StackedBars chart;
  chart.title = "A decision cycle, stage by stage (share of the mean cycle)";
  for (std::size_t i = 0; i < stages.size(); ++i) {
    chart.segment_names.push_back(human_name(stages[i]));
    chart.segment_colors.push_back(stage_color(stages[i], i));
  }
  for (const auto& m : modes) {
    chart.row_labels.push_back(human_name(m));
    std::vector<double> row;
    for (const auto& s : stages) row.push_back(json_number(json_at(cy, {m, "hours_per_cycle", s})));
    chart.rows.push_back(row);
    const double mean_h = json_number(json_at(cy, {m, "mean_cycle_h"}));
    chart.row_totals.push_back(std::isfinite(mean_h) ? format_number(mean_h) + " h per cycle" : "no cycles");
  }
  o += "<figure>" + stacked_bars_svg(chart) + "</figure>\n";
  o += "<table>\n<tr><th>stage</th><th>what it is</th>";
  for (const auto& m : modes) o += "<th>" + esc(human_name(m)) + ": hours per cycle (share)</th>";
  o += "</tr>\n";
  const ojson& desc = json_at(cy, {"stages"});
  for (const auto& s : stages) {
    std::string what;
    if (desc.is_array())
      for (const auto& d : desc) {
        const std::string t = json_string(d);
        if (t.rfind(s + ": ", 0) == 0) what = t.substr(s.size() + 2);
      }
    o += "<tr><td>" + esc(human_name(s)) + "</td><td>" + esc(what) + "</td>";
    for (const auto& m : modes)
      o += "<td class=\"n\">" + num(json_at(cy, {m, "hours_per_cycle", s})) + " (" +
           esc(format_percent(json_number(json_at(cy, {m, "share", s})))) + ")</td>";
    o += "</tr>\n";
  }
  o += "<tr class=\"total\"><td>cycle</td><td>mean cycle; cycles per replication</td>";
  for (const auto& m : modes)
    o += "<td class=\"n\">" + num(json_at(cy, {m, "mean_cycle_h"})) + " h; " + num(json_at(cy, {m, "cycles"})) +
         " cycles</td>";
  o += "</tr>\n</table>\n";
  const ojson& b = json_at(cy, {"bottlenecks"});
  if (b.is_array() && !b.empty()) {
    o += "<h3>Bottlenecks, ranked (" + esc(human_name(json_string(json_at(b[0], {"mode"})))) + " cycle)</h3>\n<ol class=\"bottlenecks\">\n";
    for (const auto& x : b)
    {
      const std::string at = json_string(json_at(x, {"resource", "text"}));
      o += "<li><strong>" + esc(human_name(json_string(json_at(x, {"stage"})))) + "</strong>: " +
           esc(format_percent(json_number(json_at(x, {"share"})))) + " of the cycle" + (at.empty() ? "" : "; " + esc(at)) +
           "</li>\n";
    }
    o += "</ol>\n";
  }
  first_cycles(o, r, modes);
  o += "</section>\n";
}

void campaign_charts(std::string& o, const ojson& c, const std::vector<std::string>& modes, double horizon_days) {
  StepChart by_day, by_exp;
  by_day.title = "Best value found against simulated time";
  by_day.x_label = "simulated days";
  by_day.y_label = "best value";
  by_day.x_end = std::isfinite(horizon_days) ? horizon_days : 0;
  by_exp.title = "Best value found against experiments";
  by_exp.x_label = "lab experiments";
  by_exp.y_label = "best value";
  for (const auto& m : modes) {
    LineSeries d, e;
    d.name = e.name = human_name(m);
    d.color = e.color = mode_color(m);
    const ojson& pts = json_at(c, {"modes", m, "best_over_time"});
    std::size_t col_day = 0, col_exp = 1, col_best = 2;
    const ojson& cols = json_at(c, {"modes", m, "best_over_time_columns"});
    if (cols.is_array())
      for (std::size_t i = 0; i < cols.size(); ++i) {
        const std::string k = json_string(cols[i]);
        if (k == "day") col_day = i;
        if (k == "experiments") col_exp = i;
        if (k == "best_value") col_best = i;
      }
    if (pts.is_array())
      for (const auto& p : pts) {
        if (!p.is_array() || p.size() <= std::max({col_day, col_exp, col_best})) continue;
        d.x.push_back(json_number(p[col_day]));
        d.y.push_back(json_number(p[col_best]));
        e.x.push_back(json_number(p[col_exp]));
        e.y.push_back(json_number(p[col_best]));
      }
    by_day.series.push_back(d);
    by_exp.series.push_back(e);
  }
  o += "<div class=\"pair\"><figure>" + step_chart_svg(by_day) + "</figure><figure>" + step_chart_svg(by_exp) +
       "</figure></div>\n<p class=\"caption\">Best value confirmed so far in replication 0; each dot is an "
       "improvement.</p>\n";
}

void campaigns(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  o += "<section id=\"campaigns\">\n<h2>Campaigns</h2>\n";
  const ojson& camps = json_at(r, {"campaigns"});
  if (!camps.is_array() || camps.empty()) {
    o += "<p>No campaigns.</p>\n</section>\n";
    return;
  }
  const double horizon = json_number(json_at(r, {"scenario", "horizon_days"}));
  std::size_t index = 0;
  for (const auto& c : camps) {
    o += "<article id=\"campaign-" + std::to_string(index++) + "\">\n<h3>" + esc(json_string(json_at(c, {"name"}))) +
         "</h3>\n<p class=\"meta\">" + esc(json_string(json_at(c, {"kernel"}))) + " \u00b7 target: " +
         esc(json_string(json_at(c, {"target"}))) + " \u00b7 HPC " + esc(json_string(json_at(c, {"hpc"}))) +
         " \u00b7 lab " + esc(json_string(json_at(c, {"lab"}))) + "</p>\n";
    o += "<table>\n<tr><th>per replication (mean)</th>";
    for (const auto& m : modes) o += "<th>" + esc(human_name(m)) + "</th>";
    o += "</tr>\n";
    auto row = [&](const char* label, auto cell) {
      o += std::string("<tr><td>") + label + "</td>";
      for (const auto& m : modes) o += "<td class=\"n\">" + cell(json_at(c, {"modes", m})) + "</td>";
      o += "</tr>\n";
    };
    row("discoveries (95 % interval)", [](const ojson& x) { return mean_ci_text(json_at(x, {"discoveries"})); });
    row("discoveries per year", [](const ojson& x) { return num(json_at(x, {"discoveries_per_year", "mean"})); });
    row("lab experiments (failed)", [](const ojson& x) {
      return num(json_at(x, {"experiments"})) + " (" + num(json_at(x, {"failed_experiments"})) + ")";
    });
    row("simulations", [](const ojson& x) { return num(json_at(x, {"simulations"})); });
    row("cycles", [](const ojson& x) { return num(json_at(x, {"cycles"})); });
    row("time to first discovery, median (p90)", [](const ojson& x) {
      const ojson& t = json_at(x, {"time_to_first_discovery"});
      const bool cens = json_at(t, {"censored"}).is_boolean() && json_at(t, {"censored"}).get<bool>();
      return std::string(cens ? "\u2265 " : "") + num(json_at(t, {"median_days"})) + " d (" +
             num(json_at(t, {"p90_days"})) + " d)" + (cens ? " censored" : "");
    });
    row("node-hours", [](const ojson& x) { return num(json_at(x, {"cost", "node_hours"})); });
    row("lab-hours", [](const ojson& x) { return num(json_at(x, {"cost", "lab_hours"})); });
    row("energy, kWh", [](const ojson& x) { return num(json_at(x, {"cost", "energy_kwh"})); });
    o += "</table>\n";
    campaign_charts(o, c, modes, horizon);
    o += "</article>\n";
  }
  o += "</section>\n";
}

BarChart resource_chart(const std::string& title, const std::vector<ResourceRow>& rows,
                        const std::vector<std::string>& modes, const char* key, ValueFormat f, const char* unit) {
  BarChart ch;
  ch.title = title;
  ch.series_names = mode_names(modes);
  ch.series_colors = mode_colors(modes);
  ch.format = f;
  ch.unit = unit;
  for (const auto& r : rows) {
    BarGroup g;
    g.label = r.label;
    for (const auto& m : modes) g.values.push_back(json_number(json_at(*r.node, {"modes", m, key})));
    ch.groups.push_back(g);
  }
  return ch;
}

/// One bar chart of a resource section: a key of each mode's figures.
struct ResourceFigure {
  const char* title;
  const char* key;
  ValueFormat format;
  const char* unit;
};

/// A resource section's heading, then `none` where it has no rows, else one
/// bar chart per figure; true when it has rows (the caller adds the rest).
bool resource_section(std::string& o, const char* heading, const char* none, const std::vector<ResourceRow>& rows,
                      const std::vector<std::string>& modes, std::initializer_list<ResourceFigure> figures) {
  o += std::string("<h3>") + heading + "</h3>\n";
  if (rows.empty()) {
    o += std::string("<p>") + none + "</p>\n";
    return false;
  }
  for (const auto& f : figures)
    o += "<figure>" + bar_chart_svg(resource_chart(f.title, rows, modes, f.key, f.format, f.unit)) + "</figure>\n";
  return true;
}

void resource_table(std::string& o, const std::vector<ResourceRow>& rows, const std::vector<std::string>& modes,
                    const std::vector<std::pair<const char*, const char*>>& wanted) {
  // Only the columns some resource reports: older reports lack the newer keys.
  std::vector<std::pair<const char*, const char*>> cols;
  for (const auto& col : wanted) {
    bool any = false;
    for (const auto& r : rows)
      for (const auto& m : modes) any = any || !json_at(*r.node, {"modes", m, col.first}).is_null();
    if (any) cols.push_back(col);
  }
  o += "<table>\n<tr><th>name</th><th>mode</th>";
  for (const auto& [key, title] : cols) o += std::string("<th>") + title + "</th>";
  o += "</tr>\n";
  for (const auto& r : rows)
    for (std::size_t i = 0; i < modes.size(); ++i) {
      o += "<tr>" + (i == 0 ? "<td rowspan=\"" + std::to_string(modes.size()) + "\">" + esc(r.label) + "</td>" : "") +
           "<td class=\"m\">" + esc(human_name(modes[i])) + "</td>";
      for (const auto& [key, title] : cols) {
        const ojson& v = json_at(*r.node, {"modes", modes[i], key});
        o += "<td class=\"n\">" +
             (std::string_view(key) == "utilisation" ? esc(format_percent(json_number(v))) : num(v)) + "</td>";
      }
      o += "</tr>\n";
    }
  o += "</table>\n";
}

void resources(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const double horizon_days = json_number(json_at(r, {"scenario", "horizon_days"}));
  o += "<section id=\"resources\">\n<h2>Resources</h2>\n<p>Bars: mean over replications and the whole horizon. "
       "Lines: weekly means over replications (utilisation.csv has the daily series).</p>\n";
  std::vector<ResourceRow> hpc, labs, links;
  const ojson& h = json_at(r, {"resources", "hpc"});
  if (h.is_array())
    for (const auto& x : h) hpc.push_back({json_string(json_at(x, {"name"})), &x});
  const ojson& l = json_at(r, {"resources", "labs"});
  if (l.is_array())
    for (const auto& x : l) {
      labs.push_back({json_string(json_at(x, {"name"})) + " (whole lab)", &x});
      const ojson& st = json_at(x, {"stations"});
      if (st.is_array())
        for (const auto& s : st) labs.push_back({json_string(json_at(s, {"name"})), &s});
    }
  const ojson& k = json_at(r, {"resources", "links"});
  std::size_t idle_links = 0;
  if (k.is_array()) {
    for (const auto& x : k) {
      double most = 0;
      for (const auto& m : modes) {
        const double u = json_number(json_at(x, {"modes", m, "utilisation"}));
        if (std::isfinite(u)) most = std::max(most, u);
      }
      if (most > 0) links.push_back({json_string(json_at(x, {"name"})), &x});
      else ++idle_links;
    }
    // Busiest first; ties keep the report's order.
    std::stable_sort(links.begin(), links.end(), [&](const ResourceRow& a, const ResourceRow& b) {
      auto most = [&](const ResourceRow& x) {
        double v = 0;
        for (const auto& m : modes) {
          const double u = json_number(json_at(*x.node, {"modes", m, "utilisation"}));
          if (std::isfinite(u)) v = std::max(v, u);
        }
        return v;
      };
      return most(a) > most(b);
    });
  }
  const std::vector<std::pair<const char*, const char*>> queue_cols = {
      {"utilisation", "utilisation"}, {"queue_mean", "mean queue"}, {"queue_max", "longest queue"},
      {"wait_mean_h", "mean wait, h"}, {"wait_max_h", "longest wait, h"}, {"energy_kwh", "energy, kWh"}};
  std::vector<std::pair<const char*, const char*>> hpc_cols = queue_cols;
  hpc_cols.emplace_back("background_jobs", "background jobs");
  hpc_cols.emplace_back("node_failures", "node failures");
  hpc_cols.emplace_back("jobs_killed_by_failures", "jobs killed by failures");
  hpc_cols.emplace_back("campaign_jobs_requeued", "campaign jobs requeued");
  if (resource_section(o, "HPC systems", "None.", hpc, modes,
                       {{"Utilisation per HPC system", "utilisation", ValueFormat::PERCENT, ""},
                        {"Mean queue length per HPC system (jobs waiting)", "queue_mean", ValueFormat::NUMBER, "jobs"},
                        {"Mean wait in the batch queue", "wait_mean_h", ValueFormat::NUMBER, "h"}})) {
    over_time(o, hpc, modes, "utilisation per HPC system", horizon_days);
    over_time(o, hpc, modes, "jobs waiting per HPC system", horizon_days, WEEKLY_QUEUE);
    resource_table(o, hpc, modes, hpc_cols);
  }
  if (resource_section(o, "Labs and their stations", "None.", labs, modes,
                       {{"Utilisation per lab and station", "utilisation", ValueFormat::PERCENT, ""},
                        {"Mean queue length per lab and station (samples waiting)", "queue_mean", ValueFormat::NUMBER,
                         "samples"},
                        {"Mean wait of a sample", "wait_mean_h", ValueFormat::NUMBER, "h"}})) {
    std::vector<ResourceRow> stations;
    for (const auto& x : labs)
      if (x.label.find(" (whole lab)") == std::string::npos) stations.push_back(x);
    over_time(o, stations, modes, "utilisation of lab stations, robots and technicians", horizon_days);
    over_time(o, stations, modes, "waiting for lab stations, robots and technicians", horizon_days, WEEKLY_QUEUE);
    resource_table(o, labs, modes, queue_cols);
  }
  if (resource_section(o, "Backbone links", "No link carried data.", links, modes,
                       {{"Utilisation per backbone link (links that carried data, busiest first)", "utilisation",
                         ValueFormat::PERCENT, ""},
                        {"Data moved per backbone link", "bytes_tb", ValueFormat::NUMBER, "TB"}})) {
    over_time(o, std::vector<ResourceRow>(links.begin(), links.begin() + std::min<std::ptrdiff_t>(5, static_cast<std::ptrdiff_t>(links.size()))),
                          modes, "utilisation of the five busiest links", horizon_days);
  }
  if (idle_links > 0)
    o += "<p>" + std::to_string(idle_links) + " other link" + (idle_links == 1 ? "" : "s") + " carried no data.</p>\n";
  o += "</section>\n";
}

void cost(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& c = json_at(r, {"headline", "cost_per_discovery"});
  o += "<section id=\"cost\">\n<h2>Cost per discovery</h2>\n<table>\n<tr><th>mode</th><th>node-hours</th>"
       "<th>lab-hours</th><th>energy, kWh</th><th>dollars</th></tr>\n";
  for (const auto& m : modes)
    o += "<tr><td>" + esc(human_name(m)) + "</td><td class=\"n\">" + num(json_at(c, {m, "node_hours"})) +
         "</td><td class=\"n\">" + num(json_at(c, {m, "lab_hours"})) + "</td><td class=\"n\">" +
         num(json_at(c, {m, "energy_kwh"})) + "</td><td class=\"n\">" +
         (json_at(c, {m, "dollars"}).is_number() ? "$" + num(json_at(c, {m, "dollars"})) : std::string("no prices")) +
         "</td></tr>\n";
  if (std::find(modes.begin(), modes.end(), "closed_loop") != modes.end() &&
      std::find(modes.begin(), modes.end(), "baseline") != modes.end()) {
    o += "<tr class=\"total\"><td>baseline / closed loop</td>";
    for (const char* k : {"node_hours", "lab_hours", "energy_kwh", "dollars"}) {
      const double b = json_number(json_at(c, {"baseline", k})), cl = json_number(json_at(c, {"closed_loop", k}));
      o += "<td class=\"n\">" + (cl > 0 && std::isfinite(b) ? "\u00d7" + format_number(b / cl) : std::string("n/a")) + "</td>";
    }
    o += "</tr>\n";
  }
  o += "</table>\n<p class=\"caption\">All resources the campaigns used, divided by their discoveries; n/a where a mode "
       "made none. Dollars, where the scenario has prices: node-hours and lab-hours at their prices plus the "
       "technicians of the labs used over the horizon and the clouds' bills for burst jobs.</p>\n</section>\n";
}

void conservation(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& c = json_at(r, {"conservation"});
  static const char* const cols[] = {"created", "finished", "failed", "discarded", "in_flight", "holds"};
  o += "<section id=\"conservation\">\n<h2>Conservation</h2>\n<p>Everything created is finished, failed, discarded "
       "or still in flight at the horizon.</p>\n<table>\n<tr><th>what</th><th>mode</th>";
  for (const char* k : cols) o += "<th>" + esc(human_name(k)) + "</th>";
  o += "<th>balanced</th></tr>\n";
  bool all_balanced = true;
  auto line = [&](const std::string& what, const std::string& mode, const ojson& x) {
    o += "<tr><td>" + esc(what) + "</td><td>" + esc(mode) + "</td>";
    for (const char* k : cols) o += "<td class=\"n\">" + num(json_at(x, {k}), 15) + "</td>";
    const ojson& b = json_at(x, {"balanced"});
    const bool ok = b.is_boolean() && b.get<bool>();
    all_balanced = all_balanced && ok;
    o += std::string("<td class=\"") + (ok ? "ok\">yes" : "bad\">NO") + "</td></tr>\n";
  };
  for (const char* what : {"jobs", "samples", "transfers"}) {
    line(what, "all", json_at(c, {what}));
    for (const auto& m : modes) line(what, human_name(m), json_at(c, {"by_mode", m, what}));
  }
  o += "</table>\n<p>" + std::string(all_balanced ? "Every line balances." : "<strong>Some lines do not balance.</strong>") +
       "</p>\n</section>\n";
}

// The robotic labs: sample flow, where a sample's time goes, utilisation per
// station kind, robots and technicians, failures, and the bottleneck. Only
// when the report has a "labs" part (older reports have none).
void labs(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& ls = json_at(r, {"labs"});
  if (!ls.is_array() || ls.empty()) return;
  o += "<section id=\"labs\">\n<h2>Robotic labs</h2>\n<p>Per lab and mode, means per replication; samples summed "
       "over replications (created = measured + failed + discarded + in flight). People: the share of a sample's time "
       "spent waiting for or with a technician.</p>\n";
  for (const auto& l : ls) {
    o += "<h3>" + esc(json_string(json_at(l, {"name"}))) + "</h3>\n<p>Bottleneck (closed loop): <strong>" +
         esc(json_string(json_at(l, {"bottleneck"}), "none")) + "</strong>";
    const std::string at = json_string(json_at(l, {"modes", "closed_loop", "bottleneck", "text"}));
    if (!at.empty()) o += " (" + esc(at) + ")";
    o += "</p>\n";
    o += "<table>\n<tr><th>mode</th><th>created</th><th>measured</th><th>failed</th><th>in flight</th>"
         "<th>samples/day</th><th>turnaround, h</th><th>people share</th><th>lab share of cycle</th>"
         "<th>failed steps</th><th>breakdowns</th><th>robot jams</th><th>balanced</th></tr>\n";
    for (const auto& m : modes) {
      const ojson& x = json_at(l, {"modes", m});
      if (!x.is_object()) continue;
      const ojson& b = json_at(x, {"samples", "balanced"});
      const bool ok = b.is_boolean() && b.get<bool>();
      o += "<tr><td>" + esc(human_name(m)) + "</td>";
      for (const char* k : {"created", "measured", "failed", "in_flight"})
        o += "<td class=\"n\">" + num(json_at(x, {"samples", k}), 15) + "</td>";
      o += "<td class=\"n\">" + num(json_at(x, {"throughput_per_day"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"turnaround_mean_h"})) + "</td><td class=\"n\">" + num(json_at(x, {"people_share"})) +
           "</td><td class=\"n\">" + num(json_at(x, {"cycle_share"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"failures", "step_failures"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"failures", "station_breakdowns"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"failures", "robot_jams"})) + "</td>";
      o += std::string("<td class=\"") + (ok ? "ok\">yes" : "bad\">NO") + "</td></tr>\n";
    }
    o += "</table>\n<table>\n<tr><th>utilisation</th>";
    for (const auto& m : modes) o += "<th>" + esc(human_name(m)) + "</th>";
    o += "</tr>\n";
    const ojson& first = json_at(l, {"modes", modes.empty() ? std::string() : modes.front(), "utilisation"});
    if (first.is_object())
      for (const auto& [pool, v] : first.items()) {
        (void)v;
        o += "<tr><td>" + esc(pool) + "</td>";
        for (const auto& m : modes)
          o += "<td class=\"n\">" + num(json_at(l, {"modes", m, "utilisation", pool})) + "</td>";
        o += "</tr>\n";
      }
    o += "</table>\n";
  }
  o += "</section>\n";
}

void footer(std::string& o, const ojson& r) {
  o += "<footer>\n<p>Multiplier: " + esc(json_string(json_at(r, {"headline", "multiplier", "method"}))) + ".</p>\n";
  o += "<p>Time to first discovery: " +
       esc(json_string(json_at(r, {"headline", "time_to_first_discovery", "definition"}))) + ".</p>\n";
  o += "<p>Generated by Genesis Twin from report.json (schema " + esc(json_at(r, {"schema_version"}).dump()) +
       "); a self-contained file with no script.</p>\n</footer>\n";
}

}  // namespace

std::string html_style() {
  return R"(body{font-family:system-ui,"DejaVu Sans",Arial,sans-serif;color:#222;margin:0 auto;max-width:1000px;padding:0 20px 40px;line-height:1.4}
h1{font-size:1.6em;margin:0.8em 0 0.2em}h2{font-size:1.3em;margin-top:1.6em;border-bottom:2px solid #ddd;padding-bottom:4px}h3{font-size:1.1em;margin-top:1.2em}
.meta{color:#555;margin:0.2em 0}nav{margin:0.8em 0}nav a{margin-right:1em;color:#1b6ca8}
table{border-collapse:collapse;margin:0.6em 0;font-size:0.92em;display:block;max-width:100%;overflow-x:auto}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.n,td.m{text-align:right;white-space:nowrap}td.m{text-align:left}tr.total td{font-weight:bold;background:#fafafa}tr.carrier td{background:#eaf3fb}
.verdict{border-left:8px solid #999;background:#f7f7f7;padding:4px 18px 10px;margin-top:1em}.verdict.met{border-color:#1a9850;background:#eef8f0}.verdict.notmet{border-color:#c0392b;background:#fbeeee}
.verdict h2{border:none;margin-top:0.6em}.big{font-size:1.3em}.multiplier{font-size:1.4em}.ci{color:#555;font-size:0.9em}.goal{font-size:1.15em}.note{color:#8a5a00}
.swatch{display:inline-block;width:11px;height:11px;margin-right:6px;vertical-align:baseline}.tag{font-size:0.8em;background:#1b6ca8;color:#fff;padding:1px 5px;border-radius:3px}
figure{margin:0.8em 0}svg.chart{max-width:100%;height:auto}.pair{display:flex;flex-wrap:wrap;gap:20px}.pair figure{margin:0}
.caption{color:#555;font-size:0.9em}td.ok{color:#1a9850}td.bad{color:#c0392b;font-weight:bold}footer{margin-top:2em;color:#555;font-size:0.85em;border-top:1px solid #ddd}
)";
}

std::string render_html_report(const ojson& r) {
  const std::vector<std::string> modes = report_modes(r);
  const std::string name = json_string(json_at(r, {"scenario", "name"}), "unnamed scenario");
  std::string o;
  o.reserve(1 << 17);
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Genesis Twin report: " +
       esc(name) + "</title>\n<style>\n" + html_style() + "</style>\n</head>\n<body>\n";
  header(o, r, modes);
  verdict(o, r, modes);
  warnings(o, r);
  why(o, r);
  years(o, r, modes);
  milestones(o, r, modes);
  attribution(o, r);
  assumptions(o, r, modes);
  cycle(o, r, modes);
  campaigns(o, r, modes);
  resources(o, r, modes);
  labs(o, r, modes);
  cost(o, r, modes);
  access_section(o, r, modes);
  data_section(o, r, modes);
  conservation(o, r, modes);
  footer(o, r);
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace twin::reports

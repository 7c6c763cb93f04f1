// The report's section on the platform's data and models (report.json
// `data`, `models`) and on where discoveries came from (`lineage`).
#include "reports/HtmlData.hpp"

#include <algorithm>
#include <cmath>

#include "reports/HtmlText.hpp"
#include "reports/Svg.hpp"

namespace twin::reports {

namespace {

using ojson = nlohmann::ordered_json;

std::string esc(std::string_view s) { return escape_html(s); }
std::string num(const ojson& j, int sig = 3) { return j.is_number() ? format_number(json_number(j), sig) : "n/a"; }
std::string share(const ojson& j) { return j.is_number() ? format_percent(json_number(j)) : "n/a"; }
std::string interval(const ojson& m) {
  std::string s = num(json_at(m, {"mean"}));
  if (json_at(m, {"ci95_low"}).is_number())
    s += " <span class=\"ci\">(" + num(json_at(m, {"ci95_low"})) + " to " + num(json_at(m, {"ci95_high"})) + ")</span>";
  return s;
}

void datasets(std::string& o, const ojson& data, const std::vector<std::string>& modes) {
  o += "<h3>Datasets: what staging the data costs</h3>\n<table>\n<tr><th>dataset</th><th>mode</th><th>stagings asked</th>"
       "<th>cache hits</th><th>topped up</th><th>moved whole</th><th>TB moved</th><th>moving, h</th>"
       "<th>links offline, h</th><th>behind another staging, h</th><th>results appended</th></tr>\n";
  for (const auto& d : json_at(data, {"datasets"}))
    for (const auto& m : modes) {
      const ojson& x = json_at(d, {"by_mode", m});
      if (!x.is_object()) continue;
      o += "<tr><td>" + esc(json_string(json_at(d, {"name"}))) + " <span class=\"ci\">(" +
           esc(json_string(json_at(d, {"store"}))) + ", " + num(json_at(d, {"size_tb"})) + " TB, " +
           esc(json_string(json_at(d, {"classification"}))) + ")</span></td><td>" + esc(human_name(m)) +
           "</td><td class=\"n\">" + num(json_at(x, {"requests"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"cache_hits"})) + "</td><td class=\"n\">" + num(json_at(x, {"topped_up"})) +
           "</td><td class=\"n\">" + num(json_at(x, {"staged_whole"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"staged_tb"})) + "</td><td class=\"n\">" + num(json_at(x, {"moving_h"})) +
           "</td><td class=\"n\">" + num(json_at(x, {"links_offline_h"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"behind_another_staging_h"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"results_appended"})) + "</td></tr>\n";
    }
  o += "</table>\n";
  const ojson& camps = json_at(data, {"campaigns"});
  if (!camps.empty()) {
    o += "<table>\n<tr><th>campaign</th><th>mode</th><th>stagings</th><th>found in the cache</th><th>TB moved</th>"
         "<th>staging per cycle, h</th><th>share of its cycle time</th></tr>\n";
    for (const auto& c : camps)
      for (const auto& m : modes) {
        const ojson& x = json_at(c, {"by_mode", m});
        if (!x.is_object()) continue;
        o += "<tr><td>" + esc(json_string(json_at(c, {"campaign"}))) + "</td><td>" + esc(human_name(m)) +
             "</td><td class=\"n\">" + num(json_at(x, {"stagings"})) + "</td><td class=\"n\">" +
             share(json_at(x, {"cache_hit_rate"})) + "</td><td class=\"n\">" + num(json_at(x, {"staged_tb"})) +
             "</td><td class=\"n\">" + num(json_at(x, {"staging_h_per_cycle"})) + "</td><td class=\"n\">" +
             share(json_at(x, {"staging_share_of_cycle"})) + "</td></tr>\n";
      }
    o += "</table>\n";
  }
  std::string caches;
  for (const auto& m : modes)
    for (const auto& c : json_at(data, {"caches", m}))
      caches += "<tr><td>" + esc(json_string(json_at(c, {"name"}))) + "</td><td>" + esc(human_name(m)) +
                "</td><td class=\"n\">" + num(json_at(c, {"capacity_tb"})) + "</td><td class=\"n\">" +
                num(json_at(c, {"peak_tb"})) + "</td><td class=\"n\">" + num(json_at(c, {"evictions"})) + "</td></tr>\n";
  if (!caches.empty())
    o += "<table>\n<tr><th>cache</th><th>mode</th><th>capacity, TB</th><th>peak held, TB</th><th>evictions</th></tr>\n" +
         caches + "</table>\n";
}

void model_versions_chart(std::string& o, const ojson& model, const std::vector<std::string>& modes) {
  // The error of each version against the day it was ready, per mode.
  TrendChart chart;
  chart.title = "Model " + json_string(json_at(model, {"name"})) + ": prediction error of each version";
  chart.x_label = "version (day it was ready)";
  chart.y_label = "error sd, in sd of the truth";
  std::size_t n = 0;
  for (const auto& m : modes) n = std::max(n, json_at(model, {"by_mode", m, "versions"}).size());
  if (n == 0) return;
  for (std::size_t v = 0; v < n; ++v) {
    std::string label = "v" + std::to_string(v + 1);
    for (const auto& m : modes) {
      const ojson& vs = json_at(model, {"by_mode", m, "versions"});
      if (v < vs.size() && json_at(vs[v], {"ready_day"}).is_number()) {
        label += " (day " + num(json_at(vs[v], {"ready_day"}), 3) + ")";
        break;
      }
    }
    chart.categories.push_back(label);
  }
  for (const auto& m : modes) {
    const ojson& vs = json_at(model, {"by_mode", m, "versions"});
    if (vs.empty()) continue;
    TrendSeries s;
    s.name = human_name(m);
    s.color = mode_color(m);
    for (std::size_t v = 0; v < n; ++v)
      s.y.push_back(v < vs.size() && json_at(vs[v], {"error_sd"}).is_number() ? json_number(json_at(vs[v], {"error_sd"}))
                                                                               : NAN);
    chart.series.push_back(std::move(s));
  }
  chart.height_px = 240;
  o += "<figure>" + trend_chart_svg(chart) + "</figure>\n";
}

void models(std::string& o, const ojson& models, const std::vector<std::string>& modes) {
  o += "<h3>Foundation models: what they cost and what they buy</h3>\n";
  const ojson& bought = json_at(models, {"bought"});
  if (bought.is_object())
    o += "<p class=\"goal\">What the models bought the closed loop: <strong>" +
         interval(json_at(bought, {"gained_per_year"})) + "</strong> discoveries a year (" +
         num(json_at(bought, {"with_models_per_year"})) + " with them, " +
         num(json_at(bought, {"without_models_per_year"})) + " without); experiments per discovery " +
         num(json_at(bought, {"experiments_per_discovery", "with_models"})) + " with, " +
         num(json_at(bought, {"experiments_per_discovery", "without_models"})) + " without.</p>\n";
  const ojson& again = json_at(models, {"retraining_bought"});
  if (again.is_object())
    o += "<p class=\"goal\">What retraining bought (against each model trained once): <strong>" +
         interval(json_at(again, {"gained_per_year"})) + "</strong> discoveries a year for " +
         interval(json_at(again, {"extra_gpu_hours"})) + " more GPU-hours of training.</p>\n";
  o += "<table>\n<tr><th>model</th><th>mode</th><th>trainings</th><th>queued, h (mean)</th><th>running, h (mean)</th>"
       "<th>GPU-hours</th><th>energy, kWh</th><th>inference jobs</th><th>candidates ranked</th></tr>\n";
  for (const auto& md : json_at(models, {"models"}))
    for (const auto& m : modes) {
      const ojson& x = json_at(md, {"by_mode", m});
      if (!x.is_object()) continue;
      o += "<tr><td>" + esc(json_string(json_at(md, {"name"}))) + " <span class=\"ci\">(" +
           esc(json_string(json_at(md, {"domain"}))) + ", on " + esc(json_string(json_at(md, {"system"}))) + "; " +
           esc(json_string(json_at(md, {"retrain"}))) + ")</span></td><td>" + esc(human_name(m)) +
           "</td><td class=\"n\">" + num(json_at(x, {"trainings_finished"})) + "</td><td class=\"n\">" +
           num(json_at(x, {"queue_h_mean"})) + "</td><td class=\"n\">" + num(json_at(x, {"run_h_mean"})) +
           "</td><td class=\"n\">" + num(json_at(x, {"gpu_hours"}), 4) + "</td><td class=\"n\">" +
           num(json_at(x, {"energy_kwh"}), 4) + "</td><td class=\"n\">" + num(json_at(x, {"inference_jobs"})) +
           "</td><td class=\"n\">" + num(json_at(x, {"candidates_ranked"}), 4) + "</td></tr>\n";
    }
  o += "</table>\n";
  for (const auto& md : json_at(models, {"models"})) model_versions_chart(o, md, modes);
  o += "<p class=\"caption\">Each retraining costs its GPU-hours and queue wait; it is worth it while the error it "
       "removes (the drop from one version to the next) buys more discoveries than the HPC time it takes from the "
       "campaigns' simulations.</p>\n";
}

std::string hours(double s) { return format_number(s / 3600.0, 3) + " h"; }

void lineage(std::string& o, const ojson& lin, const std::vector<std::string>& modes) {
  const std::string mode = std::find(modes.begin(), modes.end(), "closed_loop") != modes.end() ? "closed_loop"
                           : modes.empty()                                                      ? ""
                                                                                                : modes.front();
  std::string body;
  for (const auto& c : json_at(lin, {"by_mode", mode})) {
    const ojson& recs = json_at(c, {"discoveries"});
    if (recs.empty()) continue;
    const std::string name = json_string(json_at(c, {"campaign"}));
    GanttChart g;
    g.title = name + ": the cycles of its first discoveries";
    g.x_label = "hours since the cycle's first stage";
    std::vector<std::string> seen;
    for (std::size_t k = 0; k < recs.size(); ++k) {
      const ojson& r = recs[k];
      g.row_labels.push_back("discovery " + std::to_string(k + 1));
      const ojson& steps = json_at(r, {"timeline"});
      if (steps.empty()) continue;
      const double t0 = json_number(json_at(steps[0], {"start_s"}));
      for (const auto& st : steps) {
        const std::string stage = json_string(json_at(st, {"stage"}));
        if (std::find(seen.begin(), seen.end(), stage) == seen.end()) seen.push_back(stage);
        const double a = json_number(json_at(st, {"start_s"})), b = json_number(json_at(st, {"end_s"}));
        g.bars.push_back({k, (a - t0) / 3600.0, (b - t0) / 3600.0, stage_color(stage, seen.size()),
                          json_string(json_at(st, {"what"})) + ": " + hours(b - a)});
      }
    }
    for (const auto& s : seen) {
      g.legend_names.push_back(human_name(s));
      g.legend_colors.push_back(stage_color(s, g.legend_names.size()));
    }
    body += "<figure>" + gantt_svg(g) + "</figure>\n<ol>\n";
    for (const auto& r : recs) {
      const ojson& dec = json_at(r, {"decision"});
      const ojson& scr = json_at(r, {"screening"});
      std::string line = "candidate " + esc(json_string(json_at(r, {"candidate"}))) + " (problem " +
                         num(json_at(r, {"problem"})) + ", experiment " + num(json_at(r, {"experiment"}), 6) +
                         "): chosen by " + esc(json_string(json_at(dec, {"policy"})));
      if (json_at(dec, {"model"}).is_string())
        line += " with model " + esc(json_string(json_at(dec, {"model"}))) + " v" + num(json_at(dec, {"model_version"}));
      line += " on day " + format_number(json_number(json_at(dec, {"decided_s"})) / 86400.0, 4);
      if (json_at(scr, {"inference_job"}).is_number())
        line += "; ranked by inference job " + num(json_at(scr, {"inference_job"}), 9) + " on " +
                esc(json_string(json_at(scr, {"inference_system"})));
      if (!json_at(scr, {"jobs"}).empty())
        line += "; simulated by job " + num(json_at(scr, {"jobs"})[0], 9) + " on " + esc(json_string(json_at(scr, {"system"})));
      // Consecutive transfers of the same thing (a staging's streams) read as one.
      std::string moved;
      const ojson& ts = json_at(r, {"transfers"});
      for (std::size_t t = 0; t < ts.size();) {
        const std::string what = json_string(json_at(ts[t], {"what"}));
        std::size_t u = t;
        double bytes = 0;
        while (u < ts.size() && json_string(json_at(ts[u], {"what"})) == what) bytes += json_number(json_at(ts[u++], {"bytes"}));
        const std::string ids = u - t > 1 ? num(json_at(ts[t], {"id"}), 9) + "\u2013#" + num(json_at(ts[u - 1], {"id"}), 9)
                                          : num(json_at(ts[t], {"id"}), 9);
        moved += (moved.empty() ? "" : ", ") + esc(what) + " (#" + ids + ", " + format_number(bytes / 1e9, 3) + " GB)";
        t = u;
      }
      if (!moved.empty()) line += "; moved " + moved;
      const ojson& lab = json_at(r, {"lab"});
      std::string units;
      for (const auto& u : json_at(lab, {"units"})) units += (units.empty() ? "" : " \u2192 ") + esc(json_string(u));
      line += "; sample " + num(json_at(lab, {"sample"}), 9) + " in " + esc(json_string(json_at(lab, {"name"}))) +
              (units.empty() ? "" : " (" + units + ", " + num(json_at(lab, {"robot_moves"})) + " robot moves)") +
              "; measured " + num(json_at(r, {"value"}), 4) + " on day " +
              format_number(json_number(json_at(r, {"end_s"})) / 86400.0, 4);
      body += "<li>" + line + "</li>\n";
    }
    body += "</ol>\n";
  }
  if (body.empty()) return;
  o += "<h3>Where the first discoveries came from (" + esc(human_name(mode)) + ", replication 0)</h3>\n" + body +
       "<p class=\"caption\">Job ids are those of jobs.csv, sample ids those of samples.csv, transfer ids those of "
       "lineage.jsonl (<code>--outputs csv,lineage</code>).</p>\n";
}

}  // namespace

void data_section(std::string& out, const ojson& report, const std::vector<std::string>& modes) {
  std::string o;
  const ojson& data = json_at(report, {"data"});
  const ojson& mods = json_at(report, {"models"});
  if (json_at(data, {"enabled"}).is_boolean() && json_at(data, {"enabled"}).get<bool>()) datasets(o, data, modes);
  if (json_at(mods, {"enabled"}).is_boolean() && json_at(mods, {"enabled"}).get<bool>()) models(o, mods, modes);
  lineage(o, json_at(report, {"lineage"}), modes);
  if (o.empty()) return;
  out += "<section id=\"data\">\n<h2>Data, models and lineage</h2>\n" + o + "</section>\n";
}

}  // namespace twin::reports

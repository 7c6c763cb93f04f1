#include "twin/sweep/SweepReport.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "reports/HtmlText.hpp"
#include "reports/Report.hpp"
#include "reports/Svg.hpp"
#include "twin/Output.hpp"
#include "twin/SimResultJson.hpp"
#include "twin/sweep/Sensitivity.hpp"

namespace twin::sweep {

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

double r6(double x) { return reports::round_sig(x, 6); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_number(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", *v);
  return buf;
}

std::string csv_json_value(const ojson& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_field(v.get<std::string>());
  if (v.is_number()) return csv_number(v.get<double>());
  return csv_field(v.dump());
}

std::optional<double> opt_number(const ojson& v) {
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

ojson effects_json(const SensitivityResult& s) {
  ojson o;
  o["n_variants"] = s.n_variants;
  o["r_squared"] = r6(s.r_squared);
  ojson ranking = ojson::array();
  for (const auto& e : s.effects) {
    ojson x;
    x["rank"] = e.rank;
    x["parameter"] = e.name;
    x["kind"] = e.kind;
    x["coefficient"] = r6(e.coefficient);
    x["swing_factor"] = r6(e.swing_factor);
    x["best_value"] = e.best_level;
    ranking.push_back(x);
  }
  o["ranking"] = ranking;
  return o;
}

// ---- HTML

const char* const CSS = R"CSS(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9em;margin:.6em 0}th,td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,.l{text-align:left}.bad{color:#b00020}.note{color:#666;font-size:.9em}
.multiples{display:flex;flex-wrap:wrap;gap:12px}.multiples svg{border:1px solid #eee}
pre{background:#f6f6f6;padding:.6em;overflow:auto;font-size:.85em}
)CSS";

/// One small multiple: each variant's multiplier (dot) with its interval
/// (whisker) against one parameter's value, the mean of the variants at each
/// value joined by a line, and the x2 goal dashed.
std::string multiple_svg(const std::string& title, const std::vector<ojson>& xs, const std::vector<double>& y,
                         const std::vector<double>& lo, const std::vector<double>& hi, double goal) {
  const double W = 340, H = 240, L = 48, R = 12, T = 28, B = 40;
  bool numeric = true;
  for (const auto& x : xs) numeric = numeric && x.is_number();
  std::map<std::string, int> cats;
  if (!numeric) {
    for (const auto& x : xs) cats.emplace(x.is_string() ? x.get<std::string>() : x.dump(), 0);
    int i = 0;
    for (auto& [k, v] : cats) v = i++;
  }
  auto xval = [&](const ojson& x) {
    return numeric ? x.get<double>() : static_cast<double>(cats.at(x.is_string() ? x.get<std::string>() : x.dump()));
  };
  double xmin = INFINITY, xmax = -INFINITY, ymin = 0, ymax = goal;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(y[i])) continue;
    xmin = std::min(xmin, xval(xs[i]));
    xmax = std::max(xmax, xval(xs[i]));
    ymax = std::max({ymax, y[i], std::isfinite(hi[i]) ? hi[i] : y[i]});
  }
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << reports::format_coord(W) << "\" height=\""
    << reports::format_coord(H) << "\" viewBox=\"0 0 " << reports::format_coord(W) << " " << reports::format_coord(H)
    << "\" role=\"img\"><title>" << reports::escape_html(title) << "</title>";
  s << "<text x=\"" << reports::format_coord(L) << "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">"
    << reports::escape_html(title) << "</text>";
  if (!std::isfinite(xmin)) {
    s << "<text x=\"" << reports::format_coord(L) << "\" y=\"" << reports::format_coord(H / 2)
      << "\" font-size=\"12\">no finished run</text></svg>";
    return s.str();
  }
  if (xmax == xmin) {
    xmin -= 0.5;
    xmax += 0.5;
  }
  const double pad = (xmax - xmin) * 0.08;
  xmin -= pad;
  xmax += pad;
  const std::vector<double> yt = reports::nice_ticks(ymin, ymax * 1.05, 5);
  if (!yt.empty()) ymax = std::max(ymax, yt.back());
  auto px = [&](double x) { return L + (x - xmin) / (xmax - xmin) * (W - L - R); };
  auto py = [&](double v) { return T + (1 - (v - ymin) / (ymax - ymin)) * (H - T - B); };
  // Axes and ticks.
  s << "<g font-size=\"10\" fill=\"#555\">";
  for (double t : yt) {
    s << "<line x1=\"" << reports::format_coord(L) << "\" x2=\"" << reports::format_coord(W - R) << "\" y1=\""
      << reports::format_coord(py(t)) << "\" y2=\"" << reports::format_coord(py(t)) << "\" stroke=\"#eee\"/>";
    s << "<text x=\"" << reports::format_coord(L - 4) << "\" y=\"" << reports::format_coord(py(t) + 3)
      << "\" text-anchor=\"end\">" << reports::format_number(t) << "</text>";
  }
  if (numeric) {
    for (double t : reports::nice_ticks(xmin + pad, xmax - pad, 4))
      s << "<text x=\"" << reports::format_coord(px(t)) << "\" y=\"" << reports::format_coord(H - B + 14)
        << "\" text-anchor=\"middle\">" << reports::format_number(t) << "</text>";
  } else {
    for (const auto& [k, v] : cats)
      s << "<text x=\"" << reports::format_coord(px(v)) << "\" y=\"" << reports::format_coord(H - B + 14)
        << "\" text-anchor=\"middle\">" << reports::escape_html(k) << "</text>";
  }
  s << "<text x=\"" << reports::format_coord((L + W - R) / 2) << "\" y=\"" << reports::format_coord(H - 6)
    << "\" text-anchor=\"middle\">" << reports::escape_html(title) << "</text></g>";
  s << "<line x1=\"" << reports::format_coord(L) << "\" x2=\"" << reports::format_coord(W - R) << "\" y1=\""
    << reports::format_coord(py(goal)) << "\" y2=\"" << reports::format_coord(py(goal))
    << "\" stroke=\"#b00020\" stroke-dasharray=\"4 3\"/><text x=\"" << reports::format_coord(W - R) << "\" y=\""
    << reports::format_coord(py(goal) - 3) << "\" font-size=\"10\" fill=\"#b00020\" text-anchor=\"end\">goal x"
    << reports::format_number(goal) << "</text>";
  // Mean per value, joined.
  std::map<double, std::pair<double, int>> means;
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (std::isfinite(y[i])) {
      auto& m = means[xval(xs[i])];
      m.first += y[i];
      m.second += 1;
    }
  std::string pts;
  for (const auto& [x, m] : means)
    pts += (pts.empty() ? "" : " ") + reports::format_coord(px(x)) + "," + reports::format_coord(py(m.first / m.second));
  s << "<polyline fill=\"none\" stroke=\"" << reports::COLOR_OTHER << "\" stroke-width=\"1.5\" points=\"" << pts << "\"/>";
  // Variants: whisker and dot, slightly spread when they share an x.
  std::map<double, int> seen;
  const double spread = std::min(6.0, (W - L - R) / (4.0 * std::max<std::size_t>(1, means.size())));
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(y[i])) continue;
    const double xv = xval(xs[i]);
    const int k = seen[xv]++;
    const double X = px(xv) + (k % 2 == 0 ? 1 : -1) * ((k + 1) / 2) * spread / 2;
    if (std::isfinite(lo[i]) && std::isfinite(hi[i]))
      s << "<line x1=\"" << reports::format_coord(X) << "\" x2=\"" << reports::format_coord(X) << "\" y1=\""
        << reports::format_coord(py(lo[i])) << "\" y2=\"" << reports::format_coord(py(hi[i])) << "\" stroke=\""
        << reports::COLOR_CLOSED_LOOP << "\" stroke-opacity=\"0.6\"/>";
    s << "<circle cx=\"" << reports::format_coord(X) << "\" cy=\"" << reports::format_coord(py(y[i]))
      << "\" r=\"3\" fill=\"" << reports::COLOR_CLOSED_LOOP << "\"/>";
  }
  s << "</svg>";
  return s.str();
}

std::string fmt(const ojson& v) {
  return v.is_number() ? reports::format_number(v.get<double>()) : std::string("n/a");
}

std::string sensitivity_table(const ojson& s, const std::string& figure) {
  std::ostringstream h;
  h << "<table><tr><th>rank</th><th class=\"l\">parameter</th><th>moves " << reports::escape_html(figure)
    << " across its range by</th><th>kind</th><th>coefficient</th><th>best value</th></tr>";
  for (const auto& e : s["ranking"]) {
    h << "<tr><td>" << e["rank"].get<int>() << "</td><td class=\"l\">" << reports::escape_html(e["parameter"].get<std::string>())
      << "</td><td>x" << fmt(e["swing_factor"]) << "</td><td>" << reports::escape_html(e["kind"].get<std::string>())
      << "</td><td>" << fmt(e["coefficient"]) << "</td><td>" << reports::escape_html(e["best_value"].get<std::string>())
      << "</td></tr>";
  }
  h << "</table><p class=\"note\">" << s["n_variants"].get<int>() << " variants, R&sup2; = " << fmt(s["r_squared"])
    << "</p>";
  return h.str();
}

}  // namespace

ojson build_sweep_summary(SweepStore& store, const SweepSpec& spec,
                          const std::vector<std::optional<core::ScenarioFacts>>& facts) {
  const auto params = store.parameters();
  const auto variants = store.variants();
  const auto runs = store.runs(true, false);
  ojson s;
  s["sweep_version"] = 1;
  s["name"] = spec.name;
  s["base"] = spec.base_label;
  s["design"] = {{"kind", design_name(spec.design)}};
  if (spec.design != DesignKind::GRID) {
    s["design"]["samples"] = spec.samples;
    s["design"]["seed"] = spec.design_seed;
  }
  int reps = 0;
  for (const auto& f : facts)
    if (f) reps = f->replications;
  s["replications"] = reps;
  ojson ps = ojson::array();
  for (const auto& p : params) ps.push_back({{"name", p.name}, {"pointer", p.pointer}});
  s["parameters"] = ps;
  s["goal"] = reports::PRODUCTIVITY_GOAL;

  // Per variant: its runs' simulations, in replication order, into one report.
  std::map<int, std::vector<const RunRecord*>> by_variant;
  for (const auto& r : runs) by_variant[r.variant].push_back(&r);
  ojson vs = ojson::array(), invalid = ojson::array(), failed = ojson::array();
  std::vector<std::vector<json>> xs;
  std::vector<double> y_mult, y_dpy;
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  ojson best;
  std::size_t n_runs = 0, n_ok = 0;
  for (const auto& v : variants) {
    ojson o;
    o["variant"] = v.variant;
    o["label"] = v.label;
    o["values"] = ojson::parse(v.values_json);
    o["status"] = v.status;
    if (v.status != "valid") {
      o["error"] = v.error;
      invalid.push_back({{"variant", v.variant}, {"label", v.label}, {"error", v.error}});
      vs.push_back(o);
      continue;
    }
    core::RunResult rr;
    int ok = 0, bad = 0;
    for (const RunRecord* r : by_variant[v.variant]) {
      ++n_runs;
      if (r->status != "ok") {
        ++bad;
        failed.push_back({{"variant", r->variant}, {"replication", r->replication}, {"error", r->error}});
        continue;
      }
      ++ok;
      const json result = json::parse(r->result_json);
      for (const auto& sj : result.at("sims")) rr.sims.push_back(sim_result_from_json(sj));
    }
    n_ok += static_cast<std::size_t>(ok);
    o["runs_ok"] = ok;
    o["runs_failed"] = bad;
    std::vector<json> xv;
    const ojson values = ojson::parse(v.values_json);
    for (const auto& val : values) xv.push_back(json::parse(val.dump()));
    double ym = NAN, yd = NAN;
    if (ok > 0 && facts[static_cast<std::size_t>(v.variant)]) {
      rr.scenario = *facts[static_cast<std::size_t>(v.variant)];
      rr.scenario.replications = ok;
      const reports::Headline h = reports::compute_figures(rr).headline;
      const ojson m = reports::multiplier_json(h.multiplier);
      o["multiplier"] = {{"value", m["value"]},         {"ci95_low", m["ci95_low"]}, {"ci95_high", m["ci95_high"]},
                         {"censored", m["censored"]}, {"display", m["display"]}};
      o["goal_met"] = h.goal_met;
      o["discoveries_per_year"] = reports::discoveries_per_year_json(h);
      if (const auto v = reports::rounded(h.multiplier.value)) ym = *v;
      const auto d = h.discoveries_per_year.find("closed_loop");
      if (d != h.discoveries_per_year.end()) yd = reports::round_sig(d->second.mean);
      if (std::isfinite(ym) && (best.is_null() || ym > best["multiplier"].get<double>()))
        best = {{"variant", v.variant}, {"label", v.label}, {"multiplier", ym}};
    } else {
      o["multiplier"] = nullptr;
      o["goal_met"] = nullptr;
      o["discoveries_per_year"] = nullptr;
    }
    xs.push_back(std::move(xv));
    y_mult.push_back(ym);
    y_dpy.push_back(yd);
    vs.push_back(o);
  }
  s["runs"] = {{"recorded", n_runs}, {"ok", n_ok}, {"failed", n_runs - n_ok}};
  s["variants"] = vs;
  s["invalid_variants"] = invalid;
  s["failed_runs"] = failed;
  s["best_variant"] = best;
  const SensitivityResult sm = regress_sensitivity(names, xs, y_mult);
  const SensitivityResult sd = regress_sensitivity(names, xs, y_dpy);
  s["sensitivity"] = {{"method", sm.method},
                      {"multiplier", effects_json(sm)},
                      {"discoveries_per_year_closed_loop", effects_json(sd)}};
  return s;
}

std::string sweep_summary_text(const ojson& s) {
  std::ostringstream o;
  o << "Sweep " << s["name"].get<std::string>() << ": " << s["runs"]["ok"].get<std::size_t>() << " runs ok, "
    << s["runs"]["failed"].get<std::size_t>() << " failed, " << s["invalid_variants"].size() << " invalid variants\n";
  if (!s["best_variant"].is_null())
    o << "  highest multiplier: x" << reports::format_number(s["best_variant"]["multiplier"].get<double>())
      << " (variant " << s["best_variant"]["variant"].get<int>() << ": " << s["best_variant"]["label"].get<std::string>()
      << ")\n";
  o << "  what moves the multiplier most:";
  for (const auto& e : s["sensitivity"]["multiplier"]["ranking"])
    o << " " << e["parameter"].get<std::string>() << " (x" << reports::format_number(e["swing_factor"].get<double>())
      << ")";
  o << "\n";
  return o.str();
}

std::string render_sweep_html(const ojson& s) {
  std::ostringstream h;
  const std::string name = s["name"].get<std::string>();
  const double goal = s["goal"].get<double>();
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep " << reports::escape_html(name)
    << "</title><style>" << CSS << "</style></head><body>";
  h << "<h1>Sweep " << reports::escape_html(name) << "</h1><p>Base scenario "
    << reports::escape_html(s["base"].get<std::string>()) << "; design "
    << reports::escape_html(s["design"]["kind"].get<std::string>()) << "; " << s["variants"].size() << " variants x "
    << s["replications"].get<int>() << " replications; " << s["runs"]["ok"].get<std::size_t>() << " runs ok, "
    << s["runs"]["failed"].get<std::size_t>() << " failed, " << s["invalid_variants"].size()
    << " invalid variants.</p>";
  if (!s["best_variant"].is_null())
    h << "<p><b>Highest multiplier: x" << reports::format_number(s["best_variant"]["multiplier"].get<double>())
      << "</b>, variant " << s["best_variant"]["variant"].get<int>() << " ("
      << reports::escape_html(s["best_variant"]["label"].get<std::string>()) << ").</p>";

  h << "<h2>What moves the goal</h2>";
  h << "<h3>Productivity multiplier (closed loop / baseline)</h3>"
    << sensitivity_table(s["sensitivity"]["multiplier"], "the multiplier");
  h << "<h3>Discoveries per year, closed loop</h3>"
    << sensitivity_table(s["sensitivity"]["discoveries_per_year_closed_loop"], "discoveries/year");
  h << "<p class=\"note\">Method: " << reports::escape_html(s["sensitivity"]["method"].get<std::string>()) << ".</p>";

  h << "<h2>Multiplier against each parameter</h2><p class=\"note\">Each dot is a variant's multiplier over its "
       "replications, its whisker the 95 % interval (bootstrap over paired replications, as in report.json); the grey "
       "line joins the mean at each value; the red dashes are the x"
    << reports::format_number(goal) << " goal.</p><div class=\"multiples\">";
  const auto& vs = s["variants"];
  for (const auto& p : s["parameters"]) {
    const std::string pn = p["name"].get<std::string>();
    std::vector<ojson> xs;
    std::vector<double> y, lo, hi;
    for (const auto& v : vs) {
      if (v["status"] != "valid") continue;
      xs.push_back(v["values"][pn]);
      const ojson& m = v["multiplier"];
      y.push_back(m.is_object() && m["value"].is_number() ? m["value"].get<double>() : NAN);
      lo.push_back(m.is_object() && m["ci95_low"].is_number() ? m["ci95_low"].get<double>() : NAN);
      hi.push_back(m.is_object() && m["ci95_high"].is_number() ? m["ci95_high"].get<double>() : NAN);
    }
    h << multiple_svg(pn, xs, y, lo, hi, goal);
  }
  h << "</div>";

  h << "<h2>Variants</h2><table><tr><th>variant</th>";
  for (const auto& p : s["parameters"]) h << "<th>" << reports::escape_html(p["name"].get<std::string>()) << "</th>";
  h << "<th>runs ok</th><th>failed</th><th>multiplier</th><th>95 % interval</th><th>closed loop /yr</th>"
       "<th>baseline /yr</th></tr>";
  for (const auto& v : vs) {
    h << "<tr><td>" << v["variant"].get<int>() << "</td>";
    for (const auto& p : s["parameters"]) {
      const ojson& x = v["values"][p["name"].get<std::string>()];
      h << "<td>" << reports::escape_html(x.is_string() ? x.get<std::string>() : x.dump()) << "</td>";
    }
    if (v["status"] != "valid") {
      h << "<td colspan=\"6\" class=\"bad\">invalid</td></tr>";
      continue;
    }
    const ojson& m = v["multiplier"];
    h << "<td>" << v["runs_ok"].get<int>() << "</td><td" << (v["runs_failed"].get<int>() ? " class=\"bad\"" : "")
      << ">" << v["runs_failed"].get<int>() << "</td>";
    if (m.is_object()) {
      h << "<td>" << reports::escape_html(m["display"].is_string() ? m["display"].get<std::string>() : "n/a")
        << "</td><td>" << fmt(m["ci95_low"]) << " &ndash; " << fmt(m["ci95_high"]) << "</td>";
      h << "<td>" << fmt(reports::json_at(v, {"discoveries_per_year", "closed_loop", "mean"})) << "</td><td>"
        << fmt(reports::json_at(v, {"discoveries_per_year", "baseline", "mean"})) << "</td>";
    } else {
      h << "<td colspan=\"4\">no finished run</td>";
    }
    h << "</tr>";
  }
  h << "</table>";
  if (!s["invalid_variants"].empty()) {
    h << "<h2>Invalid variants</h2><pre>";
    for (const auto& v : s["invalid_variants"]) h << reports::escape_html(v["error"].get<std::string>()) << "\n";
    h << "</pre>";
  }
  if (!s["failed_runs"].empty()) {
    h << "<h2>Failed runs</h2><p class=\"note\">Their stderr is in runs.stderr of sweep.sqlite.</p><table>"
         "<tr><th>variant</th><th>replication</th><th>what happened</th></tr>";
    for (const auto& r : s["failed_runs"])
      h << "<tr><td>" << r["variant"].get<int>() << "</td><td>" << r["replication"].get<int>() << "</td><td>"
        << reports::escape_html(r["error"].get<std::string>()) << "</td></tr>";
    h << "</table>";
  }
  h << "</body></html>\n";
  return h.str();
}

SweepReportFiles write_sweep_report(SweepStore& store, const SweepSpec& spec,
                                    const std::vector<std::optional<core::ScenarioFacts>>& facts,
                                    const std::string& out) {
  namespace fs = std::filesystem;
  SweepReportFiles f;
  const ojson summary = build_sweep_summary(store, spec, facts);
  f.summary_json = (fs::path(out) / "sweep-summary.json").string();
  f.html = (fs::path(out) / "sweep.html").string();
  f.variants_csv = (fs::path(out) / "variants.csv").string();
  f.runs_csv = (fs::path(out) / "runs.csv").string();
  write_file_atomic(f.summary_json, summary.dump(2) + "\n");
  write_file_atomic(f.html, render_sweep_html(summary));
  f.summary_text = sweep_summary_text(summary);

  const auto params = store.parameters();
  std::ostringstream vc;
  vc << "variant,label,status";
  for (const auto& p : params) vc << "," << csv_field(p.name);
  vc << ",runs_ok,runs_failed,multiplier,multiplier_ci95_low,multiplier_ci95_high,multiplier_censored,"
        "discoveries_per_year_closed_loop,discoveries_per_year_baseline\n";
  for (const auto& v : summary["variants"]) {
    vc << v["variant"].get<int>() << "," << csv_field(v["label"].get<std::string>()) << "," << v["status"].get<std::string>();
    for (const auto& p : params) vc << "," << csv_json_value(v["values"][p.name]);
    const ojson& m = reports::json_at(v, {"multiplier"});
    vc << "," << (v.contains("runs_ok") ? std::to_string(v["runs_ok"].get<int>()) : "") << ","
       << (v.contains("runs_failed") ? std::to_string(v["runs_failed"].get<int>()) : "") << ","
       << csv_number(opt_number(reports::json_at(m, {"value"}))) << ","
       << csv_number(opt_number(reports::json_at(m, {"ci95_low"}))) << ","
       << csv_number(opt_number(reports::json_at(m, {"ci95_high"}))) << ","
       << (m.is_object() ? (m["censored"] == true ? "1" : "0") : "") << ","
       << csv_number(opt_number(reports::json_at(v, {"discoveries_per_year", "closed_loop", "mean"}))) << ","
       << csv_number(opt_number(reports::json_at(v, {"discoveries_per_year", "baseline", "mean"}))) << "\n";
  }
  write_file_atomic(f.variants_csv, vc.str());

  std::map<int, ojson> values;
  for (const auto& v : summary["variants"]) values[v["variant"].get<int>()] = v["values"];
  std::ostringstream rc;
  rc << "variant,replication";
  for (const auto& p : params) rc << "," << csv_field(p.name);
  rc << ",status,multiplier,multiplier_censored,discoveries_per_year_closed_loop,discoveries_per_year_baseline,"
        "discoveries_closed_loop,discoveries_baseline,ttfd_ratio";
  for (const auto& o : spec.outputs) rc << "," << csv_field(o.name);
  rc << ",error\n";
  for (const auto& r : store.runs(false, false)) {
    rc << r.variant << "," << r.replication;
    for (const auto& p : params) rc << "," << csv_json_value(values[r.variant][p.name]);
    rc << "," << r.status << "," << csv_number(r.multiplier) << "," << (r.multiplier_censored ? 1 : 0) << ","
       << csv_number(r.dpy_closed_loop) << "," << csv_number(r.dpy_baseline) << ","
       << csv_number(r.discoveries_closed_loop) << "," << csv_number(r.discoveries_baseline) << ","
       << csv_number(r.ttfd_ratio);
    std::map<std::string, std::string> outs(r.outputs.begin(), r.outputs.end());
    for (const auto& o : spec.outputs) {
      auto it = outs.find(o.name);
      rc << "," << (it == outs.end() ? std::string() : csv_json_value(ojson::parse(it->second)));
    }
    rc << "," << csv_field(r.error) << "\n";
  }
  write_file_atomic(f.runs_csv, rc.str());
  return f;
}

}  // namespace twin::sweep

#include "reports/Report.hpp"

#include <cstdio>

#include "reports/Access.hpp"
#include "reports/Data.hpp"
#include "reports/HtmlText.hpp"

namespace twin::reports {

using ojson = nlohmann::ordered_json;

namespace {

double r6(double x) { return round_sig(x, 6); }

ojson opt(const Opt& x) {
  const Opt r = rounded(x);
  return r ? ojson(*r) : ojson(nullptr);
}

ojson mean_ci_json(const MeanCi& m) {
  ojson o;
  o["mean"] = r6(m.mean);
  o["ci95_low"] = opt(m.low);
  o["ci95_high"] = opt(m.high);
  return o;
}

ojson conservation_json(const core::Conservation& c, const char* finished = "finished") {
  ojson o;
  o["created"] = c.created;
  o[finished] = c.finished;
  o["failed"] = c.failed;
  o["discarded"] = c.discarded;
  o["in_flight"] = c.in_flight;
  o["holds"] = c.holds;
  o["balanced"] = c.balanced();
  return o;
}

ojson series(const std::vector<double>& v) {
  ojson out = ojson::array();
  for (double x : v) out.push_back(r6(x));
  return out;
}

ojson scenario_json(const core::ScenarioFacts& sc) {
  ojson s;
  s["name"] = sc.name;
  s["seed"] = sc.seed;
  s["start_date"] = sc.start_date;
  s["horizon_days"] = r6(sc.horizon_s / 86400.0);
  s["replications"] = sc.replications;
  s["modes"] = sc.modes;
  return s;
}

}  // namespace

ojson multiplier_json(const Multiplier& m) {
  ojson o;
  o["value"] = opt(m.value);
  o["ci95_low"] = opt(m.ci95_low);
  o["ci95_high"] = opt(m.ci95_high);
  o["method"] = m.method;
  o["n_replications"] = m.n_replications;
  o["censored"] = m.censored;
  o["display"] = m.display;
  o["note"] = m.note;
  return o;
}

ojson discoveries_per_year_json(const Headline& h) {
  ojson per;
  for (const auto& [mode, m] : h.discoveries_per_year) per[mode] = mean_ci_json(m);
  return per;
}

namespace {

ojson first_discovery_json(const Headline& h) {
  ojson t;
  for (const auto& [mode, f] : h.first_discovery) {
    ojson m;
    m["median_days"] = r6(f.median_s / 86400.0);
    m["censored"] = f.censored;
    m["without_discovery"] = f.without_discovery;
    t[mode] = m;
  }
  t["ratio"] = opt(h.first_discovery_ratio);
  t["ratio_censored"] = h.first_discovery_ratio_censored;
  t["definition"] = "median over replications of the time to the first discovery of any campaign; ratio = baseline / closed_loop; a replication without a discovery counts as the horizon (censored)";
  return t;
}

ojson why_json(const Why& w) {
  ojson o, f, n;
  f["fewer_experiments_per_discovery"] = opt(w.fewer_experiments_per_discovery);
  f["more_experiments_per_cycle"] = opt(w.more_experiments_per_cycle);
  f["more_cycles_shorter_cycles"] = opt(w.more_cycles_shorter_cycles);
  o["factors"] = f;
  for (const auto& [mode, x] : {std::pair{"closed_loop", &w.closed_loop}, std::pair{"baseline", &w.baseline}})
    n[mode] = {{"experiments_per_discovery", opt(x->experiments_per_discovery)},
               {"experiments_per_cycle", opt(x->experiments_per_cycle)},
               {"cycles_per_year", opt(x->cycles_per_year)}};
  o["numbers"] = n;
  o["carried_by"] = w.carried_by.empty() ? ojson(nullptr) : ojson(w.carried_by);
  o["identity"] = "multiplier = fewer_experiments_per_discovery x more_experiments_per_cycle x more_cycles_shorter_cycles";
  return o;
}

ojson headline_json(const Headline& h) {
  ojson o;
  o["multiplier"] = multiplier_json(h.multiplier);
  o["goal"] = h.goal;
  o["goal_met"] = h.goal_met;
  o["goal_met_at_95"] = h.goal_met_at_95;
  o["discovery_definition"] = h.discovery_definition;
  ojson cost;
  o["discoveries_per_year"] = discoveries_per_year_json(h);
  o["time_to_first_discovery"] = first_discovery_json(h);
  o["why"] = why_json(h.why);
  for (const auto& [mode, c] : h.cost_per_discovery)
    cost[mode] = {{"node_hours", opt(c.node_hours)}, {"lab_hours", opt(c.lab_hours)}, {"energy_kwh", opt(c.energy_kwh)},
                  {"dollars", opt(c.dollars)}};
  o["cost_per_discovery"] = cost;
  o["goal_year"] = {{"year", h.goal_year.year ? ojson(*h.goal_year.year) : ojson(nullptr)},
                    {"year_at_95", h.goal_year.year_at_95 ? ojson(*h.goal_year.year_at_95) : ojson(nullptr)},
                    {"definition", h.goal_year.definition}};
  const BuyNext& b = h.buy_next;
  if (b.mode.empty())
    o["buy_next"] = nullptr;
  else
    o["buy_next"] = {{"mode", b.mode},
                     {"stage", b.stage},
                     {"resource", b.resource.empty() ? ojson(nullptr) : ojson(b.resource)},
                     {"kind", b.kind.empty() ? ojson(nullptr) : ojson(b.kind)},
                     {"change", b.change},
                     {"why", b.why.empty() ? ojson(nullptr) : ojson(b.why)},
                     {"text", b.text()},
                     {"basis", BUY_NEXT_BASIS}};
  return o;
}

ojson interval_json(const Multiplier& m) {
  return {{"value", opt(m.value)}, {"ci95_low", opt(m.ci95_low)}, {"ci95_high", opt(m.ci95_high)}, {"censored", m.censored}};
}

ojson years_json(const std::vector<YearFigures>& years) {
  ojson out = ojson::array();
  for (const auto& y : years) {
    ojson o, dpy;
    o["year"] = y.year;
    o["start_date"] = y.start_date;
    o["days"] = r6(y.days);
    for (const auto& [mode, v] : y.discoveries_per_year) dpy[mode] = r6(v);
    o["discoveries_per_year"] = dpy;
    o["multiplier"] = interval_json(y.multiplier);
    o["vs_first_year_baseline"] = interval_json(y.vs_first_year_baseline);
    const YearFigures::Capacity& c = y.capacity;
    o["capacity_online"] = {{"hpc_systems", r6(c.hpc_systems)}, {"nodes", r6(c.nodes)},
                            {"gpus", r6(c.gpus)},       {"rmax_pflops", r6(c.rmax_pflops)},
                            {"labs", r6(c.labs)},       {"stations", r6(c.stations)},
                            {"robots", r6(c.robots)},   {"links", r6(c.links)},
                            {"link_capacity_gbps", r6(c.link_capacity_gbps)}, {"basis", CAPACITY_BASIS}};
    out.push_back(o);
  }
  return out;
}

ojson attribution_json(const Attribution& a) {
  ojson o;
  o["method"] = a.method;
  o["explanation"] = a.explanation;
  o["baseline_discoveries_per_year"] = opt(a.baseline_discoveries_per_year);
  ojson steps = ojson::array();
  for (const auto& s : a.steps) {
    ojson x;
    x["name"] = s.name;
    x["description"] = s.description;
    if (a.method == "ladder") x["mode"] = s.mode;
    x["discoveries_per_year"] = opt(s.discoveries_per_year);
    x["factor"] = opt(s.factor);
    x["ci95_low"] = opt(s.ci95_low);
    x["ci95_high"] = opt(s.ci95_high);
    x["log_factor"] = opt(s.log_factor);
    steps.push_back(x);
  }
  o["steps"] = steps;
  o["product"] = opt(a.product);
  o["same_in_both_modes"] = a.same_in_both;
  o["simulations"] = a.simulations;
  o["note"] = a.note;
  return o;
}

ojson campaign_mode_json(const CampaignMode& c) {
  ojson m;
  m["policy"] = c.policy;
  m["discoveries"] = mean_ci_json(c.discoveries);
  m["discoveries_per_year"] = mean_ci_json(c.discoveries_per_year);
  m["experiments"] = r6(c.experiments);
  m["failed_experiments"] = r6(c.failed_experiments);
  m["simulations"] = r6(c.simulations);
  m["cycles"] = r6(c.cycles);
  m["time_to_first_discovery"] = {{"median_days", r6(c.first_median_s / 86400.0)},
                                  {"p90_days", r6(c.first_p90_s / 86400.0)},
                                  {"without_discovery", c.without_discovery},
                                  {"censored", c.first_censored}};
  m["cost"] = {{"node_hours", r6(c.node_hours)}, {"lab_hours", r6(c.lab_hours)}, {"energy_kwh", r6(c.energy_kwh)}};
  ojson best = ojson::array();
  for (const auto& b : c.best_over_time) best.push_back({r6(b[0]), r6(b[1]), r6(b[2])});
  m["best_over_time"] = best;
  m["best_over_time_columns"] = {"day", "experiments", "best_value"};
  ojson gantt = ojson::array();
  for (const auto& st : c.first_cycles) gantt.push_back({st.cycle, st.stage, r6(st.start_s / 3600.0), r6(st.end_s / 3600.0)});
  m["first_cycles"] = gantt;
  m["first_cycles_columns"] = {"cycle", "stage", "start_h", "end_h"};
  return m;
}

ojson campaigns_json(const std::vector<CampaignFigures>& campaigns) {
  ojson out = ojson::array();
  for (const auto& c : campaigns) {
    ojson o, per;
    o["name"] = c.name;
    o["kernel"] = c.kernel;
    o["target"] = c.target;
    o["hpc"] = c.hpc;
    o["lab"] = c.lab;
    for (const auto& [mode, m] : c.modes) per[mode] = campaign_mode_json(m);
    o["modes"] = per;
    out.push_back(o);
  }
  return out;
}

ojson resource_json(const ResourceFigures& r) {
  ojson o, per;
  o["name"] = r.name;
  if (!r.lab.empty()) o["lab"] = r.lab;
  if (r.kind == "link") o["bandwidth_gbps"] = r6(r.capacity * 8 / 1e9);
  else o["capacity"] = r6(r.capacity);
  for (const auto& [mode, x] : r.modes) {
    ojson m;
    m["utilisation"] = r6(x.utilisation);
    m["weekly_utilisation"] = series(x.weekly_utilisation);
    if (x.weekly_queue) m["weekly_queue"] = series(*x.weekly_queue);
    if (r.kind == "link") {
      m["bytes_tb"] = r6(x.bytes / 1e12);
    } else {
      m["queue_mean"] = r6(x.queue_mean);
      m["queue_max"] = r6(x.queue_max);
      m["wait_mean_h"] = r6(x.wait_mean_s / 3600.0);
      m["wait_max_h"] = r6(x.wait_max_s / 3600.0);
    }
    if (r.kind == "hpc" || r.kind == "lab") m["energy_kwh"] = r6(x.energy_kwh);
    if (r.kind == "hpc") {
      m["background_jobs"] = r6(x.background_jobs);
      // What the background workload asked of the machine and got: node-hours
      // submitted and run over nodes x online hours (a stated synthetic load
      // is the offered one, after the clamps of sizes and run times).
      ojson load;
      if (x.background_stated_load > 0) load["stated"] = r6(x.background_stated_load);
      load["offered"] = r6(x.background_offered_load);
      load["achieved"] = r6(x.background_achieved_load);
      m["background_load"] = load;
      m["node_failures"] = r6(x.node_failures);
      m["jobs_killed_by_failures"] = r6(x.failure_kills);
      m["campaign_jobs_requeued"] = r6(x.requeued);
    }
    per[mode] = m;
  }
  o["modes"] = per;
  return o;
}

ojson resources_json(const Resources& r) {
  ojson hpc = ojson::array(), labs = ojson::array(), links = ojson::array();
  for (const auto& h : r.hpc) hpc.push_back(resource_json(h));
  for (const auto& l : r.labs) {
    ojson o = resource_json(l.lab);
    o["stations"] = ojson::array();
    for (const auto& p : l.pools) {
      ojson x = resource_json(p);
      x["kind"] = p.kind;
      o["stations"].push_back(x);
    }
    labs.push_back(o);
  }
  for (const auto& k : r.links) links.push_back(resource_json(k));
  return {{"hpc", hpc}, {"labs", labs}, {"links", links}};
}

ojson cycle_json(const Cycle& c) {
  ojson o;
  for (const auto& [mode, x] : c.modes) {
    ojson m, hours, share;
    m["cycles"] = r6(x.cycles);
    m["mean_cycle_h"] = opt(x.mean_cycle_h);
    for (std::size_t i = 0; i < N_STAGES; ++i) {
      hours[STAGES[i]] = opt(x.hours_per_cycle[i]);
      share[STAGES[i]] = r6(x.share[i]);
    }
    m["hours_per_cycle"] = hours;
    m["share"] = share;
    o[mode] = m;
  }
  ojson bottlenecks = ojson::array();
  for (const auto& b : c.bottlenecks) {
    ojson x = {{"rank", b.rank}, {"mode", b.mode}, {"stage", b.stage}, {"share", r6(b.share)}};
    const auto& res = b.resource;
    x["resource"] = res ? ojson{{"name", res->name},
                               {"kind", res->kind},
                               {"utilisation", opt(res->utilisation)},
                               {"wait_mean_h", opt(res->wait_mean_s ? Opt(*res->wait_mean_s / 3600.0) : std::nullopt)},
                               {"text", res->text}}
                        : ojson(nullptr);
    bottlenecks.push_back(x);
  }
  o["bottlenecks"] = bottlenecks;
  o["stages"] = {"agent: the agent's decision (simulated compute and analysis)",
                 "people: waiting for meetings, shifts and manual hand-offs",
                 "hpc_queue: batch queue wait of the screening jobs",
                 "hpc_run: screening jobs running",
                 "transfer: data over the network",
                 "lab_queue: samples waiting for stations and robots",
                 "lab_run: samples in stations and robot moves"};
  return o;
}

ojson conservation_section(const ConservationFigures& c) {
  ojson o, by_mode;
  for (const auto& [mode, x] : c.by_mode)
    by_mode[mode] = {{"jobs", conservation_json(x[0])}, {"samples", conservation_json(x[1])},
                     {"transfers", conservation_json(x[2])}};
  o["jobs"] = conservation_json(c.jobs);
  o["samples"] = conservation_json(c.samples);
  o["transfers"] = conservation_json(c.transfers);
  o["by_mode"] = by_mode;
  return o;
}

ojson lab_mode_json(const LabMode& x) {
  ojson m, u, q, w;
  m["samples"] = conservation_json(x.samples, "measured");
  m["throughput_per_day"] = r6(x.throughput_per_day);
  m["turnaround_mean_h"] = opt(x.turnaround_mean_h);
  m["hours_per_sample"] = {{"queue", opt(x.queue_h)}, {"people", opt(x.people_h)}, {"hold", opt(x.hold_h)},
                           {"run", opt(x.run_h)},     {"move", opt(x.move_h)}};
  m["people_share"] = r6(x.people_share);
  for (const auto& p : x.pools) {
    u[p.name] = r6(p.utilisation);
    q[p.name] = r6(p.queue_mean);
    w[p.name] = r6(p.wait_mean_s / 3600.0);
  }
  m["utilisation"] = u;
  m["queue_mean"] = q;
  m["wait_mean_h"] = w;
  m["bottleneck"] = {{"resource", x.bottleneck.empty() ? ojson(nullptr) : ojson(x.bottleneck)},
                     {"utilisation", r6(x.bottleneck_utilisation)},
                     {"text", x.bottleneck_text.empty() ? ojson(nullptr) : ojson(x.bottleneck_text)}};
  m["failures"] = {{"failed_samples", r6(x.failed_samples)},       {"step_failures", r6(x.step_failures)},
                   {"retries", r6(x.retries)},                     {"station_breakdowns", r6(x.station_breakdowns)},
                   {"interrupted_steps", r6(x.interrupted_steps)}, {"robot_jams", r6(x.robot_jams)},
                   {"discarded_offline", r6(x.discarded_offline)}};
  m["upkeep"] = {{"restocks", r6(x.restocks)},     {"maintenance_windows", r6(x.maintenance_windows)},
                 {"repair_downtime_h", r6(x.repair_downtime_h)}, {"setups", r6(x.setups)},
                 {"batches", r6(x.batches)},       {"robot_moves", r6(x.robot_moves)},
                 {"step_runs", r6(x.step_runs)}};
  m["cycle_share"] = r6(x.cycle_share);
  m["cycle_people_share"] = r6(x.cycle_people_share);
  return m;
}

ojson labs_json(const std::vector<LabFigures>& labs) {
  ojson out = ojson::array();
  for (const auto& l : labs) {
    ojson o, per;
    o["name"] = l.name;
    o["campaigns"] = l.campaigns;
    for (const auto& [mode, m] : l.modes) per[mode] = lab_mode_json(m);
    o["bottleneck"] = l.bottleneck.empty() ? ojson(nullptr) : ojson(l.bottleneck);
    o["modes"] = per;
    out.push_back(o);
  }
  return out;
}

ojson warnings_json(const std::vector<Warning>& warnings) {
  ojson a = ojson::array();
  for (const auto& w : warnings) a.push_back({{"code", w.code}, {"message", w.message}, {"where", w.where}});
  return a;
}

ojson assumptions_json(const core::ScenarioFacts& sc) {
  ojson a = ojson::array();
  for (const auto& [k, v] : sc.assumptions) a.push_back({{"what", k}, {"value", v}});
  return a;
}

ojson milestones_json(const Milestones& m) {
  ojson o, camps = ojson::array();
  o["definition"] = m.definition;
  for (const auto& c : m.campaigns)
    camps.push_back({{"campaign", c.campaign},
                     {"first_closed_loop_discovery_day", c.day ? ojson(*c.day) : ojson(nullptr)},
                     {"date", c.day ? ojson(c.date) : ojson(nullptr)},
                     {"replications_reached", c.replications_reached}});
  o["campaigns"] = camps;
  o["initial_operating_capability"] = {{"day_limit", m.ioc_day_limit},
                                       {"reached", m.ioc_reached},
                                       {"by", m.ioc_by ? ojson(*m.ioc_by) : ojson(nullptr)},
                                       {"day", m.ioc_day ? ojson(*m.ioc_day) : ojson(nullptr)},
                                       {"definition", m.ioc_definition}};
  return o;
}

}  // namespace

ojson report_json(const core::ScenarioFacts& scenario, const Figures& f, const core::RunResult* run) {
  ojson report;
  report["schema_version"] = REPORT_SCHEMA_VERSION;
  report["scenario"] = scenario_json(scenario);
  report["headline"] = headline_json(f.headline);
  report["attribution"] = attribution_json(f.attribution);
  report["campaigns"] = campaigns_json(f.campaigns);
  report["resources"] = resources_json(f.resources);
  report["cycle"] = cycle_json(f.cycle);
  report["conservation"] = conservation_section(f.conservation);
  report["labs"] = labs_json(f.labs);
  report["years"] = years_json(f.years);
  report["milestones"] = milestones_json(f.milestones);
  report["security"] = security_json(f.security);
  report["bursting"] = bursting_json(f.bursting);
  report["money"] = money_json(f.money);
  if (run) {
    report["data"] = data_json(*run);
    report["models"] = models_json(*run);
    report["lineage"] = lineage_json(*run);
  }
  report["assumptions"] = assumptions_json(scenario);
  report["warnings"] = warnings_json(f.warnings);
  return report;
}

ojson build_report(const core::RunResult& run) { return report_json(run.scenario, compute_figures(run), &run); }

namespace {
/// The order's milestone in one line: whether a first closed-loop discovery
/// came within the initial operating capability's days, and each campaign's.
std::string milestones_line(const ojson& r) {
  if (!r.contains("milestones") || !r["scenario"]["modes"].is_array()) return "";
  bool closed = false;
  for (const auto& m : r["scenario"]["modes"]) closed = closed || m == "closed_loop";
  const auto& ms = r["milestones"];
  const auto& ioc = ms["initial_operating_capability"];
  if (!closed || ms["campaigns"].empty()) return "";
  std::string s = "Initial operating capability (a first closed-loop discovery before day " +
                  std::to_string(ioc["day_limit"].get<int>()) + "): ";
  s += ioc["reached"].get<bool>() ? "reached by " + ioc["by"].get<std::string>() + " on day " +
                                        std::to_string(ioc["day"].get<int>())
                                  : "not reached";
  s += "; first closed-loop discovery:";
  bool first = true;
  for (const auto& c : ms["campaigns"]) {
    const auto& d = c["first_closed_loop_discovery_day"];
    s += std::string(first ? " " : ", ") + c["campaign"].get<std::string>() + " " +
         (d.is_number() ? "day " + std::to_string(d.get<int>()) : "none");
    first = false;
  }
  return s + "\n";
}
}  // namespace

namespace {
std::string with_interval(const ojson& m) {
  return format_number(m["mean"].get<double>(), 3) +
         (m["ci95_low"].is_number() ? " [" + format_number(m["ci95_low"].get<double>(), 3) + " to " +
                                          format_number(m["ci95_high"].get<double>(), 3) + "]"
                                    : std::string());
}

/// Data and models in a line each, where the scenario has them.
std::string data_lines(const ojson& r) {
  std::string s;
  if (r.contains("data") && r["data"]["enabled"].get<bool>()) {
    for (const auto& c : r["data"]["campaigns"]) {
      s += "Data, " + c["campaign"].get<std::string>() + ":";
      bool first = true;
      for (const auto& [mode, x] : c["by_mode"].items()) {
        s += std::string(first ? " " : "; ") + mode + " staging " +
             (x["staging_share_of_cycle"].is_number() ? format_percent(x["staging_share_of_cycle"].get<double>()) : "n/a") +
             " of its cycle time, " + format_number(x["staged_tb"].get<double>(), 3) + " TB moved, " +
             (x["cache_hit_rate"].is_number() ? format_percent(x["cache_hit_rate"].get<double>()) : "n/a") +
             " found in a cache";
        first = false;
      }
      s += "\n";
    }
  }
  if (r.contains("models") && r["models"]["enabled"].get<bool>()) {
    for (const auto& m : r["models"]["models"]) {
      const auto& cl = m["by_mode"].contains("closed_loop") ? m["by_mode"]["closed_loop"] : m["by_mode"].begin().value();
      const auto& v = cl["versions"];
      std::string err;
      for (const auto& x : v)
        if (x["error_sd"].is_number()) err += (err.empty() ? "" : " -> ") + format_number(x["error_sd"].get<double>(), 3);
      s += "Model " + m["name"].get<std::string>() + ": " + format_number(cl["trainings_finished"].get<double>(), 3) +
           " trainings on " + m["system"].get<std::string>() + " (" + format_number(cl["gpu_hours"].get<double>(), 3) +
           " GPU-hours, " + (cl["queue_h_mean"].is_number() ? format_number(cl["queue_h_mean"].get<double>(), 3) : "n/a") +
           " h queued on average), error " + (err.empty() ? "n/a" : err) + ", " +
           format_number(cl["inference_jobs"].get<double>(), 3) + " inference jobs\n";
    }
    const auto& b = r["models"]["bought"];
    if (b.is_object())
      s += "Models bought (closed_loop, paired run without them): " + with_interval(b["gained_per_year"]) +
           " discoveries/year; experiments per discovery " +
           (b["experiments_per_discovery"]["with_models"].is_number()
                ? format_number(b["experiments_per_discovery"]["with_models"].get<double>(), 3)
                : "n/a") +
           " with, " +
           (b["experiments_per_discovery"]["without_models"].is_number()
                ? format_number(b["experiments_per_discovery"]["without_models"].get<double>(), 3)
                : "n/a") +
           " without\n";
    const auto& g = r["models"]["retraining_bought"];
    if (g.is_object())
      s += "Retraining bought (paired run with each model trained once): " + with_interval(g["gained_per_year"]) +
           " discoveries/year for " + with_interval(g["extra_gpu_hours"]) + " more GPU-hours\n";
  }
  return s;
}
}  // namespace

namespace {
/// The access rules and bursting, each in a line, where the scenario has them.
std::string access_lines(const ojson& r) {
  std::string s;
  if (r.contains("security")) {
    const auto& sec = r["security"];
    bool labelled = false;
    for (const auto& c : sec["campaigns"]) labelled = labelled || c["classification"] != "public";
    if (labelled || sec["violations"].get<std::int64_t>() > 0) {
      s += "Access rules: " + std::to_string(sec["violations"].get<std::int64_t>()) + " violations in " +
           std::to_string(sec["checked"].get<std::int64_t>()) + " placements checked";
      for (const auto& [mode, x] : sec["refusals"].items())
        s += "; " + mode + ": " + format_number(x["placements"]["count"].get<double>()) + " placements, " +
             format_number(x["transfers"]["refused"].get<double>()) + " transfers and " +
             format_number(x["bursts"]["count"].get<double>()) + " bursts refused, " +
             format_number(x["transfers"]["rerouted"].get<double>()) + " transfers rerouted, costing " +
             format_number(x["time_h"].get<double>(), 3) + " job-hours";
      s += "\n";
      const auto& lost = sec["cost_of_rules"]["discoveries_per_year_lost"];
      if (lost.is_object())
        s += "  what the rules cost the closed loop (paired run with everything cleared): " +
             format_number(lost["mean"].get<double>(), 3) + " discoveries/year" +
             (lost["ci95_low"].is_number() ? " [" + format_number(lost["ci95_low"].get<double>(), 3) + " to " +
                                                 format_number(lost["ci95_high"].get<double>(), 3) + "]"
                                           : std::string()) +
             "\n";
      for (const auto& x : sec["stopped"])
        s += "  stopped: " + x["campaign"].get<std::string>() + ", " + x["reason"].get<std::string>() + "\n";
    }
  }
  if (r.contains("bursting") && r["bursting"]["enabled"].get<bool>()) {
    const auto& b = r["bursting"];
    for (const auto& c : b["campaigns"]) {
      s += "Bursting, " + c["name"].get<std::string>() + ":";
      bool first = true;
      for (const auto& [mode, u] : c["modes"].items()) {
        s += std::string(first ? " " : "; ") + mode + " " + format_number(u["jobs"].get<double>()) + " jobs, $" +
             format_number(u["usd"].get<double>()) + ", " + format_number(u["queue_time_saved_h"].get<double>(), 3) +
             " h of queue saved";
        first = false;
      }
      s += "\n";
    }
    const auto& g = b["bought"]["discoveries_per_year_gained"];
    if (g.is_object())
      s += "Bursting bought (closed_loop, paired run without it): " + format_number(g["mean"].get<double>(), 3) +
           " discoveries/year" +
           (g["ci95_low"].is_number() ? " [" + format_number(g["ci95_low"].get<double>(), 3) + " to " +
                                            format_number(g["ci95_high"].get<double>(), 3) + "]"
                                      : std::string()) +
           "\n";
    for (const auto& c : b["bought"]["campaigns"]) {
      const auto& q = c["cycle_queue_h_saved"];
      s += "  " + c["campaign"].get<std::string>() + " without bursting: its cycles wait " +
           format_number(q["mean"].get<double>(), 3) + " h more on the HPC queue" +
           (q["ci95_low"].is_number() ? " [" + format_number(q["ci95_low"].get<double>(), 3) + " to " +
                                            format_number(q["ci95_high"].get<double>(), 3) + "]"
                                      : std::string()) +
           "\n";
    }
  }
  return s;
}
}  // namespace

std::string summary_text(const ojson& r) {
  std::string s;
  char buf[512];
  const auto& h = r["headline"];
  const auto& m = h["multiplier"];
  std::snprintf(buf, sizeof buf, "Scenario %s: %d replications of %g days\n", r["scenario"]["name"].get<std::string>().c_str(),
                r["scenario"]["replications"].get<int>(), r["scenario"]["horizon_days"].get<double>());
  s += buf;
  std::string interval = "n/a";
  if (m["ci95_low"].is_number()) {
    char high[32] = "infinity";
    if (m["ci95_high"].is_number()) std::snprintf(high, sizeof high, "%.3g", m["ci95_high"].get<double>());
    std::snprintf(buf, sizeof buf, "%.3g to %s", m["ci95_low"].get<double>(), high);
    interval = buf;
  }
  const bool no_baseline = !m["value"].is_number();
  if (no_baseline)
    s += "R&D productivity multiplier (closed_loop / baseline): none, no baseline (the scenario runs one mode only)\n";
  else
    s += "R&D productivity multiplier (closed_loop / baseline): " + m["display"].get<std::string>() + "  [95% interval " +
         interval + "]" + (m["censored"].get<bool>() ? " (censored)" : "") + "\n";
  std::snprintf(buf, sizeof buf, "Goal x%.0f: %s\n", h["goal"].get<double>(),
                no_baseline              ? "no baseline"
                : h["goal_met"].get<bool>() ? (h["goal_met_at_95"].get<bool>() ? "met (also at 95 %)"
                                               : m["n_replications"].get<int>() < MIN_REPLICATIONS_RELIABLE
                                                   ? "met (not judged at 95 %: fewer than 5 replications)"
                                                   : "met (not at 95 %)")
                                            : "not met");
  s += buf;
  if (h.contains("discovery_definition") && !h["discovery_definition"].get<std::string>().empty())
    s += "What counts: " + h["discovery_definition"].get<std::string>() + "\n";
  for (const auto& [mode, v] : h["discoveries_per_year"].items()) {
    std::snprintf(buf, sizeof buf, "  %-12s %8s discoveries/year\n", mode.c_str(),
                  format_number(v["mean"].get<double>()).c_str());  // 1441, not 1.44e+03
    s += buf;
  }
  if (r.contains("years") && r["years"].size() > 1 && !no_baseline) {
    s += "Year by year, closed_loop vs the first year's baseline:";
    for (const auto& y : r["years"]) {
      const auto& v = y["vs_first_year_baseline"]["value"];
      s += " " + std::to_string(y["year"].get<int>()) + " " + (v.is_number() ? "x" + format_number(v.get<double>(), 3) : "n/a");
    }
    const auto& gy = h["goal_year"]["year"];
    s += gy.is_number() ? "; x" + format_number(h["goal"].get<double>()) + " first in " + std::to_string(gy.get<int>()) + "\n"
                        : "; x" + format_number(h["goal"].get<double>()) + " not reached\n";
  }
  s += milestones_line(r);
  const auto& w = h["why"];
  if (!w["carried_by"].is_null()) {
    std::snprintf(buf, sizeof buf, "Why: x%.3g fewer experiments per discovery, x%.3g experiments per cycle, x%.3g cycles; carried by %s\n",
                  w["factors"]["fewer_experiments_per_discovery"].get<double>(),
                  w["factors"]["more_experiments_per_cycle"].get<double>(),
                  w["factors"]["more_cycles_shorter_cycles"].get<double>(), w["carried_by"].get<std::string>().c_str());
    s += buf;
  }
  if (r.contains("attribution") && r["attribution"]["method"] != "off" && !r["attribution"]["steps"].empty()) {
    const auto& a = r["attribution"];
    s += "Attribution (" + a["method"].get<std::string>() + ", paired modes): ";
    bool first = true;
    for (const auto& x : a["steps"]) {
      s += first ? "" : ", ";
      first = false;
      s += x["name"].get<std::string>() + " ";
      if (!x["factor"].is_number()) {
        s += "n/a";
        continue;
      }
      std::snprintf(buf, sizeof buf, "x%.3g", x["factor"].get<double>());
      s += buf;
      if (x["ci95_low"].is_number() && x["ci95_high"].is_number()) {
        std::snprintf(buf, sizeof buf, " [%.3g-%.3g]", x["ci95_low"].get<double>(), x["ci95_high"].get<double>());
        s += buf;
      }
    }
    if (a["product"].is_number()) {
      std::snprintf(buf, sizeof buf, "; product x%.3g", a["product"].get<double>());
      s += buf;
    }
    s += "\n";
    if (!a["note"].get<std::string>().empty()) s += "  (" + a["note"].get<std::string>() + ")\n";
  }
  // Dollars per discovery, beside node-hours and lab-hours, where the scenario has prices.
  if (h.contains("cost_per_discovery")) {
    std::string line;
    for (const auto& [mode, c] : h["cost_per_discovery"].items()) {
      if (!c.contains("dollars") || !c["dollars"].is_number()) continue;
      std::snprintf(buf, sizeof buf, "%s$%s (%s node-hours, %s lab-hours) %s", line.empty() ? "" : "; ",
                    format_number(c["dollars"].get<double>()).c_str(),
                    c["node_hours"].is_number() ? format_number(c["node_hours"].get<double>()).c_str() : "n/a",
                    c["lab_hours"].is_number() ? format_number(c["lab_hours"].get<double>()).c_str() : "n/a",
                    mode.c_str());
      line += buf;
    }
    if (!line.empty()) s += "Cost per discovery: " + line + "\n";
  }
  s += access_lines(r);
  s += data_lines(r);
  if (h.contains("buy_next") && h["buy_next"].is_object())
    s += "Buy next: " + h["buy_next"]["text"].get<std::string>() +
         " (from this run's bottleneck; twin advise measures every option)\n";
  const auto& b = r["cycle"]["bottlenecks"];
  if (!b.empty()) {
    std::snprintf(buf, sizeof buf, "Bottleneck (%s cycle): %s, %.0f %% of the cycle", b[0]["mode"].get<std::string>().c_str(),
                  b[0]["stage"].get<std::string>().c_str(), 100 * b[0]["share"].get<double>());
    s += buf;
    if (b[0].contains("resource") && b[0]["resource"].is_object()) s += "; " + b[0]["resource"]["text"].get<std::string>();
    s += "\n";
  }
  if (r.contains("warnings"))
    for (const auto& x : r["warnings"]) s += "Warning [" + x["code"].get<std::string>() + "]: " + x["message"].get<std::string>() + "\n";
  return s;
}

}  // namespace twin::reports

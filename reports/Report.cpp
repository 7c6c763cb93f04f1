#include "reports/Report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>

#include "reports/HtmlText.hpp"
#include "twin/core/Rng.hpp"

namespace twin::reports {

using ojson = nlohmann::ordered_json;

namespace {

constexpr double YEAR_S = 365.25 * 86400.0;
constexpr int BOOTSTRAP_RESAMPLES = 2000;

double r6(double x) { return round_sig(x, 6); }

ojson num_or_null(double x, bool valid) { return valid && std::isfinite(x) ? ojson(r6(x)) : ojson(nullptr); }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Linear-interpolated quantile (type 7).
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

/// t quantile for a two-sided 95 % interval with `dof` degrees of freedom.
double t975(int dof) {
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
  if (dof <= 0) return 0;
  if (dof <= 20) return table[dof - 1];
  if (dof <= 30) return 2.042 + (2.086 - 2.042) * (30 - dof) / 10.0;
  return 1.96 + 0.082 * 30.0 / dof;
}

ojson mean_ci(const std::vector<double>& v) {
  const double m = mean(v);
  ojson o;
  o["mean"] = r6(m);
  if (v.size() >= 2) {
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    const double se = std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
    const double h = t975(static_cast<int>(v.size()) - 1) * se;
    o["ci95_low"] = r6(std::max(0.0, m - h));
    o["ci95_high"] = r6(m + h);
  } else {
    o["ci95_low"] = nullptr;
    o["ci95_high"] = nullptr;
  }
  return o;
}

struct ModeView {
  std::vector<const core::SimResult*> sims;  // by replication
};

std::int64_t total_discoveries(const core::SimResult& s) {
  std::int64_t d = 0;
  for (const auto& c : s.campaigns) d += c.discoveries;
  return d;
}

double first_discovery(const core::SimResult& s) {
  double t = -1;
  for (const auto& c : s.campaigns)
    if (c.first_discovery_s >= 0 && (t < 0 || c.first_discovery_s < t)) t = c.first_discovery_s;
  return t;
}

ojson conservation_json(const core::Conservation& c) {
  ojson o;
  o["created"] = c.created;
  o["finished"] = c.finished;
  o["failed"] = c.failed;
  o["discarded"] = c.discarded;
  o["in_flight"] = c.in_flight;
  o["holds"] = c.holds;
  o["balanced"] = c.balanced();
  return o;
}

/// A daily series of resource `ri` (utilisation or queue length) per week
/// (7 daily means each; the last week may be shorter), averaged over the
/// replications.
ojson weekly_means(const std::vector<const core::SimResult*>& sims, std::size_t ri,
                   std::vector<double> core::ResourceSim::*series) {
  std::vector<double> sum;
  for (const auto* s : sims) {
    const auto& d = s->resources[ri].*series;
    const std::size_t weeks = (d.size() + 6) / 7;
    if (sum.size() < weeks) sum.resize(weeks, 0.0);
    for (std::size_t w = 0; w < weeks; ++w) {
      double x = 0;
      std::size_t n = 0;
      for (std::size_t i = 7 * w; i < d.size() && i < 7 * w + 7; ++i, ++n) x += d[i];
      sum[w] += n ? x / static_cast<double>(n) : 0.0;
    }
  }
  ojson out = ojson::array();
  for (double x : sum) out.push_back(r6(x / static_cast<double>(std::max<std::size_t>(1, sims.size()))));
  return out;
}

const char* const STAGES[] = {"agent", "people", "hpc_queue", "hpc_run", "transfer", "lab_queue", "lab_run"};

std::vector<double> stage_values(const core::CycleTimes& c) {
  return {c.agent_s, c.people_s, c.hpc_queue_s, c.hpc_run_s, c.transfer_s, c.lab_queue_s, c.lab_run_s};
}

}  // namespace

double round_sig(double x, int digits) {
  if (!std::isfinite(x) || x == 0) return 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
  double r = std::strtod(buf, nullptr);
  return r == 0 ? 0 : r;  // no negative zero
}

ojson build_report(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  const double years = sc.horizon_s / YEAR_S;
  std::map<std::string, ModeView> modes;
  for (const auto& m : sc.modes) modes[m];
  for (const auto& s : run.sims) modes[s.mode].sims.push_back(&s);
  const bool paired = modes.count("closed_loop") && modes.count("baseline") &&
                      !modes["closed_loop"].sims.empty() && !modes["baseline"].sims.empty();
  const int reps = sc.replications;

  ojson report;
  report["schema_version"] = REPORT_SCHEMA_VERSION;
  {
    ojson s;
    s["name"] = sc.name;
    s["seed"] = sc.seed;
    s["start_date"] = sc.start_date;
    s["horizon_days"] = r6(sc.horizon_s / 86400.0);
    s["replications"] = reps;
    s["modes"] = sc.modes;
    report["scenario"] = s;
  }

  // ---- headline
  ojson head;
  std::vector<double> dc, db;  // discoveries per replication
  if (paired) {
    for (const auto* s : modes["closed_loop"].sims) dc.push_back(static_cast<double>(total_discoveries(*s)));
    for (const auto* s : modes["baseline"].sims) db.push_back(static_cast<double>(total_discoveries(*s)));
  }
  const double sum_c = std::accumulate(dc.begin(), dc.end(), 0.0);
  const double sum_b = std::accumulate(db.begin(), db.end(), 0.0);
  {
    ojson m;
    if (!paired) {
      m["value"] = nullptr;
      m["ci95_low"] = nullptr;
      m["ci95_high"] = nullptr;
      m["method"] = "needs both modes, closed_loop and baseline";
      m["n_replications"] = reps;
      m["censored"] = false;
      m["display"] = "n/a";
      m["note"] = "the scenario runs one mode only";
    } else if (sum_b == 0) {
      // No baseline discovery at all: with zero events, a 95 % upper bound on
      // the baseline's count is 3 (the rule of three), so the multiplier is at
      // least sum_c / 3.
      const double lower = sum_c / 3.0;
      m["value"] = r6(lower);
      m["ci95_low"] = r6(lower);
      m["ci95_high"] = nullptr;
      m["method"] =
          "censored: baseline made no discovery; lower bound = closed_loop discoveries / 3 (95 % upper bound on a "
          "zero Poisson count)";
      m["n_replications"] = reps;
      m["censored"] = true;
      char buf[64];
      std::snprintf(buf, sizeof buf, ">= %.3g", lower);
      m["display"] = buf;
      m["note"] = sum_c == 0 ? "neither mode made a discovery in the horizon" : "the baseline made no discovery in the horizon";
    } else {
      const double value = sum_c / sum_b;
      // Percentile bootstrap over paired replications, with its own fixed stream.
      core::Rng rng = core::Rng::stream(sc.seed, "report.bootstrap");
      std::vector<double> ratios;
      int infinite = 0;
      const std::size_t n = dc.size();
      for (int b = 0; b < BOOTSTRAP_RESAMPLES && n >= 2; ++b) {
        double c = 0, d = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t k = rng.below(n);
          c += dc[k];
          d += db[k];
        }
        if (d == 0) ++infinite;
        else ratios.push_back(c / d);
      }
      m["value"] = r6(value);
      const bool ok = n >= 2;
      // Resamples with no baseline discovery count as +infinity.
      for (int i = 0; i < infinite; ++i) ratios.push_back(INFINITY);
      m["ci95_low"] = num_or_null(quantile(ratios, 0.025), ok);
      m["ci95_high"] = num_or_null(quantile(ratios, 0.975), ok && std::isfinite(quantile(ratios, 0.975)));
      m["method"] =
          "ratio of discovery rates (total closed_loop / total baseline discoveries); 95 % percentile bootstrap over "
          "paired replications, 2000 resamples";
      m["n_replications"] = reps;
      m["censored"] = false;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3g", value);
      m["display"] = buf;
      m["note"] = reps < 5 ? "few replications: the interval is rough; use 5 or more" : "";
    }
    head["multiplier"] = m;
  }
  head["goal"] = PRODUCTIVITY_GOAL;
  {
    const ojson m = head["multiplier"];
    head["goal_met"] = m["value"].is_number() && m["value"].get<double>() >= PRODUCTIVITY_GOAL;
    head["goal_met_at_95"] = m["ci95_low"].is_number() && m["ci95_low"].get<double>() >= PRODUCTIVITY_GOAL;
  }
  {
    ojson per;
    for (const auto& [mode, mv] : modes) {
      std::vector<double> rates;
      for (const auto* s : mv.sims) rates.push_back(static_cast<double>(total_discoveries(*s)) / years);
      per[mode] = mean_ci(rates);
    }
    head["discoveries_per_year"] = per;
  }
  {
    ojson t;
    std::map<std::string, double> med;
    std::map<std::string, bool> censored;
    for (const auto& [mode, mv] : modes) {
      std::vector<double> v;
      int none = 0;
      for (const auto* s : mv.sims) {
        const double f = first_discovery(*s);
        if (f < 0) ++none;
        v.push_back(f < 0 ? sc.horizon_s : f);
      }
      med[mode] = median(v);
      censored[mode] = 2 * none >= static_cast<int>(v.size()) && !v.empty();
      ojson m;
      m["median_days"] = r6(med[mode] / 86400.0);
      m["censored"] = censored[mode];
      m["without_discovery"] = none;
      t[mode] = m;
    }
    if (paired && med["closed_loop"] > 0) {
      t["ratio"] = r6(med["baseline"] / med["closed_loop"]);
      t["ratio_censored"] = censored["baseline"] || censored["closed_loop"];
    } else {
      t["ratio"] = nullptr;
      t["ratio_censored"] = false;
    }
    t["definition"] = "median over replications of the time to the first discovery of any campaign; ratio = baseline / closed_loop; a replication without a discovery counts as the horizon (censored)";
    head["time_to_first_discovery"] = t;
  }
  // Why: multiplier = fewer experiments per discovery x more experiments per cycle x more cycles.
  {
    ojson w;
    double e[2] = {0, 0}, d[2] = {0, 0}, cyc[2] = {0, 0};
    const char* names[2] = {"closed_loop", "baseline"};
    for (int i = 0; i < 2; ++i)
      if (modes.count(names[i]))
        for (const auto* s : modes[names[i]].sims)
          for (const auto& c : s->campaigns) {
            e[i] += static_cast<double>(c.experiments);
            d[i] += static_cast<double>(c.discoveries);
            cyc[i] += static_cast<double>(c.cycles);
          }
    const bool ok = paired && d[0] > 0 && d[1] > 0 && e[0] > 0 && e[1] > 0 && cyc[0] > 0 && cyc[1] > 0;
    const double smarter = ok ? (e[1] / d[1]) / (e[0] / d[0]) : 0;
    const double parallel = ok ? (e[0] / cyc[0]) / (e[1] / cyc[1]) : 0;
    const double faster = ok ? cyc[0] / cyc[1] : 0;
    ojson f;
    f["fewer_experiments_per_discovery"] = num_or_null(smarter, ok);
    f["more_experiments_per_cycle"] = num_or_null(parallel, ok);
    f["more_cycles_shorter_cycles"] = num_or_null(faster, ok);
    w["factors"] = f;
    ojson n;
    for (int i = 0; i < 2; ++i) {
      ojson x;
      x["experiments_per_discovery"] = num_or_null(d[i] > 0 ? e[i] / d[i] : 0, d[i] > 0);
      x["experiments_per_cycle"] = num_or_null(cyc[i] > 0 ? e[i] / cyc[i] : 0, cyc[i] > 0);
      x["cycles_per_year"] = num_or_null(reps > 0 ? cyc[i] / reps / years : 0, reps > 0);
      n[names[i]] = x;
    }
    w["numbers"] = n;
    if (ok) {
      const double l[3] = {std::abs(std::log(smarter)), std::abs(std::log(parallel)), std::abs(std::log(faster))};
      const char* which[3] = {"fewer_experiments_per_discovery", "more_experiments_per_cycle",
                              "more_cycles_shorter_cycles"};
      w["carried_by"] = which[std::max_element(l, l + 3) - l];
    } else {
      w["carried_by"] = nullptr;
    }
    w["identity"] = "multiplier = fewer_experiments_per_discovery x more_experiments_per_cycle x more_cycles_shorter_cycles";
    head["why"] = w;
  }
  {
    ojson cost;
    for (const auto& [mode, mv] : modes) {
      double nh = 0, lh = 0, ej = 0, disc = 0;
      for (const auto* s : mv.sims)
        for (const auto& c : s->campaigns) {
          nh += c.node_hours;
          lh += c.lab_hours;
          ej += c.energy_j;
          disc += static_cast<double>(c.discoveries);
        }
      ojson x;
      x["node_hours"] = num_or_null(nh / disc, disc > 0);
      x["lab_hours"] = num_or_null(lh / disc, disc > 0);
      x["energy_kwh"] = num_or_null(ej / 3.6e6 / disc, disc > 0);
      cost[mode] = x;
    }
    head["cost_per_discovery"] = cost;
  }
  report["headline"] = head;

  // ---- campaigns
  ojson camps = ojson::array();
  for (std::size_t ci = 0; ci < sc.campaigns.size(); ++ci) {
    const auto& facts = sc.campaigns[ci];
    ojson c;
    c["name"] = facts.name;
    c["kernel"] = facts.kernel;
    c["target"] = facts.target;
    c["hpc"] = facts.hpc;
    c["lab"] = facts.lab;
    ojson per;
    for (const auto& [mode, mv] : modes) {
      std::vector<double> disc, exps, sims, fails, nh, lh, ej, ttfd, cycles;
      int none = 0;
      for (const auto* s : mv.sims) {
        const auto& cs = s->campaigns[ci];
        disc.push_back(static_cast<double>(cs.discoveries));
        exps.push_back(static_cast<double>(cs.experiments));
        sims.push_back(static_cast<double>(cs.simulations));
        fails.push_back(static_cast<double>(cs.failed_experiments));
        nh.push_back(cs.node_hours);
        lh.push_back(cs.lab_hours);
        ej.push_back(cs.energy_j / 3.6e6);
        cycles.push_back(static_cast<double>(cs.cycles));
        if (cs.first_discovery_s < 0) ++none;
        ttfd.push_back(cs.first_discovery_s < 0 ? sc.horizon_s : cs.first_discovery_s);
      }
      ojson m;
      m["policy"] = facts.policy.count(mode) ? facts.policy.at(mode) : "";
      m["discoveries"] = mean_ci(disc);
      ojson dpy = mean_ci(disc);
      for (auto& [k, v] : dpy.items())
        if (v.is_number()) v = r6(v.get<double>() / years);
      m["discoveries_per_year"] = dpy;
      m["experiments"] = r6(mean(exps));
      m["failed_experiments"] = r6(mean(fails));
      m["simulations"] = r6(mean(sims));
      m["cycles"] = r6(mean(cycles));
      ojson t;
      t["median_days"] = r6(median(ttfd) / 86400.0);
      t["p90_days"] = r6(quantile(ttfd, 0.9) / 86400.0);
      t["without_discovery"] = none;
      t["censored"] = 2 * none >= static_cast<int>(ttfd.size()) && !ttfd.empty();
      m["time_to_first_discovery"] = t;
      ojson cost;
      cost["node_hours"] = r6(mean(nh));
      cost["lab_hours"] = r6(mean(lh));
      cost["energy_kwh"] = r6(mean(ej));
      m["cost"] = cost;
      // Best value over time, from replication 0 (each improvement).
      ojson best = ojson::array();
      if (!mv.sims.empty()) {
        const auto& cs = mv.sims.front()->campaigns[ci];
        for (std::size_t i = 0; i < cs.best_value.size(); ++i)
          best.push_back({r6(cs.best_t_s[i] / 86400.0), r6(cs.best_experiments[i]), r6(cs.best_value[i])});
      }
      m["best_over_time"] = best;
      m["best_over_time_columns"] = {"day", "experiments", "best_value"};
      // The first cycles stage by stage, from replication 0 (the Gantt chart).
      ojson gantt = ojson::array();
      if (!mv.sims.empty())
        for (const auto& st : mv.sims.front()->campaigns[ci].first_cycles)
          gantt.push_back({st.cycle, st.stage, r6(st.start_s / 3600.0), r6(st.end_s / 3600.0)});
      m["first_cycles"] = gantt;
      m["first_cycles_columns"] = {"cycle", "stage", "start_h", "end_h"};
      per[mode] = m;
    }
    c["modes"] = per;
    camps.push_back(c);
  }
  report["campaigns"] = camps;

  // ---- resources
  {
    ojson hpc = ojson::array(), labs = ojson::array(), links = ojson::array();
    const auto* first = run.sims.empty() ? nullptr : &run.sims.front();
    const std::size_t nres = first ? first->resources.size() : 0;
    for (std::size_t ri = 0; ri < nres; ++ri) {
      const auto& proto = first->resources[ri];
      if (proto.kind == "lab_metric") continue;  // the lab's own figures: see the "labs" section
      ojson r;
      r["name"] = proto.name;
      if (!proto.parent.empty()) r["lab"] = proto.parent;
      if (proto.kind == "link") r["bandwidth_gbps"] = r6(proto.capacity * 8 / 1e9);
      else r["capacity"] = r6(proto.capacity);
      ojson per;
      for (const auto& [mode, mv] : modes) {
        std::vector<double> util, q, qmax, wait, wmax, energy, bytes, bg, nf, fk, rq;
        for (const auto* s : mv.sims) {
          const auto& x = s->resources[ri];
          const double denom = x.capacity * x.online_s * (x.kind == "link" ? 2.0 : 1.0);
          util.push_back(denom > 0 ? x.busy_integral / denom : 0);
          q.push_back(x.queue_integral / s->horizon_s);
          qmax.push_back(x.queue_max);
          wait.push_back(x.waits > 0 ? x.wait_sum_s / static_cast<double>(x.waits) : 0);
          wmax.push_back(x.wait_max_s);
          energy.push_back(x.energy_j / 3.6e6);
          bytes.push_back(x.busy_integral);
          bg.push_back(static_cast<double>(x.background_jobs));
          nf.push_back(static_cast<double>(x.node_failures));
          fk.push_back(static_cast<double>(x.failure_kills));
          rq.push_back(static_cast<double>(x.requeued));
        }
        ojson m;
        m["utilisation"] = r6(mean(util));
        m["weekly_utilisation"] = weekly_means(mv.sims, ri, &core::ResourceSim::daily_utilisation);
        if (!proto.daily_queue.empty()) m["weekly_queue"] = weekly_means(mv.sims, ri, &core::ResourceSim::daily_queue);
        if (proto.kind == "link") {
          m["bytes_tb"] = r6(mean(bytes) / 1e12);
        } else {
          m["queue_mean"] = r6(mean(q));
          m["queue_max"] = r6(*std::max_element(qmax.begin(), qmax.end()));
          m["wait_mean_h"] = r6(mean(wait) / 3600.0);
          m["wait_max_h"] = r6(*std::max_element(wmax.begin(), wmax.end()) / 3600.0);
        }
        if (proto.kind == "hpc" || proto.kind == "lab") m["energy_kwh"] = r6(mean(energy));
        if (proto.kind == "hpc") {
          m["background_jobs"] = r6(mean(bg));
          m["node_failures"] = r6(mean(nf));
          m["jobs_killed_by_failures"] = r6(mean(fk));
          m["campaign_jobs_requeued"] = r6(mean(rq));
        }
        per[mode] = m;
      }
      r["modes"] = per;
      if (proto.kind == "hpc") hpc.push_back(r);
      else if (proto.kind == "link") links.push_back(r);
      else if (proto.kind == "lab") {
        r["stations"] = ojson::array();
        labs.push_back(r);
      } else {
        r["kind"] = proto.kind;
        for (auto& l : labs)
          if (l["name"] == proto.parent) l["stations"].push_back(r);
      }
    }
    ojson res;
    res["hpc"] = hpc;
    res["labs"] = labs;
    res["links"] = links;
    report["resources"] = res;
  }

  // ---- cycle
  {
    ojson cyc;
    std::map<std::string, std::vector<double>> shares_by_mode;
    for (const auto& [mode, mv] : modes) {
      core::CycleTimes sum;
      double n = 0;
      for (const auto* s : mv.sims)
        for (const auto& c : s->campaigns) {
          sum += c.cycle;
          n += static_cast<double>(c.cycles);
        }
      ojson m;
      m["cycles"] = r6(n / std::max(1, reps));
      m["mean_cycle_h"] = num_or_null(n > 0 ? sum.total() / n / 3600.0 : 0, n > 0);
      ojson hours, share;
      const auto vals = stage_values(sum);
      const double total = sum.total();
      std::vector<double> sh;
      for (std::size_t i = 0; i < vals.size(); ++i) {
        hours[STAGES[i]] = num_or_null(n > 0 ? vals[i] / n / 3600.0 : 0, n > 0);
        sh.push_back(total > 0 ? vals[i] / total : 0);
        share[STAGES[i]] = r6(sh.back());
      }
      m["hours_per_cycle"] = hours;
      m["share"] = share;
      shares_by_mode[mode] = sh;
      cyc[mode] = m;
    }
    ojson bottlenecks = ojson::array();
    const std::string lead = modes.count("closed_loop") ? "closed_loop" : (modes.empty() ? "" : modes.begin()->first);
    if (!lead.empty()) {
      const auto& sh = shares_by_mode[lead];
      std::vector<std::size_t> order(sh.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sh[a] > sh[b]; });
      int rank = 1;
      for (std::size_t i : order) {
        if (sh[i] <= 0) continue;
        ojson b;
        b["rank"] = rank++;
        b["mode"] = lead;
        b["stage"] = STAGES[i];
        b["share"] = r6(sh[i]);
        bottlenecks.push_back(b);
      }
    }
    cyc["bottlenecks"] = bottlenecks;
    cyc["stages"] = {"agent: the agent's decision (simulated compute and analysis)",
                     "people: waiting for meetings, shifts and manual hand-offs",
                     "hpc_queue: batch queue wait of the screening jobs",
                     "hpc_run: screening jobs running",
                     "transfer: data over the network",
                     "lab_queue: samples waiting for stations and robots",
                     "lab_run: samples in stations and robot moves"};
    report["cycle"] = cyc;
  }

  // ---- conservation
  {
    core::Conservation jobs, samples, transfers;
    ojson by_mode;
    for (const auto& [mode, mv] : modes) {
      core::Conservation j, s, t;
      for (const auto* x : mv.sims) {
        j += x->jobs;
        s += x->samples;
        t += x->transfers;
      }
      jobs += j;
      samples += s;
      transfers += t;
      ojson m;
      m["jobs"] = conservation_json(j);
      m["samples"] = conservation_json(s);
      m["transfers"] = conservation_json(t);
      by_mode[mode] = m;
    }
    ojson c;
    c["jobs"] = conservation_json(jobs);
    c["samples"] = conservation_json(samples);
    c["transfers"] = conservation_json(transfers);
    c["by_mode"] = by_mode;
    report["conservation"] = c;
  }
  // ---- labs: each robotic lab's sample flow, where its samples' time went,
  // its utilisation per station kind, robots and technicians, its failures by
  // cause, its share of its campaigns' cycle time, and its bottleneck.
  {
    ojson labs = ojson::array();
    const auto* first = run.sims.empty() ? nullptr : &run.sims.front();
    std::vector<std::string> lab_names;
    if (first)
      for (const auto& x : first->resources)
        if (x.kind == "lab") lab_names.push_back(x.name);
    for (const auto& lab : lab_names) {
      ojson l;
      l["name"] = lab;
      ojson users = ojson::array();
      for (const auto& cf : sc.campaigns)
        if (cf.lab == lab) users.push_back(cf.name);
      l["campaigns"] = users;
      ojson per;
      std::string lead_bottleneck;
      for (const auto& [mode, mv] : modes) {
        if (mv.sims.empty()) continue;
        std::map<std::string, double> metric;  // summed over replications
        std::vector<std::string> pools;        // station kinds, then robots, technicians (first sim's order)
        std::map<std::string, std::vector<double>> util, queue, wait;
        for (const auto* s : mv.sims)
          for (const auto& x : s->resources) {
            if (x.parent != lab) continue;
            if (x.kind == "lab_metric") {
              metric[x.name] += x.busy_integral;
              continue;
            }
            const std::string pool = x.kind == "station" ? x.name.substr(lab.size() + 1) : x.kind == "robot" ? "robots" : x.kind;
            if (!util.count(pool)) pools.push_back(pool);
            const double denom = x.capacity * x.online_s;
            util[pool].push_back(denom > 0 ? x.busy_integral / denom : 0);
            queue[pool].push_back(s->horizon_s > 0 ? x.queue_integral / s->horizon_s : 0);
            wait[pool].push_back(x.waits > 0 ? x.wait_sum_s / static_cast<double>(x.waits) : 0);
          }
        const double n = static_cast<double>(mv.sims.size());
        auto per_rep = [&](const char* k) { return r6(metric[k] / n); };
        ojson m;
        core::Conservation c;
        c.created = static_cast<std::int64_t>(metric["created"]);
        c.finished = static_cast<std::int64_t>(metric["measured"]);
        c.failed = static_cast<std::int64_t>(metric["failed"]);
        c.discarded = static_cast<std::int64_t>(metric["discarded"]);
        c.in_flight = c.created - c.finished - c.failed - c.discarded;
        c.holds = static_cast<std::int64_t>(metric["holds"]);
        ojson samples;
        samples["created"] = c.created;
        samples["measured"] = c.finished;
        samples["failed"] = c.failed;
        samples["discarded"] = c.discarded;
        samples["in_flight"] = c.in_flight;
        samples["holds"] = c.holds;
        samples["balanced"] = c.balanced();
        m["samples"] = samples;
        const double online_days = metric["online_s"] / 86400.0;
        m["throughput_per_day"] = r6(online_days > 0 ? metric["measured"] / online_days : 0);
        const double ended_in_lab = static_cast<double>(c.finished + c.failed);
        m["turnaround_mean_h"] = num_or_null(ended_in_lab > 0 ? metric["turnaround_sum_s"] / ended_in_lab / 3600.0 : 0,
                                             ended_in_lab > 0);
        {
          ojson h;
          const char* parts[][2] = {{"queue", "queue_sum_s"}, {"people", "people_sum_s"}, {"hold", "hold_sum_s"},
                                    {"run", "run_sum_s"}, {"move", "move_sum_s"}};
          for (const auto& p : parts)
            h[p[0]] = num_or_null(ended_in_lab > 0 ? metric[p[1]] / ended_in_lab / 3600.0 : 0, ended_in_lab > 0);
          m["hours_per_sample"] = h;
          m["people_share"] = r6(metric["turnaround_sum_s"] > 0 ? metric["people_sum_s"] / metric["turnaround_sum_s"] : 0);
        }
        ojson u, q, w;
        std::string bottleneck;
        double top = -1;
        for (const auto& p : pools) {
          const double up = mean(util[p]);
          u[p] = r6(up);
          q[p] = r6(mean(queue[p]));
          w[p] = r6(mean(wait[p]) / 3600.0);
          if (up > top) {
            top = up;
            bottleneck = p;
          }
        }
        m["utilisation"] = u;
        m["queue_mean"] = q;
        m["wait_mean_h"] = w;
        if (top <= 0) bottleneck.clear();  // an idle lab has none
        m["bottleneck"] = {{"resource", bottleneck.empty() ? ojson(nullptr) : ojson(bottleneck)},
                           {"utilisation", r6(std::max(0.0, top))}};
        if (mode == "closed_loop" || lead_bottleneck.empty()) lead_bottleneck = bottleneck;
        ojson f;
        f["failed_samples"] = per_rep("failed_after_retries");
        f["step_failures"] = per_rep("step_failures");
        f["retries"] = per_rep("retries");
        f["station_breakdowns"] = per_rep("breakdowns");
        f["interrupted_steps"] = per_rep("interrupted_steps");
        f["robot_jams"] = per_rep("robot_jams");
        f["discarded_offline"] = per_rep("discarded_offline");
        m["failures"] = f;
        ojson up;
        up["restocks"] = per_rep("restocks");
        up["maintenance_windows"] = per_rep("maintenance_windows");
        up["repair_downtime_h"] = r6(metric["downtime_s"] / n / 3600.0);
        up["setups"] = per_rep("setups");
        up["batches"] = per_rep("batches");
        up["robot_moves"] = per_rep("robot_moves");
        up["step_runs"] = per_rep("step_runs");
        m["upkeep"] = up;
        double lab_s = 0, total_s = 0, people_s = 0;
        for (const auto* s : mv.sims)
          for (std::size_t ci = 0; ci < s->campaigns.size() && ci < sc.campaigns.size(); ++ci) {
            if (sc.campaigns[ci].lab != lab) continue;
            const auto& cy = s->campaigns[ci].cycle;
            lab_s += cy.lab_queue_s + cy.lab_run_s;
            people_s += cy.people_s;
            total_s += cy.total();
          }
        m["cycle_share"] = r6(total_s > 0 ? lab_s / total_s : 0);
        m["cycle_people_share"] = r6(total_s > 0 ? people_s / total_s : 0);
        per[mode] = m;
      }
      l["bottleneck"] = lead_bottleneck.empty() ? ojson(nullptr) : ojson(lead_bottleneck);
      l["modes"] = per;
      labs.push_back(l);
    }
    report["labs"] = labs;
  }
  {
    ojson a = ojson::array();
    for (const auto& [k, v] : sc.assumptions) a.push_back({{"what", k}, {"value", v}});
    report["assumptions"] = a;
  }
  return report;
}

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
  std::snprintf(buf, sizeof buf, "R&D productivity multiplier (closed_loop / baseline): %s  [95%% interval %s]%s\n",
                m["display"].get<std::string>().c_str(), interval.c_str(), m["censored"].get<bool>() ? " (censored)" : "");
  s += buf;
  std::snprintf(buf, sizeof buf, "Goal x%.0f: %s\n", h["goal"].get<double>(),
                h["goal_met"].get<bool>() ? (h["goal_met_at_95"].get<bool>() ? "met (also at 95 %)" : "met (not at 95 %)") : "not met");
  s += buf;
  for (const auto& [mode, v] : h["discoveries_per_year"].items()) {
    std::snprintf(buf, sizeof buf, "  %-12s %8s discoveries/year\n", mode.c_str(),
                  format_number(v["mean"].get<double>()).c_str());  // 1441, not 1.44e+03
    s += buf;
  }
  const auto& w = h["why"];
  if (!w["carried_by"].is_null()) {
    std::snprintf(buf, sizeof buf, "Why: x%.3g fewer experiments per discovery, x%.3g experiments per cycle, x%.3g cycles; carried by %s\n",
                  w["factors"]["fewer_experiments_per_discovery"].get<double>(),
                  w["factors"]["more_experiments_per_cycle"].get<double>(),
                  w["factors"]["more_cycles_shorter_cycles"].get<double>(), w["carried_by"].get<std::string>().c_str());
    s += buf;
  }
  const auto& b = r["cycle"]["bottlenecks"];
  if (!b.empty()) {
    std::snprintf(buf, sizeof buf, "Bottleneck (%s cycle): %s, %.0f %% of the cycle\n", b[0]["mode"].get<std::string>().c_str(),
                  b[0]["stage"].get<std::string>().c_str(), 100 * b[0]["share"].get<double>());
    s += buf;
  }
  return s;
}

}  // namespace twin::reports

#include "reports/Figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "reports/Access.hpp"
#include "reports/HtmlText.hpp"
#include "twin/core/Calendar.hpp"
#include "twin/core/Rng.hpp"

namespace twin::reports {

const char* const STAGES[N_STAGES] = {"agent", "people", "hpc_queue", "hpc_run", "transfer", "lab_queue", "lab_run"};

std::array<double, N_STAGES> stage_values(const core::CycleTimes& c) {
  static_assert(core::CYCLE_STAGES.size() == N_STAGES);
  std::array<double, N_STAGES> out{};
  for (std::size_t i = 0; i < N_STAGES; ++i) out[i] = c.*core::CYCLE_STAGES[i];
  return out;
}

double round_sig(double x, int digits) {
  if (!std::isfinite(x) || x == 0) return 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
  double r = std::strtod(buf, nullptr);
  return r == 0 ? 0 : r;  // no negative zero
}

Opt rounded(const Opt& x) { return x && std::isfinite(*x) ? Opt(round_sig(*x)) : std::nullopt; }

namespace {

constexpr double YEAR_S = 365.25 * 86400.0;

/// x where it is a figure (`ok` and finite), else none.
Opt valid(double x, bool ok) { return ok && std::isfinite(x) ? Opt(x) : std::nullopt; }

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

double max_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

}  // namespace

double t975(int dof) {
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
  if (dof <= 0) return 0;
  if (dof <= 20) return table[dof - 1];
  if (dof <= 30) return 2.042 + (2.086 - 2.042) * (30 - dof) / 10.0;
  return 1.96 + 0.082 * 30.0 / dof;
}

MeanCi mean_ci(const std::vector<double>& v, bool clip_at_zero) {
  MeanCi o;
  o.mean = mean(v);
  if (v.size() >= 2) {
    double ss = 0;
    for (double x : v) ss += (x - o.mean) * (x - o.mean);
    const double se = std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
    const double h = t975(static_cast<int>(v.size()) - 1) * se;
    o.low = clip_at_zero ? std::max(0.0, o.mean - h) : o.mean - h;
    o.high = o.mean + h;
  }
  return o;
}

namespace {

/// The simulations of each mode, by replication.
using Modes = ByMode<std::vector<const core::SimResult*>>;

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

std::string format3(const char* fmt, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

/// "polybot.characterisation: 83 % busy, samples wait 5.1 h there on average"
std::string busy_text(const std::string& name, double utilisation, const char* items, double wait_s) {
  return name + ": " + format_number(100 * utilisation, 2) + " % busy, " + items + " wait " +
         format_number(wait_s / 3600.0, 2) + " h there on average";
}

// ---- headline

/// The ratio of discovery totals; its interval a percentile bootstrap over
/// paired replications with its own stream; a lower bound when the baseline
/// found nothing.
Multiplier multiplier(const std::vector<double>& dc, const std::vector<double>& db, bool paired, int reps,
                      std::uint64_t seed, const std::string& stream = "report.bootstrap") {
  Multiplier m;
  m.n_replications = reps;
  if (!paired) {
    m.method = "needs both modes, closed_loop and baseline";
    m.display = "n/a";
    m.note = "the scenario runs one mode only";
    return m;
  }
  const double sum_c = std::accumulate(dc.begin(), dc.end(), 0.0);
  const double sum_b = std::accumulate(db.begin(), db.end(), 0.0);
  if (sum_b == 0) {
    // No baseline discovery at all: with zero events, a 95 % upper bound on
    // the baseline's count is 3 (the rule of three), so the multiplier is at
    // least sum_c / 3.
    const double lower = sum_c / 3.0;
    m.value = lower;
    if (reps >= MIN_REPLICATIONS_INTERVAL) m.ci95_low = lower;
    m.method =
        "censored: baseline made no discovery; lower bound = closed_loop discoveries / 3 (95 % upper bound on a "
        "zero Poisson count)";
    m.censored = true;
    m.display = format3(">= %.3g", lower);
    m.note = sum_c == 0 ? "neither mode made a discovery in the horizon" : "the baseline made no discovery in the horizon";
    return m;
  }
  const double value = sum_c / sum_b;
  core::Rng rng = core::Rng::stream(seed, stream);
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
  // Resamples with no baseline discovery count as +infinity.
  for (int i = 0; i < infinite; ++i) ratios.push_back(INFINITY);
  m.value = value;
  // With fewer than 3 replications an interval says nothing: none is given.
  const bool interval = n >= 2 && reps >= MIN_REPLICATIONS_INTERVAL;
  m.ci95_low = valid(quantile(ratios, 0.025), interval);
  m.ci95_high = valid(quantile(ratios, 0.975), interval);
  m.method =
      "ratio of discovery rates (total closed_loop / total baseline discoveries); 95 % percentile bootstrap over "
      "paired replications, 2000 resamples";
  m.display = format3("%.3g", value);
  m.note = reps < MIN_REPLICATIONS_INTERVAL   ? "too few replications for an interval; use 5 or more"
           : reps < MIN_REPLICATIONS_RELIABLE ? "few replications: the interval is rough; use 5 or more"
                                              : "";
  return m;
}

/// multiplier = fewer experiments per discovery x more experiments per cycle x more cycles.
Why why(const Modes& modes, bool paired, int reps, double years) {
  double e[2] = {0, 0}, d[2] = {0, 0}, cyc[2] = {0, 0};
  const char* names[2] = {"closed_loop", "baseline"};
  for (int i = 0; i < 2; ++i)
    if (modes.count(names[i]))
      for (const auto* s : modes.at(names[i]))
        for (const auto& c : s->campaigns) {
          e[i] += static_cast<double>(c.experiments);
          d[i] += static_cast<double>(c.discoveries);
          cyc[i] += static_cast<double>(c.cycles);
        }
  Why w;
  const bool ok = paired && d[0] > 0 && d[1] > 0 && e[0] > 0 && e[1] > 0 && cyc[0] > 0 && cyc[1] > 0;
  const double smarter = ok ? (e[1] / d[1]) / (e[0] / d[0]) : 0;
  const double parallel = ok ? (e[0] / cyc[0]) / (e[1] / cyc[1]) : 0;
  const double faster = ok ? cyc[0] / cyc[1] : 0;
  w.fewer_experiments_per_discovery = valid(smarter, ok);
  w.more_experiments_per_cycle = valid(parallel, ok);
  w.more_cycles_shorter_cycles = valid(faster, ok);
  Why::Numbers* numbers[2] = {&w.closed_loop, &w.baseline};
  for (int i = 0; i < 2; ++i) {
    numbers[i]->experiments_per_discovery = valid(d[i] > 0 ? e[i] / d[i] : 0, d[i] > 0);
    numbers[i]->experiments_per_cycle = valid(cyc[i] > 0 ? e[i] / cyc[i] : 0, cyc[i] > 0);
    numbers[i]->cycles_per_year = valid(reps > 0 ? cyc[i] / reps / years : 0, reps > 0);
  }
  if (ok) {
    const double l[3] = {std::abs(std::log(smarter)), std::abs(std::log(parallel)), std::abs(std::log(faster))};
    const char* which[3] = {"fewer_experiments_per_discovery", "more_experiments_per_cycle",
                            "more_cycles_shorter_cycles"};
    w.carried_by = which[std::max_element(l, l + 3) - l];
  }
  return w;
}

Headline headline(const core::RunResult& run, const Modes& modes, bool paired) {
  const core::ScenarioFacts& sc = run.scenario;
  const double years = sc.horizon_s / YEAR_S;
  Headline h;
  std::vector<double> dc, db;  // discoveries per replication
  if (paired) {
    for (const auto* s : modes.at("closed_loop")) dc.push_back(static_cast<double>(total_discoveries(*s)));
    for (const auto* s : modes.at("baseline")) db.push_back(static_cast<double>(total_discoveries(*s)));
  }
  h.multiplier = multiplier(dc, db, paired, sc.replications, sc.seed);
  h.discovery_definition = sc.discovery_definition;
  // The goal is judged on the figures as report.json prints them; "met at
  // 95 %" needs an interval one can rely on (5 replications or more) whose
  // lower bound reaches the goal.
  const auto& m = h.multiplier;
  h.goal_met = m.value && round_sig(*m.value) >= h.goal;
  h.goal_met_at_95 = sc.replications >= MIN_REPLICATIONS_RELIABLE && m.ci95_low && round_sig(*m.ci95_low) >= h.goal;
  for (const auto& [mode, sims] : modes) {
    std::vector<double> rates;
    for (const auto* s : sims) rates.push_back(static_cast<double>(total_discoveries(*s)) / years);
    h.discoveries_per_year[mode] = mean_ci(rates);
  }
  for (const auto& [mode, sims] : modes) {
    std::vector<double> v;
    FirstDiscovery f;
    for (const auto* s : sims) {
      const double t = first_discovery(*s);
      if (t < 0) ++f.without_discovery;
      v.push_back(t < 0 ? sc.horizon_s : t);
    }
    f.median_s = median(v);
    f.censored = 2 * f.without_discovery >= static_cast<int>(v.size()) && !v.empty();
    h.first_discovery[mode] = f;
  }
  if (paired && h.first_discovery.at("closed_loop").median_s > 0) {
    h.first_discovery_ratio = h.first_discovery.at("baseline").median_s / h.first_discovery.at("closed_loop").median_s;
    h.first_discovery_ratio_censored = h.first_discovery.at("baseline").censored || h.first_discovery.at("closed_loop").censored;
  }
  h.why = why(modes, paired, sc.replications, years);
  const bool priced = sc.priced();
  for (const auto& [mode, sims] : modes) {
    double nh = 0, lh = 0, ej = 0, disc = 0, usd = 0;
    for (const auto* s : sims) {
      for (std::size_t k = 0; k < s->campaigns.size(); ++k) {
        const auto& c = s->campaigns[k];
        nh += c.node_hours;
        lh += c.lab_hours;
        ej += c.energy_j;
        disc += static_cast<double>(c.discoveries);
        if (k < sc.campaigns.size() && sc.campaigns[k].name == c.name) {
          usd += std::max(0.0, sc.campaigns[k].node_hour_usd) * c.node_hours;
          usd += std::max(0.0, sc.campaigns[k].lab_hour_usd) * c.lab_hours;
        }
        usd += c.burst.usd;
      }
      usd += std::max(0.0, sc.people_usd_per_year) * s->horizon_s / YEAR_S;
    }
    h.cost_per_discovery[mode] = {valid(nh / disc, disc > 0), valid(lh / disc, disc > 0),
                                  valid(ej / 3.6e6 / disc, disc > 0), valid(usd / disc, priced && disc > 0)};
  }
  return h;
}

// ---- attribution

/// Totals over the replications picked by `idx` (all when empty), by mode mask.
std::map<unsigned, double> totals(const core::AttributionRun& a, const std::vector<std::size_t>& idx) {
  std::map<unsigned, double> t;
  for (const auto& [mask, d] : a.discoveries) {
    double x = 0;
    if (idx.empty())
      for (double v : d) x += v;
    else
      for (std::size_t k : idx) x += k < d.size() ? d[k] : 0.0;
    t[mask] = x;
  }
  return t;
}

/// ln of each part's factor from mode totals `t`; none where a mode it
/// divides by made no discovery (then the factor is infinite or undefined).
std::vector<Opt> log_factors(const core::AttributionRun& a, const std::map<unsigned, double>& t) {
  auto total = [&](unsigned mask) {
    const auto it = t.find(mask & a.full);
    return it == t.end() ? 0.0 : it->second;
  };
  std::vector<Opt> out(a.parts.size());
  if (a.method == "ladder") {
    unsigned before = 0;
    for (std::size_t i = 0; i < a.parts.size(); ++i) {
      const unsigned reached = a.parts[i].mask & a.full;
      if (reached == before) out[i] = 0.0;  // the same mode: x1 exactly
      else if (total(before) > 0 && total(reached) > 0) out[i] = std::log(total(reached) / total(before));
      before = reached;
    }
    return out;
  }
  // Shapley over the players in play; a player outside them adds nothing.
  std::vector<std::size_t> players;
  for (std::size_t i = 0; i < a.parts.size(); ++i) {
    if ((a.parts[i].mask & a.full) != 0) players.push_back(i);
    else out[i] = 0.0;
  }
  const std::size_t k = players.size();
  std::vector<double> v(std::size_t{1} << k);
  for (std::size_t s = 0; s < v.size(); ++s) {
    unsigned mask = 0;
    for (std::size_t j = 0; j < k; ++j)
      if (s >> j & 1u) mask |= a.parts[players[j]].mask;
    const double x = total(mask);
    if (!(x > 0)) return std::vector<Opt>(a.parts.size());  // ln 0: no Shapley values
    v[s] = std::log(x);
  }
  // weight(|S|) = |S|! (k - |S| - 1)! / k!
  std::vector<double> fact(k + 1, 1.0);
  for (std::size_t i = 1; i <= k; ++i) fact[i] = fact[i - 1] * static_cast<double>(i);
  for (std::size_t j = 0; j < k; ++j) {
    double phi = 0;
    for (std::size_t s = 0; s < v.size(); ++s) {
      if (s >> j & 1u) continue;
      const auto size = static_cast<std::size_t>(__builtin_popcountll(s));
      phi += fact[size] * fact[k - size - 1] / fact[k] * (v[s | (std::size_t{1} << j)] - v[s]);
    }
    out[players[j]] = phi;
  }
  return out;
}

Attribution attribution(const core::RunResult& run, const Multiplier& m) {
  Attribution out;
  const core::AttributionRun& a = run.attribution;
  if (a.method.empty()) {
    out.note = "not run (twin run --attribution ladder or shapley runs the modes in between)";
    return out;
  }
  out.method = a.method;
  out.simulations = a.simulations;
  out.same_in_both = a.same_in_both;
  const double years = run.scenario.horizon_s / YEAR_S;
  std::size_t n = 0;
  for (const auto& [mask, d] : a.discoveries) n = std::max(n, d.size());
  const auto t = totals(a, {});
  auto per_year = [&](unsigned mask) -> Opt {
    const auto it = t.find(mask & a.full);
    if (it == t.end() || n == 0) return std::nullopt;
    return it->second / static_cast<double>(n) / years;
  };
  out.baseline_discoveries_per_year = per_year(0);
  const std::vector<Opt> logs = log_factors(a, t);
  // Percentile bootstrap over the replications, one draw of indices for
  // every mode at once (the modes are paired), on its own stream.
  core::Rng rng = core::Rng::stream(run.scenario.seed, "report.attribution.bootstrap");
  std::vector<std::vector<double>> samples(a.parts.size());
  int left_out = 0;
  for (int b = 0; b < BOOTSTRAP_RESAMPLES && n >= 2; ++b) {
    std::vector<std::size_t> idx(n);
    for (auto& k : idx) k = rng.below(n);
    const std::vector<Opt> l = log_factors(a, totals(a, idx));
    bool all = true;
    for (std::size_t i = 0; i < l.size(); ++i) all = all && l[i].has_value();
    if (!all) {
      ++left_out;
      continue;
    }
    for (std::size_t i = 0; i < l.size(); ++i) samples[i].push_back(std::exp(*l[i]));
  }
  const bool interval = n >= 2 && run.scenario.replications >= MIN_REPLICATIONS_INTERVAL &&
                        left_out < BOOTSTRAP_RESAMPLES;
  double log_sum = 0;
  bool all = true;
  for (std::size_t i = 0; i < a.parts.size(); ++i) {
    const auto& p = a.parts[i];
    AttributionStep s;
    s.name = p.name;
    s.description = p.description;
    s.mode = p.mode;
    if (a.method == "ladder") s.discoveries_per_year = per_year(p.mask);
    s.log_factor = logs[i];
    if (logs[i]) {
      s.factor = std::exp(*logs[i]);
      log_sum += *logs[i];
      if (interval) {
        s.ci95_low = valid(quantile(samples[i], 0.025), true);
        s.ci95_high = valid(quantile(samples[i], 0.975), true);
      }
    } else {
      all = false;
    }
    out.steps.push_back(std::move(s));
  }
  if (all) out.product = std::exp(log_sum);
  const std::string interval_text =
      "95 % percentile bootstrap over paired replications (the same resampled replications for every mode), 2000 "
      "resamples";
  out.explanation =
      a.method == "ladder"
          ? "ladder: baseline, then one step at a time to closed_loop, every mode on the same seeds and nature; a "
            "step's factor is its mode's discoveries over the previous mode's (totals over replications), so the "
            "factors multiply to the multiplier; the order matters (a step is measured with the steps before it "
            "taken); " + interval_text
          : "shapley: every subset of the ingredients (2^k modes on the same seeds and nature); an ingredient's "
            "factor is exp of its Shapley value of ln(discoveries), the mean over all orders of what it adds, so "
            "the ln factors add up to ln(multiplier) and no order is assumed; " + interval_text;
  if (!all)
    out.note = m.censored || !m.value ? "a mode made no discovery, so the factors dividing by it are unknown (the multiplier is censored or missing)"
                                      : "a mode in between made no discovery, so the factors dividing by it are unknown";
  else if (interval && left_out > 0)
    out.note = std::to_string(left_out) + " of 2000 resamples had a mode without a discovery and are left out of the intervals";
  else if (!interval)
    out.note = "too few replications for an interval; use 5 or more";
  else if (run.scenario.replications < MIN_REPLICATIONS_RELIABLE)
    out.note = "few replications: the intervals are rough; use 5 or more";
  return out;
}

// ---- campaigns

CampaignMode campaign_mode(const core::ScenarioFacts& sc, std::size_t ci, const std::string& mode,
                           const std::vector<const core::SimResult*>& sims) {
  const double years = sc.horizon_s / YEAR_S;
  const auto& facts = sc.campaigns[ci];
  std::vector<double> disc, exps, nsims, fails, nh, lh, ej, first, cycles;
  CampaignMode m;
  for (const auto* s : sims) {
    const auto& cs = s->campaigns[ci];
    disc.push_back(static_cast<double>(cs.discoveries));
    exps.push_back(static_cast<double>(cs.experiments));
    nsims.push_back(static_cast<double>(cs.simulations));
    fails.push_back(static_cast<double>(cs.failed_experiments));
    nh.push_back(cs.node_hours);
    lh.push_back(cs.lab_hours);
    ej.push_back(cs.energy_j / 3.6e6);
    cycles.push_back(static_cast<double>(cs.cycles));
    if (cs.first_discovery_s < 0) ++m.without_discovery;
    first.push_back(cs.first_discovery_s < 0 ? sc.horizon_s : cs.first_discovery_s);
  }
  m.policy = facts.policy.count(mode) ? facts.policy.at(mode) : "";
  m.discoveries = mean_ci(disc);
  // Per year from the counts as report.json prints them (6 significant digits).
  auto per_year = [&](const Opt& x) { return x ? Opt(round_sig(*x) / years) : std::nullopt; };
  m.discoveries_per_year = {round_sig(m.discoveries.mean) / years, per_year(m.discoveries.low),
                            per_year(m.discoveries.high)};
  m.experiments = mean(exps);
  m.failed_experiments = mean(fails);
  m.simulations = mean(nsims);
  m.cycles = mean(cycles);
  m.first_median_s = median(first);
  m.first_p90_s = quantile(first, 0.9);
  m.first_censored = 2 * m.without_discovery >= static_cast<int>(first.size()) && !first.empty();
  m.node_hours = mean(nh);
  m.lab_hours = mean(lh);
  m.energy_kwh = mean(ej);
  if (!sims.empty()) {
    const auto& cs = sims.front()->campaigns[ci];
    for (std::size_t i = 0; i < cs.best_value.size(); ++i)
      m.best_over_time.push_back({cs.best_t_s[i] / 86400.0, cs.best_experiments[i], cs.best_value[i]});
    m.first_cycles = cs.first_cycles;
  }
  return m;
}

std::vector<CampaignFigures> campaigns(const core::ScenarioFacts& sc, const Modes& modes) {
  std::vector<CampaignFigures> out;
  for (std::size_t ci = 0; ci < sc.campaigns.size(); ++ci) {
    const auto& f = sc.campaigns[ci];
    CampaignFigures c{f.name, f.kernel, f.target, f.hpc, f.lab, {}};
    for (const auto& [mode, sims] : modes) c.modes[mode] = campaign_mode(sc, ci, mode, sims);
    out.push_back(std::move(c));
  }
  return out;
}

// ---- resources

/// A daily series (utilisation or queue length) per week (7 daily means each;
/// the last week may be shorter), averaged over the replications.
std::vector<double> weekly_means(const std::vector<const core::ResourceSim*>& reps,
                                 std::vector<double> core::ResourceSim::*series) {
  std::vector<double> sum;
  for (const auto* r : reps) {
    const auto& d = r->*series;
    const std::size_t weeks = (d.size() + 6) / 7;
    if (sum.size() < weeks) sum.resize(weeks, 0.0);
    for (std::size_t w = 0; w < weeks; ++w) {
      double x = 0;
      std::size_t n = 0;
      for (std::size_t i = 7 * w; i < d.size() && i < 7 * w + 7; ++i, ++n) x += d[i];
      sum[w] += n ? x / static_cast<double>(n) : 0.0;
    }
  }
  for (double& x : sum) x /= static_cast<double>(std::max<std::size_t>(1, reps.size()));
  return sum;
}

/// One facility over the replications of a mode: `reps[i]` is its result in
/// simulation `sims[i]`; `hpc[i]` (HPC systems only) the same as an HpcSim.
ResourceMode resource_mode(const std::vector<const core::SimResult*>& sims,
                           const std::vector<const core::ResourceSim*>& reps,
                           const std::vector<const core::HpcSim*>& hpc, bool track_queue) {
  std::vector<double> util, q, qmax, wait, wmax, energy, bytes, bg, nf, fk, rq, bg_stated, bg_offered, bg_achieved;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    const auto& x = *reps[i];
    const double denom = x.capacity * x.online_s * (x.kind == "link" ? 2.0 : 1.0);
    util.push_back(denom > 0 ? x.busy_integral / denom : 0);
    q.push_back(x.queue_integral / sims[i]->horizon_s);
    qmax.push_back(x.queue_max);
    wait.push_back(x.waits > 0 ? x.wait_sum_s / static_cast<double>(x.waits) : 0);
    wmax.push_back(x.wait_max_s);
    energy.push_back(x.energy_j / 3.6e6);
    bytes.push_back(x.busy_integral);
  }
  for (const auto* h : hpc) {
    bg.push_back(static_cast<double>(h->background_jobs));
    nf.push_back(static_cast<double>(h->node_failures));
    fk.push_back(static_cast<double>(h->failure_kills));
    rq.push_back(static_cast<double>(h->requeued));
    const double capacity_s = h->capacity * h->online_s;
    bg_stated.push_back(h->background_stated_load);
    bg_offered.push_back(capacity_s > 0 ? h->background_offered_node_s / capacity_s : 0);
    bg_achieved.push_back(capacity_s > 0 ? h->background_busy_node_s / capacity_s : 0);
  }
  ResourceMode m;
  m.utilisation = mean(util);
  m.weekly_utilisation = weekly_means(reps, &core::ResourceSim::daily_utilisation);
  if (track_queue) m.weekly_queue = weekly_means(reps, &core::ResourceSim::daily_queue);
  m.bytes = mean(bytes);
  m.queue_mean = mean(q);
  m.queue_max = max_of(qmax);
  m.wait_mean_s = mean(wait);
  m.wait_max_s = max_of(wmax);
  m.energy_kwh = mean(energy);
  m.background_jobs = mean(bg);
  m.node_failures = mean(nf);
  m.failure_kills = mean(fk);
  m.requeued = mean(rq);
  m.background_stated_load = mean(bg_stated);
  m.background_offered_load = mean(bg_offered);
  m.background_achieved_load = mean(bg_achieved);
  return m;
}

/// The figures of the facility that `get` picks out of each simulation (the
/// first simulation names it).
template <class Get>
ResourceFigures resource(const Modes& modes, const core::ResourceSim& proto, Get get) {
  ResourceFigures r{proto.name, proto.kind, proto.parent, proto.capacity, {}};
  for (const auto& [mode, sims] : modes) {
    std::vector<const core::ResourceSim*> reps;
    std::vector<const core::HpcSim*> hpc;
    for (const auto* s : sims) {
      const auto* x = get(*s);
      reps.push_back(x);
      if constexpr (std::is_same_v<std::remove_cv_t<std::remove_pointer_t<decltype(x)>>, core::HpcSim>) hpc.push_back(x);
    }
    r.modes[mode] = resource_mode(sims, reps, hpc, !proto.daily_queue.empty());
  }
  return r;
}

Resources resources(const core::RunResult& run, const Modes& modes) {
  Resources out;
  if (run.sims.empty()) return out;
  const core::SimResult& first = run.sims.front();
  for (std::size_t i = 0; i < first.hpc.size(); ++i)
    out.hpc.push_back(resource(modes, first.hpc[i], [i](const core::SimResult& s) { return &s.hpc[i]; }));
  for (std::size_t i = 0; i < first.labs.size(); ++i) {
    LabResources l;
    l.lab = resource(modes, first.labs[i], [i](const core::SimResult& s) -> const core::ResourceSim* { return &s.labs[i]; });
    for (std::size_t p = 0; p < first.labs[i].pools.size(); ++p)
      l.pools.push_back(resource(modes, first.labs[i].pools[p],
                                 [i, p](const core::SimResult& s) { return &s.labs[i].pools[p]; }));
    out.labs.push_back(std::move(l));
  }
  for (std::size_t i = 0; i < first.links.size(); ++i)
    out.links.push_back(resource(modes, first.links[i], [i](const core::SimResult& s) { return &s.links[i]; }));
  return out;
}

// ---- cycle

Cycle cycle(const Modes& modes, int reps) {
  Cycle out;
  for (const auto& [mode, sims] : modes) {
    core::CycleTimes sum;
    double n = 0;
    for (const auto* s : sims)
      for (const auto& c : s->campaigns) {
        sum += c.cycle;
        n += static_cast<double>(c.cycles);
      }
    CycleMode m;
    m.cycles = n / std::max(1, reps);
    m.mean_cycle_h = valid(n > 0 ? sum.total() / n / 3600.0 : 0, n > 0);
    const auto vals = stage_values(sum);
    const double total = sum.total();
    for (std::size_t i = 0; i < N_STAGES; ++i) {
      m.hours_per_cycle[i] = valid(n > 0 ? vals[i] / n / 3600.0 : 0, n > 0);
      m.share[i] = total > 0 ? vals[i] / total : 0;
    }
    out.modes[mode] = m;
  }
  const std::string lead = modes.count("closed_loop") ? "closed_loop" : (modes.empty() ? "" : modes.begin()->first);
  if (!lead.empty()) {
    const auto& sh = out.modes.at(lead).share;
    std::array<std::size_t, N_STAGES> order;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sh[a] > sh[b]; });
    int rank = 1;
    for (std::size_t i : order)
      if (sh[i] > 0) out.bottlenecks.push_back({rank++, lead, STAGES[i], sh[i], std::nullopt});
  }
  return out;
}

// ---- conservation

ConservationFigures conservation(const Modes& modes) {
  ConservationFigures out;
  for (const auto& [mode, sims] : modes) {
    std::array<core::Conservation, 3> c;
    for (const auto* x : sims) {
      c[0] += x->jobs;
      c[1] += x->samples;
      c[2] += x->transfers;
    }
    out.jobs += c[0];
    out.samples += c[1];
    out.transfers += c[2];
    out.by_mode[mode] = c;
  }
  return out;
}

// ---- labs

/// A pool's name within its lab: the station kind, "robots", "technicians".
std::string pool_name(const core::LabSim& lab, const core::ResourceSim& p) {
  return p.kind == "station" ? p.name.substr(lab.name.size() + 1) : p.kind == "robot" ? "robots" : p.kind;
}

/// Whether a campaign's facility entry ("frontier", or a preference list
/// "frontier, aurora") names `facility`.
bool names(const std::string& list, const std::string& facility) {
  std::size_t at = 0;
  while (at <= list.size()) {
    std::size_t end = list.find(',', at);
    if (end == std::string::npos) end = list.size();
    std::string item = list.substr(at, end - at);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item == facility) return true;
    at = end + 1;
  }
  return false;
}

LabMode lab_mode(const core::ScenarioFacts& sc, std::size_t li, const std::vector<const core::SimResult*>& sims) {
  const std::string& lab = sims.front()->labs[li].name;
  LabMode m;
  core::LabCounters c;  // summed over replications
  double online_s = 0;
  std::vector<std::string> pools;  // first simulation's order
  std::map<std::string, std::vector<double>> util, queue, wait;
  for (const auto* s : sims) {
    const core::LabSim& l = s->labs[li];
    m.samples += l.samples;
    online_s += l.online_s;
    const auto& k = l.counters;
    c.step_runs += k.step_runs;
    c.step_failures += k.step_failures;
    c.retries += k.retries;
    c.failed_after_retries += k.failed_after_retries;
    c.breakdowns += k.breakdowns;
    c.interrupted_steps += k.interrupted_steps;
    c.robot_moves += k.robot_moves;
    c.robot_jams += k.robot_jams;
    c.restocks += k.restocks;
    c.maintenance_windows += k.maintenance_windows;
    c.setups += k.setups;
    c.batches += k.batches;
    c.discarded_offline += k.discarded_offline;
    c.turnaround_sum_s += k.turnaround_sum_s;
    c.queue_sum_s += k.queue_sum_s;
    c.people_sum_s += k.people_sum_s;
    c.hold_sum_s += k.hold_sum_s;
    c.run_sum_s += k.run_sum_s;
    c.move_sum_s += k.move_sum_s;
    c.downtime_s += k.downtime_s;
    for (const auto& x : l.pools) {
      const std::string pool = pool_name(l, x);
      if (!util.count(pool)) pools.push_back(pool);
      const double denom = x.capacity * x.online_s;
      util[pool].push_back(denom > 0 ? x.busy_integral / denom : 0);
      queue[pool].push_back(s->horizon_s > 0 ? x.queue_integral / s->horizon_s : 0);
      wait[pool].push_back(x.waits > 0 ? x.wait_sum_s / static_cast<double>(x.waits) : 0);
    }
  }
  const double n = static_cast<double>(sims.size());
  auto per_rep = [n](auto v) { return static_cast<double>(v) / n; };
  const double online_days = online_s / 86400.0;
  const auto measured = static_cast<double>(m.samples.finished);
  m.throughput_per_day = online_days > 0 ? measured / online_days : 0;
  const auto ended = static_cast<double>(m.samples.finished + m.samples.failed);
  auto per_sample_h = [ended](double sum_s) { return valid(ended > 0 ? sum_s / ended / 3600.0 : 0, ended > 0); };
  m.turnaround_mean_h = per_sample_h(c.turnaround_sum_s);
  m.queue_h = per_sample_h(c.queue_sum_s);
  m.people_h = per_sample_h(c.people_sum_s);
  m.hold_h = per_sample_h(c.hold_sum_s);
  m.run_h = per_sample_h(c.run_sum_s);
  m.move_h = per_sample_h(c.move_sum_s);
  m.people_share = c.turnaround_sum_s > 0 ? c.people_sum_s / c.turnaround_sum_s : 0;
  double top = -1;
  for (const auto& p : pools) {
    const LabPool lp{p, mean(util[p]), mean(queue[p]), mean(wait[p])};
    if (lp.utilisation > top) {
      top = lp.utilisation;
      m.bottleneck = p;
    }
    m.pools.push_back(lp);
  }
  if (top <= 0) m.bottleneck.clear();  // an idle lab has none
  m.bottleneck_utilisation = std::max(0.0, top);
  for (const auto& p : m.pools)
    if (p.name == m.bottleneck) m.bottleneck_text = busy_text(lab + "." + p.name, p.utilisation, "samples", p.wait_mean_s);
  m.failed_samples = per_rep(c.failed_after_retries);
  m.step_failures = per_rep(c.step_failures);
  m.retries = per_rep(c.retries);
  m.station_breakdowns = per_rep(c.breakdowns);
  m.interrupted_steps = per_rep(c.interrupted_steps);
  m.robot_jams = per_rep(c.robot_jams);
  m.discarded_offline = per_rep(c.discarded_offline);
  m.restocks = per_rep(c.restocks);
  m.maintenance_windows = per_rep(c.maintenance_windows);
  m.repair_downtime_h = c.downtime_s / n / 3600.0;
  m.setups = per_rep(c.setups);
  m.batches = per_rep(c.batches);
  m.robot_moves = per_rep(c.robot_moves);
  m.step_runs = per_rep(c.step_runs);
  double lab_s = 0, total_s = 0, people_s = 0;
  for (const auto* s : sims)
    for (std::size_t ci = 0; ci < s->campaigns.size() && ci < sc.campaigns.size(); ++ci) {
      if (!names(sc.campaigns[ci].lab, lab)) continue;
      const auto& cy = s->campaigns[ci].cycle;
      lab_s += cy.lab_queue_s + cy.lab_run_s;
      people_s += cy.people_s;
      total_s += cy.total();
    }
  m.cycle_share = total_s > 0 ? lab_s / total_s : 0;
  m.cycle_people_share = total_s > 0 ? people_s / total_s : 0;
  return m;
}

/// Each robotic lab: its sample flow, where its samples' time went, its pools'
/// utilisation, failures by cause, its share of its campaigns' cycle time, and
/// its bottleneck (the lead mode's busiest pool).
std::vector<LabFigures> labs(const core::RunResult& run, const Modes& modes) {
  std::vector<LabFigures> out;
  if (run.sims.empty()) return out;
  for (std::size_t li = 0; li < run.sims.front().labs.size(); ++li) {
    LabFigures l;
    l.name = run.sims.front().labs[li].name;
    for (const auto& cf : run.scenario.campaigns)
      if (names(cf.lab, l.name)) l.campaigns.push_back(cf.name);
    for (const auto& [mode, sims] : modes) {
      if (sims.empty()) continue;
      const LabMode m = lab_mode(run.scenario, li, sims);
      if (mode == "closed_loop" || l.bottleneck.empty()) l.bottleneck = m.bottleneck;
      l.modes[mode] = m;
    }
    out.push_back(std::move(l));
  }
  return out;
}

// ---- warnings

Modes modes_of(const core::RunResult& run) {
  Modes modes;
  for (const auto& m : run.scenario.modes) modes[m];
  for (const auto& s : run.sims) modes[s.mode].push_back(&s);
  return modes;
}

std::string days(double s) { return format3("%.3g", s / 86400.0); }

/// Both modes ran: there is a multiplier.
bool paired(const Modes& modes) {
  const auto c = modes.find("closed_loop"), b = modes.find("baseline");
  return c != modes.end() && b != modes.end() && !c->second.empty() && !b->second.empty();
}

void headline_warnings(const core::RunResult& run, const Modes& modes, const Figures& f, std::vector<Warning>& out) {
  const Multiplier& m = f.headline.multiplier;
  const int reps = run.scenario.replications;
  if (!paired(modes)) {
    std::string ran;
    for (const auto& mode : run.scenario.modes) ran += (ran.empty() ? "" : ", ") + mode;
    out.push_back({warn::ONE_MODE,
                   "the scenario runs one mode only (" + ran +
                       "): no baseline, so there is no multiplier and no verdict on the goal",
                   "headline/multiplier"});
  }
  const std::string where = paired(modes) ? "headline/multiplier" : "headline/discoveries_per_year";
  const std::string n = std::to_string(reps) + (reps == 1 ? " replication" : " replications");
  if (reps < MIN_REPLICATIONS_INTERVAL)
    out.push_back({warn::NO_INTERVAL, n + ": too few for a 95 % interval, none is given; use 5 or more", where});
  else if (reps < MIN_REPLICATIONS_RELIABLE)
    out.push_back({warn::FEW_REPLICATIONS,
                   n + ": the 95 % interval is not reliable, and the goal is not judged at 95 %; use 5 or more",
                   where});
  if (m.censored)
    out.push_back({warn::MULTIPLIER_CENSORED,
                   "the baseline made no discovery in the horizon: the multiplier " + m.display +
                       " is a lower bound, not an estimate",
                   "headline/multiplier"});
}

void campaign_warnings(const core::RunResult& run, const Modes& modes, std::vector<Warning>& out) {
  const core::ScenarioFacts& sc = run.scenario;
  for (std::size_t ci = 0; ci < sc.campaigns.size(); ++ci) {
    const auto& c = sc.campaigns[ci];
    if (c.start_s >= sc.horizon_s) {
      out.push_back({warn::START_AFTER_HORIZON,
                     "campaign " + c.name + " starts on day " + days(c.start_s) + ", not before the end of the " +
                         days(sc.horizon_s) + "-day horizon: it does nothing",
                     "campaigns/" + c.name});
      continue;
    }
    for (const auto& [mode, sims] : modes) {
      int stopped = 0, idle = 0;
      double stop_sum_s = 0;
      std::string reason;
      for (const auto* s : sims) {
        if (ci >= s->campaigns.size()) continue;
        const auto& cs = s->campaigns[ci];
        if (cs.stopped_s >= 0) {
          if (stopped++ == 0) reason = cs.stop_reason;
          stop_sum_s += cs.stopped_s;
        }
        if (cs.experiments == 0 && cs.simulations == 0) ++idle;
      }
      const std::string where = "campaigns/" + c.name + "/modes/" + mode;
      const std::string of = " of " + std::to_string(sims.size()) + " " + mode + " replications";
      if (stopped > 0)
        out.push_back({warn::CAMPAIGN_STOPPED,
                       "campaign " + c.name + " stopped in " + std::to_string(stopped) + of + ", on day " +
                           days(stop_sum_s / stopped) + (stopped > 1 ? " on average" : "") +
                           (reason.empty() ? "" : ": " + reason),
                       where});
      else if (!sims.empty() && idle == static_cast<int>(sims.size()))
        out.push_back({warn::CAMPAIGN_IDLE,
                       "campaign " + c.name + " finished no experiment and no simulation in any" + of.substr(3),
                       where});
    }
  }
}

void facility_warnings(const core::RunResult& run, std::vector<Warning>& out) {
  if (run.sims.empty()) return;
  const core::ScenarioFacts& sc = run.scenario;
  auto used = [&sc](const std::string& name, std::string core::CampaignFacts::*field) {
    for (const auto& c : sc.campaigns)
      if (names(c.*field, name)) return true;
    return false;
  };
  auto never_online = [&run](auto get) {
    for (const auto& s : run.sims)
      if (get(s).online_s > 0) return false;
    return true;
  };
  const core::SimResult& first = run.sims.front();
  for (std::size_t i = 0; i < first.hpc.size(); ++i) {
    const std::string& name = first.hpc[i].name;
    const std::string where = "resources/hpc/" + name;
    bool workload = false;
    for (const auto& s : run.sims) workload = workload || s.hpc[i].background_jobs > 0;
    if (never_online([i](const core::SimResult& s) -> const core::ResourceSim& { return s.hpc[i]; }))
      out.push_back({warn::START_AFTER_HORIZON, "HPC system " + name + " is not online at any time within the horizon",
                     where});
    else if (!used(name, &core::CampaignFacts::hpc) && !workload)
      out.push_back({warn::FACILITY_UNUSED, "HPC system " + name + " has no campaign and no background workload", where});
  }
  for (std::size_t i = 0; i < first.labs.size(); ++i) {
    const std::string& name = first.labs[i].name;
    const std::string where = "resources/labs/" + name;
    if (never_online([i](const core::SimResult& s) -> const core::ResourceSim& { return s.labs[i]; }))
      out.push_back({warn::START_AFTER_HORIZON, "lab " + name + " is not online at any time within the horizon", where});
    else if (!used(name, &core::CampaignFacts::lab))
      out.push_back({warn::FACILITY_UNUSED, "lab " + name + " has no campaign (a lab has no workload of its own)", where});
  }
}

/// A mode in which campaigns ran yet no decision cycle finished: the horizon
/// is shorter than one cycle.
void horizon_warnings(const core::RunResult& run, const Modes& modes, std::vector<Warning>& out) {
  const core::ScenarioFacts& sc = run.scenario;
  bool started = false;
  for (const auto& c : sc.campaigns) started = started || c.start_s < sc.horizon_s;
  if (!started) return;
  for (const auto& [mode, sims] : modes) {
    std::int64_t cycles = 0, stopped = 0;
    for (const auto* s : sims)
      for (const auto& c : s->campaigns) {
        cycles += c.cycles;
        stopped += c.stopped_s >= 0;
      }
    if (!sims.empty() && cycles == 0 && stopped == 0)
      out.push_back({warn::HORIZON_SHORT,
                     "no decision cycle finished within the " + days(sc.horizon_s) + "-day horizon in " + mode +
                         ": the horizon is shorter than one cycle",
                     "cycle/" + mode});
  }
}

}  // namespace

namespace {

/// Of `names`, the one whose campaigns' cycles spent the most time in `stages`
/// (index into names; none if no time was spent).
std::optional<std::size_t> most_time(const core::RunResult& run, const std::string& mode,
                                     const std::vector<std::string>& facilities,
                                     std::string core::CampaignFacts::*field, double core::CycleTimes::*a,
                                     double core::CycleTimes::*b) {
  std::optional<std::size_t> best;
  double top = 0;
  for (std::size_t i = 0; i < facilities.size(); ++i) {
    double t = 0;
    for (const auto& s : run.sims)
      if (s.mode == mode)
        for (std::size_t ci = 0; ci < s.campaigns.size() && ci < run.scenario.campaigns.size(); ++ci)
          if (names(run.scenario.campaigns[ci].*field, facilities[i]))
            t += s.campaigns[ci].cycle.*a + s.campaigns[ci].cycle.*b;
    if (t > top) {
      top = t;
      best = i;
    }
  }
  return best;
}

}  // namespace

std::optional<BottleneckResource> bottleneck_resource(const core::RunResult& run, const Figures& f,
                                                      const std::string& mode, const std::string& stage) {
  if (stage == "agent") return BottleneckResource{"agents", "agent", {}, {}, "agents: the decisions themselves (simulated thinking), no facility"};
  if (stage == "people")
    return BottleneckResource{"people", "people", {}, {}, "people: decisions and hand-offs wait for meetings and staffed hours"};
  if (stage == "lab_queue" || stage == "lab_run") {
    std::vector<std::string> labs;
    for (const auto& l : f.labs) labs.push_back(l.name);
    const auto li = most_time(run, mode, labs, &core::CampaignFacts::lab, &core::CycleTimes::lab_queue_s,
                              &core::CycleTimes::lab_run_s);
    if (!li || !f.labs[*li].modes.count(mode)) return std::nullopt;
    const LabMode& m = f.labs[*li].modes.at(mode);
    for (const auto& p : m.pools)
      if (p.name == m.bottleneck) {
        std::string name = labs[*li] + "." + p.name, kind = "station";
        for (const auto& lr : f.resources.labs)
          for (const auto& pool : lr.pools)
            if (pool.lab == labs[*li] && pool.name == name) kind = pool.kind;
        return BottleneckResource{name, kind, p.utilisation, p.wait_mean_s, m.bottleneck_text};  // the lab's own
      }
    return std::nullopt;
  }
  if (stage == "hpc_queue" || stage == "hpc_run") {
    std::vector<std::string> systems;
    for (const auto& h : f.resources.hpc) systems.push_back(h.name);
    const auto hi = most_time(run, mode, systems, &core::CampaignFacts::hpc, &core::CycleTimes::hpc_queue_s,
                              &core::CycleTimes::hpc_run_s);
    if (!hi || !f.resources.hpc[*hi].modes.count(mode)) return std::nullopt;
    const ResourceMode& m = f.resources.hpc[*hi].modes.at(mode);
    return BottleneckResource{systems[*hi], "hpc", m.utilisation, m.wait_mean_s,
                              busy_text(systems[*hi], m.utilisation, "jobs", m.wait_mean_s)};
  }
  if (stage == "transfer") {
    const ResourceFigures* top = nullptr;
    for (const auto& k : f.resources.links)
      if (k.modes.count(mode) && k.modes.at(mode).utilisation > 0 &&
          (!top || k.modes.at(mode).utilisation > top->modes.at(mode).utilisation))
        top = &k;
    if (!top) return std::nullopt;
    const ResourceMode& m = top->modes.at(mode);
    return BottleneckResource{top->name, "link", m.utilisation, {},
                              top->name + ": " + format_number(100 * m.utilisation, 2) + " % busy, " +
                                  format_number(m.bytes / 1e12, 3) + " TB carried"};
  }
  return std::nullopt;
}

const char* const BUY_NEXT_BASIS =
    "read off this run, with no run of its own: the stage that leads the closed-loop cycle (cycle.bottlenecks[0]); "
    "for lab time, the busiest station, robot or technician pool among the labs whose campaigns spend cycle time "
    "there (the pool nearest saturation lengthens its campaigns' cycles most): one more unit of it; for HPC time, 10 % "
    "more nodes on the system behind it; for transfers, twice the bandwidth of the busiest link; people or the agents "
    "themselves: no facility to buy. twin advise runs every option paired and ranks them by measured discoveries per "
    "year (and per dollar where the scenario has prices)";

BuyNext buy_next(const Figures& f) {
  BuyNext b;
  if (f.cycle.bottlenecks.empty()) return b;
  const Bottleneck& lead = f.cycle.bottlenecks.front();
  b.mode = lead.mode;
  b.stage = lead.stage;
  if (lead.stage == "lab_queue" || lead.stage == "lab_run") {
    const LabFigures* at = nullptr;
    for (const auto& l : f.labs) {
      if (!l.modes.count(b.mode)) continue;
      const LabMode& m = l.modes.at(b.mode);
      if (m.cycle_share > 0 && !m.bottleneck.empty() &&
          (!at || m.bottleneck_utilisation > at->modes.at(b.mode).bottleneck_utilisation))
        at = &l;
    }
    if (!at) {
      b.change = "nothing found to buy: no lab pool the campaigns use was busy";
      return b;
    }
    const LabMode& m = at->modes.at(b.mode);
    b.resource = at->name + "." + m.bottleneck;
    if (m.bottleneck == "robots") {
      b.kind = "robot";
      b.change = "one more robot at " + at->name;
    } else if (m.bottleneck == "technicians") {
      b.kind = "technicians";
      b.change = "one more technician on shift at " + at->name;
    } else {
      b.kind = "station";
      b.change = "one more " + m.bottleneck + " station at " + at->name;
    }
    b.why = m.bottleneck_text;
    return b;
  }
  if (lead.resource && (lead.stage == "hpc_queue" || lead.stage == "hpc_run" || lead.stage == "transfer")) {
    b.resource = lead.resource->name;
    b.kind = lead.resource->kind;
    b.change = b.kind == "link" ? "twice the bandwidth of " + b.resource : "10 % more nodes on " + b.resource;
    b.why = lead.resource->text;
    return b;
  }
  b.change = lead.stage == "agent" ? "no facility to buy: the cycle waits on the agents' own decisions"
             : lead.stage == "people"
                 ? "no facility to buy: the cycle waits on people (meetings, staffed hours, hand-offs)"
                 : "no facility to buy: no facility is behind the cycle's leading stage (" + lead.stage + ")";
  return b;
}

std::vector<Warning> warnings(const core::RunResult& run, const Figures& f) {
  const Modes modes = modes_of(run);
  std::vector<Warning> out;
  headline_warnings(run, modes, f, out);
  campaign_warnings(run, modes, out);
  facility_warnings(run, out);
  horizon_warnings(run, modes, out);
  return out;
}

// ---- year by year

const char* const CAPACITY_BASIS =
    "mean over the days whose start falls in the year of what the platform holds at 00:00 of that day (twin inventory "
    "--day D: facilities online and not in a planned outage, links at the bandwidth in force after upgrades, summed one "
    "direction each); random outages and node failures are not subtracted";

namespace {
YearFigures::Capacity year_capacity(const std::vector<core::CapacityStep>& steps, double from_s, double to_s) {
  YearFigures::Capacity c;
  const long d0 = static_cast<long>(std::ceil(from_s / 86400.0 - 1e-9));
  const long d1 = static_cast<long>(std::ceil(to_s / 86400.0 - 1e-9));  // first day not in the year
  if (steps.empty() || d1 <= d0) return c;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const long a = std::max<long>(d0, steps[i].from_day);
    const long b = std::min<long>(d1, i + 1 < steps.size() ? steps[i + 1].from_day : d1);
    if (b <= a) continue;
    const double w = static_cast<double>(b - a) / static_cast<double>(d1 - d0);
    const core::CapacityStep& x = steps[i];
    c.hpc_systems += w * x.hpc_systems;
    c.nodes += w * x.nodes;
    c.gpus += w * x.gpus;
    c.rmax_pflops += w * x.speed_flops / 1e15;
    c.labs += w * x.labs;
    c.stations += w * x.stations;
    c.robots += w * x.robots;
    c.links += w * x.links;
    c.link_capacity_gbps += w * x.link_bps * 8.0 / 1e9;
  }
  return c;
}
}  // namespace

std::vector<YearFigures> year_figures(const core::RunResult& run, GoalYear* goal) {
  const core::ScenarioFacts& sc = run.scenario;
  const Modes modes = modes_of(run);
  const bool both = paired(modes);
  std::vector<YearFigures> out;
  if (!(sc.horizon_s > 0)) return out;
  long start_day = 0;
  (void)core::parse_date(sc.start_date, start_day);
  const int n = std::max(1, static_cast<int>(std::ceil(sc.horizon_s / YEAR_S - 1e-9)));
  // Discoveries per replication in [from_s, to_s).
  auto counts = [&](const std::string& mode, double from_s, double to_s) {
    std::vector<double> v;
    if (!modes.count(mode)) return v;
    for (const auto* s : modes.at(mode)) {
      std::int64_t k = 0;
      for (const auto& c : s->campaigns)
        for (double t : c.discovery_times_s) k += t >= from_s && t < to_s;
      v.push_back(static_cast<double>(k));
    }
    return v;
  };
  const double first_len = std::min(YEAR_S, sc.horizon_s);
  const std::vector<double> first_baseline = counts("baseline", 0, first_len);
  for (int y = 0; y < n; ++y) {
    const double from = y * YEAR_S, to = std::min((y + 1) * YEAR_S, sc.horizon_s), len = to - from;
    YearFigures f;
    const long day = start_day + static_cast<long>(std::floor(from / 86400.0));
    f.start_date = core::civil_text(day);
    f.year = std::stoi(f.start_date.substr(0, 4));
    f.days = len / 86400.0;
    f.capacity = year_capacity(sc.capacity, from, to);
    for (const auto& [mode, sims] : modes) {
      const std::vector<double> k = counts(mode, from, to);
      f.discoveries_per_year[mode] =
          k.empty() ? 0 : std::accumulate(k.begin(), k.end(), 0.0) / static_cast<double>(k.size()) * YEAR_S / len;
    }
    // Ratios of counts over the same length (a shorter last year is scaled
    // to the first year's length against its baseline).
    std::vector<double> closed = counts("closed_loop", from, to);
    // A run of one year is its own first year: the headline's figures, from the headline's stream.
    const std::string stream = n == 1 ? "report.bootstrap" : "report.bootstrap.year." + std::to_string(y);
    f.multiplier = multiplier(closed, counts("baseline", from, to), both, sc.replications, sc.seed, stream);
    if (len != first_len)
      for (double& k : closed) k *= first_len / len;
    f.vs_first_year_baseline = multiplier(closed, first_baseline, both, sc.replications, sc.seed,
                                          y == 0 ? stream : "report.bootstrap.first_year." + std::to_string(y));
    out.push_back(std::move(f));
  }
  if (goal) {
    goal->definition = "the first year whose closed-loop discovery rate is at least x" + format_number(PRODUCTIVITY_GOAL) +
                       " the first year's baseline rate (years[].vs_first_year_baseline); year_at_95: the first whose "
                       "lower 95 % bound is";
    for (const auto& f : out) {
      const Multiplier& m = f.vs_first_year_baseline;
      if (!goal->year && m.value && round_sig(*m.value) >= PRODUCTIVITY_GOAL) goal->year = f.year;
      if (!goal->year_at_95 && sc.replications >= MIN_REPLICATIONS_RELIABLE && m.ci95_low &&
          round_sig(*m.ci95_low) >= PRODUCTIVITY_GOAL)
        goal->year_at_95 = f.year;
    }
  }
  return out;
}

// ---- milestones

Milestones milestones(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  Milestones m;
  m.ioc_day_limit = IOC_DAY_LIMIT;
  m.definition =
      "per campaign, the median over replications of the day (0 = the start date) of its first discovery in "
      "closed_loop mode on or after its closed_loop_from_day (the discoveries it makes before adopting the loop are "
      "baseline work); null when fewer than half the replications make one within the horizon";
  m.ioc_definition = "initial operating capability: some campaign's first closed-loop discovery (its day above) falls "
                     "before day " + std::to_string(IOC_DAY_LIMIT) + " (within the order's " +
                     std::to_string(IOC_DAY_LIMIT) + " days); by: the earliest such campaign";
  long start_day = 0;
  (void)core::parse_date(sc.start_date, start_day);
  const Modes modes = modes_of(run);
  const auto closed = modes.find("closed_loop");
  for (std::size_t ci = 0; ci < sc.campaigns.size(); ++ci) {
    CampaignMilestone c;
    c.campaign = sc.campaigns[ci].name;
    if (closed != modes.end()) {
      const double from_s = std::max(sc.campaigns[ci].start_s, sc.campaigns[ci].closed_loop_from_s);
      std::vector<double> first;
      for (const auto* s : closed->second) {
        double t = INFINITY;
        if (ci < s->campaigns.size())
          for (double d : s->campaigns[ci].discovery_times_s)
            if (d >= from_s) t = std::min(t, d);
        if (std::isfinite(t)) ++c.replications_reached;
        first.push_back(t);
      }
      const double t = median(first);
      if (!first.empty() && std::isfinite(t)) {
        c.day = static_cast<int>(std::floor(t / 86400.0));
        c.date = core::civil_text(start_day + *c.day);
      }
    }
    if (c.day && *c.day < IOC_DAY_LIMIT && (!m.ioc_day || *c.day < *m.ioc_day)) {
      m.ioc_reached = true;
      m.ioc_by = c.campaign;
      m.ioc_day = c.day;
    }
    m.campaigns.push_back(std::move(c));
  }
  return m;
}

Figures compute_figures(const core::RunResult& run) {
  const Modes modes = modes_of(run);
  Figures f;
  f.headline = headline(run, modes, paired(modes));
  f.attribution = attribution(run, f.headline.multiplier);
  f.campaigns = campaigns(run.scenario, modes);
  f.resources = resources(run, modes);
  f.cycle = cycle(modes, run.scenario.replications);
  f.conservation = conservation(modes);
  f.labs = labs(run, modes);
  f.years = year_figures(run, &f.headline.goal_year);
  f.milestones = milestones(run);
  f.security = security(run);
  f.bursting = bursting(run);
  f.money = money(run);
  for (auto& b : f.cycle.bottlenecks) b.resource = bottleneck_resource(run, f, b.mode, b.stage);
  f.headline.buy_next = buy_next(f);
  f.warnings = warnings(run, f);
  return f;
}

}  // namespace twin::reports

#include "twin/Runner.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "twin/AttributionPlan.hpp"
#include "twin/OperatingMode.hpp"
#include "twin/Output.hpp"
#include "twin/ProcessPool.hpp"
#include "twin/SimResultJson.hpp"
#include "twin/sim/Simulation.hpp"

namespace twin {

namespace {

/// A child's work: one simulation, its result as JSON on `fd`.
int simulate_in_child(const Scenario& sc, const std::string& mode, int rep, const RunOptions& opt, int fd,
                      volatile double* clock_out) {
  try {
    core::RecordOptions rec = opt.record;
    if (rec.trace_replication >= 0 && rep != rec.trace_replication) rec.trace = false;
    const core::SimResult r = sim::run_simulation(sc, mode, rep, opt.simgrid_cfg, rec, clock_out, opt.log);
    return write_all(fd, sim_result_to_json(r).dump()) ? 0 : 4;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "twin: simulation %s/%d failed: %s\n", mode.c_str(), rep, e.what());
    return 4;
  }
}

}  // namespace

core::RunResult run_scenario(const Scenario& sc, const RunOptions& options) {
  struct Task {
    int rep;
    std::string mode;
    bool attribution = false;  ///< an intermediate mode: only its discoveries are kept
    unsigned mask = 0;
    bool no_burst = false;     ///< the closed loop without bursting: only a few figures are kept
    bool no_rules = false;     ///< the closed loop with every facility cleared for everything: the same
    bool no_models = false;    ///< the closed loop with no foundation model: the same
    bool no_retraining = false;  ///< the closed loop with every model trained once: the same
    bool paired() const { return no_burst || no_rules || no_models || no_retraining; }
  };
  std::vector<Task> tasks;
  const int first = std::max(0, options.replication_first);
  const int count = options.replication_count > 0 ? options.replication_count : sc.replications;
  // The attribution needs both modes; with one, there is no multiplier to attribute.
  const bool both = std::count(sc.modes.begin(), sc.modes.end(), "closed_loop") > 0 &&
                    std::count(sc.modes.begin(), sc.modes.end(), "baseline") > 0;
  core::AttributionRun plan = attribution_plan(sc, both ? options.attribution : "off");
  const std::set<unsigned> between = attribution_modes(plan);
  // What bursting bought: the closed loop again with no campaign bursting.
  Scenario grounded = sc;
  bool bursts = false;
  for (auto& c : grounded.campaigns) {
    bursts = bursts || c.burst.has_value();
    c.burst.reset();
  }
  const bool closed = std::count(sc.modes.begin(), sc.modes.end(), "closed_loop") > 0;
  bursts = bursts && closed && options.counterfactuals;
  // What the access rules cost: the closed loop again with every facility and link cleared for everything.
  Scenario unrestricted = sc;
  bool labelled = false;
  for (const auto& c : sc.campaigns) labelled = labelled || c.classification != core::Label::PUBLIC;
  labelled = labelled && closed && options.counterfactuals;
  for (auto& x : unrestricted.sites) x.clearance = core::Label::CLASSIFIED;
  for (auto& x : unrestricted.hpc) x.clearance = core::Label::CLASSIFIED;
  for (auto& x : unrestricted.labs) x.clearance = core::Label::CLASSIFIED;
  for (auto& x : unrestricted.clouds) x.clearance = core::Label::CLASSIFIED;
  for (auto& x : unrestricted.stores) x.classification = core::Label::CLASSIFIED;
  for (auto& x : unrestricted.network.links) x.clearance = core::Label::CLASSIFIED;
  // What the foundation models bought: the closed loop again with no campaign using one.
  Scenario modelless = sc;
  bool modelled = false;
  for (auto& c : modelless.campaigns) {
    modelled = modelled || !c.closed_loop.surrogate_model.empty();
    c.closed_loop.surrogate_model.clear();
  }
  modelled = modelled && closed && options.counterfactuals;
  // What retraining bought: the closed loop again with every model trained once.
  Scenario once = sc;
  bool retrains = false;
  for (auto& m : once.models) {
    bool used = false;
    for (const auto& c : sc.campaigns) used = used || c.closed_loop.surrogate_model == m.name;
    retrains = retrains || (used && (m.retrain_every_s > 0 || m.retrain_after_results > 0));
    m.retrain_every_s = 0;
    m.retrain_after_results = 0;
  }
  retrains = retrains && modelled;
  for (int r = first; r < first + count; ++r) {
    for (const auto& m : sc.modes) tasks.push_back({r, m});
    for (unsigned mask : between) tasks.push_back({r, mode_name(mask), true, mask});
    if (bursts) tasks.push_back({r, "closed_loop", false, 0, true});
    if (labelled) tasks.push_back({r, "closed_loop", false, 0, false, true});
    if (modelled) tasks.push_back({r, "closed_loop", false, 0, false, false, true});
    if (retrains) tasks.push_back({r, "closed_loop", false, 0, false, false, false, true});
  }
  std::vector<core::SimResult> results(tasks.size());
  // Each child keeps its simulated clock in a slot of memory shared with the
  // parent, read only for progress.
  const std::size_t map_bytes = std::max<std::size_t>(1, tasks.size()) * sizeof(double);
  void* map = options.on_progress ? ::mmap(nullptr, map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                                  : MAP_FAILED;
  auto* clocks = map == MAP_FAILED ? nullptr : static_cast<volatile double*>(map);
  struct Unmap {
    void* p;
    std::size_t n;
    ~Unmap() {
      if (p != MAP_FAILED) ::munmap(p, n);
    }
  } unmap{map, map_bytes};
  std::vector<char> ended(tasks.size(), 0);
  // Launch order: every closed_loop simulation first, then the
  // intermediate modes, then the rest (the baseline). A closed loop runs
  // several times as long as its baseline, so started last it would run
  // alone at the end while the other workers idle. Results stay in task
  // order: the report does not depend on it.
  std::vector<std::size_t> order(tasks.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto rank = [&](std::size_t i) {
    return tasks[i].mode == "closed_loop" && !tasks[i].paired() ? 0 : tasks[i].attribution || tasks[i].paired() ? 1 : 2;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  std::size_t next = 0, finished = 0;
  auto report_progress = [&] {
    if (!options.on_progress) return;
    RunProgress p;
    p.done = static_cast<int>(finished);
    p.total = static_cast<int>(tasks.size());
    p.simulated_total_s = sc.horizon_s * static_cast<double>(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const double reached = clocks ? clocks[i] : 0.0;
      p.simulated_s += ended[i] ? sc.horizon_s : std::min(sc.horizon_s, reached);
    }
    options.on_progress(p);
  };

  // The intermediate modes keep no per-item records and no trace.
  RunOptions quiet;
  quiet.simgrid_cfg = options.simgrid_cfg;
  quiet.log = options.log;

  ProcessPool pool(options.jobs);  // kills what is left if this throws
  while (finished < tasks.size()) {
    while (next < tasks.size() && pool.has_room()) {
      const std::size_t task = order[next];
      ChildLaunch launch;
      launch.tag = task;
      const Task& t = tasks[task];
      volatile double* clock = clocks ? clocks + task : nullptr;
      launch.body = [&sc, &grounded, &unrestricted, &modelless, &once, &t, &options, &quiet, clock](int fd) {
        const Scenario& which = t.no_burst        ? grounded
                                : t.no_rules      ? unrestricted
                                : t.no_models     ? modelless
                                : t.no_retraining ? once
                                                  : sc;
        return simulate_in_child(which, t.mode, t.rep,
                                 t.attribution || t.paired() ? quiet : options, fd, clock);
      };
      try {
        pool.start(launch);
      } catch (const std::runtime_error& e) {
        throw SimulationFailure(std::string("cannot start a simulation: ") + e.what());
      }
      ++next;
    }
    std::vector<ChildEnd> ends;
    try {
      ends = pool.collect(options.on_progress ? 500 : -1);
    } catch (const std::runtime_error& e) {
      throw SimulationFailure(e.what());
    }
    if (ends.empty()) report_progress();
    for (const auto& end : ends) {
      const Task& t = tasks[end.tag];
      std::string why = end.why();
      if (why.empty()) {
        try {
          results[end.tag] = sim_result_from_json(nlohmann::json::parse(end.out));
        } catch (const std::exception& e) {
          why = e.what();
        }
      }
      if (!why.empty())
        throw SimulationFailure("simulation " + t.mode + " replication " + std::to_string(t.rep) + " failed: " + why);
      ++finished;
      ended[end.tag] = 1;
      report_progress();
    }
  }
  core::RunResult rr;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const Task& t = tasks[i];
    if (t.paired()) {
      core::PairedRun& p = t.no_burst ? rr.no_burst : t.no_rules ? rr.no_rules : t.no_models ? rr.no_models : rr.no_retraining;
      double gpu = 0;
      for (const auto& m : results[i].models)
        for (const auto& tr : m.trainings) gpu += tr.gpu_hours;
      p.model_gpu_hours.push_back(gpu);
      std::vector<double> d, q, cs, n, e;
      for (const auto& c : results[i].campaigns) {
        d.push_back(static_cast<double>(c.discoveries));
        q.push_back(c.cycle.hpc_queue_s);
        cs.push_back(c.cycle.total());
        n.push_back(static_cast<double>(c.cycles));
        e.push_back(static_cast<double>(c.experiments));
      }
      p.experiments.push_back(std::move(e));
      p.discoveries.push_back(std::move(d));
      p.hpc_queue_s.push_back(std::move(q));
      p.cycle_s.push_back(std::move(cs));
      p.cycles.push_back(std::move(n));
      p.simulations++;
      continue;
    }
    const unsigned mask = t.attribution ? t.mask : t.mode == "closed_loop" ? plan.full : 0;
    if (!plan.method.empty()) {
      std::int64_t d = 0;
      for (const auto& c : results[i].campaigns) d += c.discoveries;
      plan.discoveries[mask].push_back(static_cast<double>(d));
    }
    if (t.attribution) ++plan.simulations;
    else rr.sims.push_back(std::move(results[i]));
  }
  rr.attribution = std::move(plan);
  return rr;
}

}  // namespace twin

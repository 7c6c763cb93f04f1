#include "twin/sweep/Sweep.hpp"

#include <time.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <thread>

#include "reports/Report.hpp"
#include "twin/Facts.hpp"
#include "twin/Runner.hpp"
#include "twin/Scenario.hpp"
#include "twin/SimResultJson.hpp"
#include "twin/core/Errors.hpp"
#include "twin/core/Rng.hpp"
#include "twin/sweep/RunPool.hpp"
#include "twin/sweep/Design.hpp"
#include "twin/sweep/MpiLink.hpp"
#include "twin/sweep/SweepReport.hpp"
#include "twin/sweep/SweepSpec.hpp"
#include "twin/sweep/SweepStore.hpp"

namespace twin::sweep {

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;
using core::ExitCode;

int code(ExitCode c) { return static_cast<int>(c); }

std::string signal_name(int sig) {
  const char* n = ::sigabbrev_np(sig);
  return n ? std::string("SIG") + n : std::to_string(sig);
}

/// A run's outcome as the rows the database keeps.
RunRecord make_record(const RunOutcome& o, const core::ScenarioFacts& facts, const SweepSpec& spec) {
  RunRecord r;
  r.variant = o.variant;
  r.replication = o.replication;
  r.exit_status = o.exit_status;
  r.signal = o.signal;
  r.stderr_text = o.err;
  r.wall_start_unix_s = o.wall_start_unix_s;
  r.wall_s = o.wall_s;
  r.host = o.host;
  r.pid = o.pid;
  r.rank = o.rank;
  r.status = "failed";
  if (o.signal != 0) {
    r.error = "killed by signal " + std::to_string(o.signal) + " (" + signal_name(o.signal) + ")";
    return r;
  }
  if (o.exit_status != 0) {
    r.error = "exit status " + std::to_string(o.exit_status);
    return r;
  }
  core::RunResult rr;
  try {
    const json j = json::parse(o.out);
    for (const auto& s : j.at("sims")) rr.sims.push_back(sim_result_from_json(s));
    r.result_json = j.dump();
  } catch (const std::exception& e) {
    r.error = std::string("unreadable result: ") + e.what();
    r.result_json.clear();
    return r;
  }
  rr.scenario = facts;
  rr.scenario.replications = 1;
  const reports::Figures fig = reports::compute_figures(rr);
  const reports::Headline& h = fig.headline;
  r.status = "ok";
  r.multiplier = reports::rounded(h.multiplier.value);
  r.multiplier_censored = h.multiplier.censored;
  auto dpy = [&h](const char* mode) {
    const auto it = h.discoveries_per_year.find(mode);
    return it == h.discoveries_per_year.end() ? std::nullopt : reports::rounded(it->second.mean);
  };
  r.dpy_closed_loop = dpy("closed_loop");
  r.dpy_baseline = dpy("baseline");
  r.ttfd_ratio = reports::rounded(h.first_discovery_ratio);
  for (const auto& s : rr.sims) {
    double d = 0;
    for (const auto& c : s.campaigns) {
      d += static_cast<double>(c.discoveries);
      CampaignRow row;
      row.mode = s.mode;
      row.campaign = c.name;
      row.discoveries = c.discoveries;
      row.experiments = c.experiments;
      row.failed_experiments = c.failed_experiments;
      row.simulations = c.simulations;
      row.cycles = c.cycles;
      if (c.first_discovery_s >= 0) row.first_discovery_days = reports::round_sig(c.first_discovery_s / 86400.0, 9);
      row.node_hours = reports::round_sig(c.node_hours, 9);
      row.lab_hours = reports::round_sig(c.lab_hours, 9);
      row.energy_kwh = reports::round_sig(c.energy_j / 3.6e6, 9);
      r.campaigns.push_back(std::move(row));
    }
    if (s.mode == "closed_loop") r.discoveries_closed_loop = d;
    if (s.mode == "baseline") r.discoveries_baseline = d;
  }
  const ojson rep = spec.outputs.empty() ? ojson() : reports::report_json(rr.scenario, fig, &rr);  // outputs name report keys
  for (const auto& out : spec.outputs) {
    const ojson::json_pointer p(out.pointer);
    r.outputs.emplace_back(out.name, rep.contains(p) ? rep.at(p).dump() : "null");
  }
  return r;
}

json outcome_to_json(const RunOutcome& o) {
  return json{{"variant", o.variant}, {"replication", o.replication}, {"exit_status", o.exit_status},
              {"signal", o.signal},   {"out", o.out},                 {"err", o.err},
              {"wall_start_unix_s", o.wall_start_unix_s}, {"wall_s", o.wall_s}, {"host", o.host},
              {"pid", o.pid},         {"rank", o.rank}};
}

RunOutcome outcome_from_json(const json& j) {
  RunOutcome o;
  o.variant = j.at("variant");
  o.replication = j.at("replication");
  o.exit_status = j.at("exit_status");
  o.signal = j.at("signal");
  o.out = j.at("out");
  o.err = j.at("err");
  o.wall_start_unix_s = j.at("wall_start_unix_s");
  o.wall_s = j.at("wall_s");
  o.host = j.at("host");
  o.pid = j.at("pid");
  o.rank = j.at("rank");
  return o;
}

/// What the coordinator knows of the sweep before running anything.
struct Plan {
  SweepSpec spec;
  std::vector<Variant> variants;
  std::vector<std::string> texts;                 ///< scenario text per variant
  std::vector<std::optional<core::ScenarioFacts>> facts;  ///< empty for an invalid variant
  std::vector<std::string> errors;                ///< per variant, "" when valid
  int replications = 0;
};

Plan make_plan(const std::string& sweep_file) {
  Plan p;
  p.spec = load_sweep(sweep_file);
  const json base = parse_base(p.spec);
  check_pointers(p.spec, base);
  p.variants = make_design(p.spec);
  int base_reps = 0;
  for (const auto& v : p.variants) {
    p.texts.push_back(variant_text(p.spec, base, v));
    try {
      const Scenario sc = parse_scenario(p.texts.back(), p.spec.base_file);
      p.facts.push_back(scenario_facts(sc));
      p.errors.emplace_back();
      if (base_reps == 0) base_reps = sc.replications;
    } catch (const core::ScenarioError& e) {
      p.facts.emplace_back();
      std::string msg;
      for (const auto& d : e.diagnostics())
        msg += (msg.empty() ? "" : "\n") + ("variant " + std::to_string(v.index) + " (" + variant_label(p.spec, v) +
                                            "): " + d.str());
      p.errors.push_back(msg);
    }
  }
  p.replications = p.spec.replications > 0 ? p.spec.replications : (base_reps > 0 ? base_reps : 1);
  for (auto& f : p.facts)
    if (f) f->replications = p.replications;
  return p;
}

/// The sweep's definition, as stored: a later --resume must match it.
std::string definition_of(const Plan& p) {
  ojson d;
  d["sweep"] = p.spec.name;
  d["base"] = p.spec.base_label;
  d["base_text_fnv1a"] = std::to_string(core::stable_hash(p.spec.base_text));
  d["design"] = design_name(p.spec.design);
  d["samples"] = p.spec.samples;
  d["design_seed"] = p.spec.design_seed;
  d["replications"] = p.replications;
  ojson ps = ojson::array();
  for (const auto& x : p.spec.parameters) ps.push_back({{"name", x.name}, {"pointer", x.pointer}});
  d["parameters"] = ps;
  ojson os = ojson::array();
  for (const auto& x : p.spec.outputs) os.push_back({{"name", x.name}, {"pointer", x.pointer}});
  d["outputs"] = os;
  std::uint64_t h = 0;
  for (const auto& t : p.texts) h = core::mix_seed(h, core::stable_hash(t));
  d["variants"] = p.variants.size();
  d["variant_texts_fnv1a"] = std::to_string(h);
  return d.dump();
}

void initialise_store(SweepStore& store, const Plan& p, const std::string& definition) {
  std::vector<ParameterRow> params;
  for (const auto& x : p.spec.parameters) {
    json spec_json = json::object();
    if (x.range) {
      spec_json["range"] = {{"from", x.range->from}, {"to", x.range->to}, {"integer", x.range->integer}, {"log", x.range->log}};
      if (x.range->step) spec_json["range"]["step"] = *x.range->step;
      if (x.range->count) spec_json["range"]["count"] = *x.range->count;
    } else {
      spec_json["values"] = x.values;
    }
    params.push_back({x.name, x.pointer, spec_json.dump()});
  }
  std::vector<VariantRow> rows;
  std::vector<std::vector<std::string>> vj;
  std::vector<std::vector<std::optional<double>>> vn;
  for (std::size_t i = 0; i < p.variants.size(); ++i) {
    const auto& v = p.variants[i];
    ojson values;
    std::vector<std::string> js;
    std::vector<std::optional<double>> ns;
    for (std::size_t k = 0; k < v.values.size(); ++k) {
      values[p.spec.parameters[k].name] = v.values[k];
      js.push_back(v.values[k].dump());
      ns.push_back(v.values[k].is_number() ? std::optional<double>(v.values[k].get<double>()) : std::nullopt);
    }
    rows.push_back({v.index, variant_label(p.spec, v), values.dump(), p.errors[i].empty() ? "valid" : "invalid", p.errors[i]});
    vj.push_back(std::move(js));
    vn.push_back(std::move(ns));
  }
  store.initialise(definition, params, rows, vj, vn);
}

/// Runs `tasks` in a local pool, recording each outcome as it ends.
template <class Record>
void run_local(const std::vector<RunTask>& tasks, int jobs, Record&& record) {
  RunPool pool(jobs);
  std::size_t next = 0;
  while (next < tasks.size() || pool.running() > 0) {
    while (next < tasks.size() && pool.has_room()) pool.start(tasks[next++]);
    for (const auto& o : pool.collect(-1)) record(o);
  }
}

/// Where an MPI sweep's hand-out stands, across calls (after an error, a
/// second call with no tasks releases the ranks still waiting).
struct MpiDispatch {
  int stopped = 0;               ///< ranks told to stop (each is told once)
  std::size_t handed_out = 0;    ///< runs sent to ranks
  std::size_t received = 0;      ///< their outcomes back
};

/// Rank 0 of an MPI sweep: answers each READY with a run (or, when none is
/// left, STOP), records each RESULT, and returns when every rank has been
/// stopped and every run handed out has come back.
template <class Record>
void run_mpi_coordinator(MpiLink& mpi, const std::vector<RunTask>& tasks, Record&& record, MpiDispatch& d) {
  std::size_t next = 0;
  const int workers = mpi.size() - 1;
  while (d.stopped < workers || d.received < d.handed_out) {
    int from = 0;
    MpiTag tag{};
    std::string payload;
    mpi.receive(-1, from, tag, payload);
    if (tag == MpiTag::RESULT) {
      ++d.received;
      record(outcome_from_json(json::parse(payload)));
      continue;
    }
    if (tag != MpiTag::READY) continue;
    if (next < tasks.size()) {
      const RunTask& t = tasks[next++];
      ++d.handed_out;
      mpi.send(from, MpiTag::TASK,
               json{{"variant", t.variant}, {"replication", t.replication}, {"file", t.scenario_file},
                    {"text", t.scenario_text}}.dump());
    } else {
      mpi.send(from, MpiTag::STOP, "");
      ++d.stopped;
    }
  }
}

/// Every other rank of an MPI sweep: up to `jobs` runs at a time, asking for
/// one more (one request outstanding at most) whenever a slot is free, until
/// told to stop; each outcome goes back as it ends.
void run_mpi_worker(MpiLink& mpi, int jobs) {
  RunPool pool(jobs, mpi.rank());
  bool asked = false, stopping = false;
  const timespec pause{0, 2000000};  // 2 ms
  while (!stopping || pool.running() > 0) {
    if (!stopping && !asked && pool.has_room()) {
      mpi.send(0, MpiTag::READY, "");
      asked = true;
    }
    int from = 0;
    MpiTag tag{};
    std::string payload;
    if (asked && mpi.try_receive(0, from, tag, payload)) {
      asked = false;
      if (tag == MpiTag::STOP) {
        stopping = true;
      } else if (tag == MpiTag::TASK) {
        const json j = json::parse(payload);
        RunTask t;
        t.variant = j.at("variant");
        t.replication = j.at("replication");
        t.scenario_file = j.at("file");
        t.scenario_text = j.at("text");
        try {
          pool.start(t);
        } catch (const std::exception& e) {
          RunOutcome o;
          o.variant = t.variant;
          o.replication = t.replication;
          o.exit_status = 3;
          o.err = std::string("rank ") + std::to_string(mpi.rank()) + ": " + e.what();
          o.rank = mpi.rank();
          mpi.send(0, MpiTag::RESULT, outcome_to_json(o).dump());
        }
      }
      continue;
    }
    // Wait on the children; while a request is out, only briefly, to look for the answer.
    if (pool.running() > 0) {
      for (const auto& o : pool.collect(asked ? 2 : -1)) mpi.send(0, MpiTag::RESULT, outcome_to_json(o).dump());
    } else if (asked) {
      nanosleep(&pause, nullptr);
    }
  }
}

int coordinate(const SweepOptions& opt, MpiLink* mpi, MpiDispatch& dispatch) {
  const bool tty = ::isatty(STDERR_FILENO) && !opt.quiet;
  const Plan plan = make_plan(opt.sweep_file);
  int invalid = 0;
  for (const auto& e : plan.errors)
    if (!e.empty()) {
      std::fprintf(stderr, "error: %s\n", e.c_str());
      ++invalid;
    }
  const std::size_t nv = plan.variants.size();
  if (!opt.quiet || opt.check_only)
    std::fprintf(stderr, "sweep %s: %zu variant%s (%zu valid, %d invalid) x %d replication%s, design %s\n",
                 plan.spec.name.c_str(), nv, nv == 1 ? "" : "s", nv - static_cast<std::size_t>(invalid), invalid,
                 plan.replications, plan.replications == 1 ? "" : "s", design_name(plan.spec.design).c_str());
  if (opt.check_only) return invalid ? code(ExitCode::SCENARIO) : 0;

  const std::string out = opt.out.empty() ? "out/sweep-" + plan.spec.name : opt.out;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot create output folder %s: %s\n", out.c_str(), ec.message().c_str());
    return code(ExitCode::SCENARIO);
  }
  const std::string db_path = (std::filesystem::path(out) / "sweep.sqlite").string();
  const bool existed = std::filesystem::exists(db_path);
  if (opt.report_only && !existed) {
    std::fprintf(stderr, "error: %s does not exist: nothing to report\n", db_path.c_str());
    return code(ExitCode::SCENARIO);
  }
  SweepStore store(db_path);
  const std::string definition = definition_of(plan);
  const std::string stored = store.definition();
  if (!stored.empty() && stored != definition) {
    std::fprintf(stderr,
                 "error: %s holds a different sweep (another sweep file, base scenario or design); "
                 "use another --out\n",
                 db_path.c_str());
    return code(ExitCode::SCENARIO);
  }
  if (!stored.empty() && !opt.resume && !opt.report_only) {
    std::fprintf(stderr, "error: %s already holds this sweep: add --resume to continue it, or use another --out\n",
                 db_path.c_str());
    return code(ExitCode::SCENARIO);
  }
  if (stored.empty()) initialise_store(store, plan, definition);

  if (!opt.report_only) {
    if (opt.retry_failed) store.forget_failed_runs();
    const auto done = store.recorded_runs(true);
    std::vector<RunTask> tasks;
    for (std::size_t v = 0; v < nv; ++v) {
      if (!plan.facts[v]) continue;
      for (int r = 0; r < plan.replications; ++r) {
        if (done.count({static_cast<int>(v), r})) continue;
        tasks.push_back(RunTask{static_cast<int>(v), r, plan.texts[v], plan.spec.base_file});
      }
    }
    const std::size_t total = tasks.size();
    if (!opt.quiet && !done.empty())
      std::fprintf(stderr, "resuming: %zu run%s already recorded, %zu to go\n", done.size(),
                   done.size() == 1 ? "" : "s", total);
    std::size_t finished = 0;
    auto record = [&](const RunOutcome& o) {
      const RunRecord r = make_record(o, *plan.facts[static_cast<std::size_t>(o.variant)], plan.spec);
      store.record_run(r);
      ++finished;
      if (r.status != "ok")
        std::fprintf(stderr, "%srun variant %d replication %d failed: %s\n", tty ? "\n" : "", r.variant,
                     r.replication, r.error.c_str());
      if (tty) std::fprintf(stderr, "\rruns: %zu/%zu", finished, total);
    };
    if (mpi && mpi->size() > 1) {
      run_mpi_coordinator(*mpi, tasks, record, dispatch);
    } else {
      const int jobs = opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      run_local(tasks, jobs, record);
    }
    if (tty && total > 0) std::fprintf(stderr, "\n");
  }

  std::vector<std::optional<core::ScenarioFacts>> facts = plan.facts;
  const SweepReportFiles files = write_sweep_report(store, plan.spec, facts, out);
  int failed = 0;
  for (const auto& r : store.runs(false, false)) failed += r.status != "ok";
  if (!opt.quiet) std::cout << files.summary_text;
  std::cout << "Sweep report: " << files.html << "\n";
  if (invalid) return code(ExitCode::SCENARIO);
  if (failed) return code(ExitCode::SIMULATION);
  return 0;
}

}  // namespace

int run_sweep(const SweepOptions& opt) {
  const int launched = MpiLink::launcher_size();
  if ((opt.mpi || launched > 1) && !MpiLink::available()) {
    std::fprintf(stderr, "error: %s\n", MpiLink::how_to_get());
    return code(ExitCode::SCENARIO);
  }
  MpiDispatch dispatch;
  if (!(opt.mpi || launched > 0)) return coordinate(opt, nullptr, dispatch);
  MpiLink mpi;
  if (mpi.rank() != 0) {
    run_mpi_worker(mpi, opt.jobs > 0 ? opt.jobs : 1);
    return 0;
  }
  // Whatever happens on rank 0 (an error, --check, nothing to run), every
  // other rank is told to stop before MPI ends.
  auto release = [&] { run_mpi_coordinator(mpi, {}, [](const RunOutcome&) {}, dispatch); };
  int rc = 0;
  try {
    rc = coordinate(opt, &mpi, dispatch);
  } catch (...) {
    release();
    throw;
  }
  release();
  return rc;
}

int run_distributed(bool mpi_asked, int jobs, const std::function<int(const Dispatch& dispatch)>& plan) {
  const int launched = MpiLink::launcher_size();
  if ((mpi_asked || launched > 1) && !MpiLink::available()) {
    std::fprintf(stderr, "error: %s\n", MpiLink::how_to_get());
    return code(ExitCode::SCENARIO);
  }
  const int local = jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!(mpi_asked || launched > 0)) {
    return plan([local](const std::vector<RunTask>& tasks, const std::function<void(const RunOutcome&)>& record) {
      run_local(tasks, local, record);
    });
  }
  MpiLink mpi;
  if (mpi.rank() != 0) {
    run_mpi_worker(mpi, jobs > 0 ? jobs : 1);
    return 0;
  }
  MpiDispatch dispatch;
  auto release = [&] { run_mpi_coordinator(mpi, {}, [](const RunOutcome&) {}, dispatch); };
  int rc = 0;
  try {
    rc = plan([&](const std::vector<RunTask>& tasks, const std::function<void(const RunOutcome&)>& record) {
      if (mpi.size() > 1) run_mpi_coordinator(mpi, tasks, record, dispatch);
      else run_local(tasks, local, record);
    });
  } catch (...) {
    release();
    throw;
  }
  release();
  return rc;
}

int run_sweep_worker(const std::string& file, int variant, int replication) {
  const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (const char* crash = std::getenv(CRASH_HOOK_ENV)) {
    if (std::string(crash) == std::to_string(variant) + ":" + std::to_string(replication)) {
      std::fprintf(stderr, "twin __sweep-run: aborting on purpose (%s=%s)\n", CRASH_HOOK_ENV, crash);
      std::fflush(stderr);
      std::abort();
    }
  }
  const Scenario sc = parse_scenario(text, file);
  RunOptions ro;
  ro.jobs = 1;
  ro.replication_first = replication;
  ro.replication_count = 1;
  ro.counterfactuals = false;  // only the simulations are kept
  if (const char* cfg = std::getenv("TWIN_SIMGRID_CFG")) ro.simgrid_cfg = cfg;
  const core::RunResult rr = run_scenario(sc, ro);
  json sims = json::array();
  for (const auto& s : rr.sims) sims.push_back(sim_result_to_json(s));
  const std::string outtext = json{{"sims", sims}}.dump();
  std::fwrite(outtext.data(), 1, outtext.size(), stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace twin::sweep

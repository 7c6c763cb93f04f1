#include "twin/cli/AdviseCommand.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "twin/JsonCursor.hpp"
#include "twin/Output.hpp"
#include "twin/Runner.hpp"
#include "twin/Scenario.hpp"
#include "twin/SimResultJson.hpp"
#include "twin/WallClock.hpp"
#include "twin/cli/AdvisePlan.hpp"
#include "twin/cli/AdviseReport.hpp"
#include "twin/cli/CliSupport.hpp"
#include "twin/core/Errors.hpp"
#include "twin/sweep/Sweep.hpp"

namespace twin::cli {

namespace {

using nlohmann::json;

struct AdviseArgs {
  std::string scenario;
  int replications = 3;  ///< the fewest that give an interval (reports::MIN_REPLICATIONS_INTERVAL)
  double horizon_days = 0;
  int jobs = 0;
  bool mpi = false;
  std::string out;
  bool quiet = false;
  int top = 5;
};

std::string clock_text(double s) {
  const auto t = static_cast<long long>(std::max(0.0, s) + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld", t / 60, t % 60);
  return buf;
}

/// Closed-loop discoveries of one run (summed over campaigns).
double discoveries_of(const sweep::RunOutcome& o) {
  const json j = json::parse(o.out);
  double d = 0;
  for (const auto& s : j.at("sims")) {
    const core::SimResult r = sim_result_from_json(s);
    if (r.mode != "closed_loop") continue;
    for (const auto& c : r.campaigns) d += static_cast<double>(c.discoveries);
  }
  return d;
}

int advise(const AdviseArgs& a, const sweep::Dispatch& dispatch) {
  const double t0 = wallclock::monotonic_s();
  const std::string file = a.scenario.empty() ? "<embedded>/genesis-national.json" : a.scenario;
  const std::string text = a.scenario.empty() ? default_scenario_text() : read_input_file(a.scenario, "scenario");
  (void)parse_scenario(text, file);  // every error of the file itself, as twin run shows them
  const int reps = a.replications;
  const json base = advise_base(parse_json_text(text, file), a.horizon_days, reps);
  const Scenario sc = parse_scenario(base.dump(), file);
  std::vector<AdviceOption> options = advice_options(base, sc);
  for (auto& o : options) {
    if (!o.simulate) continue;
    try {
      (void)parse_scenario(o.scenario.dump(), file);
    } catch (const core::ScenarioError& e) {
      throw std::runtime_error("the variant for " + o.resource + " (" + o.change + ") is not a valid scenario: " +
                               (e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().str()));
    }
  }
  // Variant 0 is the base; variant k + 1 is option k.
  std::vector<sweep::RunTask> tasks;
  int simulated = 0;
  for (int r = 0; r < reps; ++r) tasks.push_back({0, r, base.dump(), file});
  for (std::size_t k = 0; k < options.size(); ++k) {
    if (!options[k].simulate) continue;
    ++simulated;
    const std::string vt = options[k].scenario.dump();
    for (int r = 0; r < reps; ++r) tasks.push_back({static_cast<int>(k) + 1, r, vt, file});
  }
  const bool tty = ::isatty(STDERR_FILENO) && !a.quiet;
  if (!a.quiet)
    std::fprintf(stderr, "advise %s: %zu options (%d to simulate, %zu that cannot change a discovery) x %d replication%s "
                 "+ the base: %zu simulations of %g days, closed loop\n",
                 sc.name.c_str(), options.size(), simulated, options.size() - static_cast<std::size_t>(simulated),
                 reps, reps == 1 ? "" : "s", tasks.size(), sc.horizon_s / 86400.0);
  std::map<std::pair<int, int>, double> found;
  std::string failures;
  std::size_t done = 0;
  dispatch(tasks, [&](const sweep::RunOutcome& o) {
    ++done;
    std::string why;
    if (o.signal != 0) why = "killed by signal " + std::to_string(o.signal);
    else if (o.exit_status != 0) why = "exit status " + std::to_string(o.exit_status);
    if (why.empty()) {
      try {
        found[{o.variant, o.replication}] = discoveries_of(o);
      } catch (const std::exception& e) {
        why = std::string("unreadable result: ") + e.what();
      }
    }
    if (!why.empty()) {
      const std::string what = o.variant == 0 ? std::string("the base")
                                              : options[static_cast<std::size_t>(o.variant - 1)].resource;
      failures += "simulation of " + what + ", replication " + std::to_string(o.replication) + " failed: " + why +
                  (o.err.empty() ? "" : "\n" + o.err) + "\n";
    }
    if (tty) {
      const double wall = wallclock::monotonic_s() - t0;
      const double eta = wall / static_cast<double>(done) * static_cast<double>(tasks.size() - done);
      std::fprintf(stderr, "\r\033[Kadvise: simulations %zu/%zu, %s elapsed, ETA %s", done, tasks.size(),
                   clock_text(wall).c_str(), clock_text(eta).c_str());
      std::fflush(stderr);
    }
  });
  if (tty) std::fprintf(stderr, "\n");
  if (!failures.empty()) throw SimulationFailure(failures + "nothing written");

  AdviceRun run;
  run.scenario_name = sc.name;
  run.scenario_file = a.scenario.empty() ? "<embedded>" : a.scenario;
  run.seed = sc.seed;
  run.horizon_s = sc.horizon_s;
  run.replications = reps;
  for (int r = 0; r < reps; ++r) run.base.push_back(found.at({0, r}));
  run.discoveries.resize(options.size());
  for (std::size_t k = 0; k < options.size(); ++k)
    if (options[k].simulate)
      for (int r = 0; r < reps; ++r) run.discoveries[k].push_back(found.at({static_cast<int>(k) + 1, r}));
  run.options = std::move(options);
  const auto advice = advice_json(run);

  const std::string out = a.out.empty() ? "out/advise-" + sc.name : a.out;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot create output folder %s: %s\n", out.c_str(), ec.message().c_str());
    return static_cast<int>(core::ExitCode::SCENARIO);
  }
  const auto path = [&](const char* name) { return (std::filesystem::path(out) / name).string(); };
  write_file_atomic(path("advice.json"), advice.dump(2) + "\n");
  write_file_atomic(path("advice.html"), advice_html(advice));
  const double wall = wallclock::monotonic_s() - t0;
  nlohmann::ordered_json info;
  info["program"] = "twin advise";
  info["scenario_file"] = run.scenario_file;
  info["jobs"] = a.jobs;
  info["simulations"] = tasks.size();
  info["wall_s"] = wall;
  write_file_atomic(path("advise-info.json"), info.dump(2) + "\n");
  if (!a.quiet) std::cout << advice_text(advice, a.top);
  std::cout << "Advice: " << path("advice.json") << "\n";
  if (!a.quiet)
    std::fprintf(stderr, "%zu simulations in %s wall time\n", tasks.size(), clock_text(wall).c_str());
  return 0;
}

}  // namespace

void add_advise_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AdviseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "advise",
      "What to buy next: for every lab a campaign uses, one more unit of each station kind, one more robot, one more "
      "technician on shift and one more lab like it; for every HPC system a campaign uses, 10 % more nodes; for "
      "every link, twice the bandwidth. Each a paired variant (same seeds and nature) in closed_loop mode, run like "
      "a sweep's runs (N at a time, or over MPI ranks: mpirun -n K twin advise ...), ranked by the change in "
      "discoveries per year with a 95 % paired bootstrap interval, and per dollar where the scenario has prices. "
      "Writes DIR/advice.json and DIR/advice.html");
  cmd->add_option("scenario", args->scenario, "Scenario file (default: the embedded national default)");
  cmd->add_option("--replications", args->replications,
                  "Paired replications of the base and of every option (default 3, the fewest that give an "
                  "interval; not the scenario's)")
      ->check(positive_integer());
  cmd->add_option("--horizon-days", args->horizon_days, "Simulated days (default: the scenario's horizon)")
      ->check(positive_number());
  cmd->add_option("--jobs,-j", args->jobs,
                  "Simulations at once (default, and 0: the number of cores); under mpirun, at once on each rank but "
                  "rank 0 (default: 1)")
      ->check(jobs_check());
  cmd->add_flag("--mpi", args->mpi, "Distribute over MPI ranks (implied when started by mpirun)");
  cmd->add_option("--out", args->out, "Output folder (default: ./out/advise-<scenario name>/)");
  cmd->add_option("--top", args->top, "Options shown on the terminal (default 5)")->check(positive_integer());
  cmd->add_flag("--quiet,-q", args->quiet, "Print only the advice's path and errors; no progress");
  cmd->callback([args, &exit_code]() {
    exit_code = guarded([&] {
      return sweep::run_distributed(args->mpi, args->jobs,
                                    [&](const sweep::Dispatch& dispatch) { return advise(*args, dispatch); });
    });
  });
}

}  // namespace twin::cli

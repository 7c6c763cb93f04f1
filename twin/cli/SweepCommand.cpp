#include "twin/cli/SweepCommand.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "twin/cli/CliSupport.hpp"
#include "twin/core/Errors.hpp"
#include "twin/sweep/Sweep.hpp"

namespace twin::cli {

namespace {

struct WorkerArgs {
  std::string file;
  int variant = 0;
  int replication = 0;
};

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<sweep::SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run a what-if sweep: every variant of a base scenario (parameters by JSON pointer; grid, random or Latin "
      "hypercube design) x every replication, each run (both modes) its own process, N at a time or spread over MPI "
      "ranks (mpirun -n K twin sweep ...). Results in DIR/sweep.sqlite; report in DIR/sweep.html, "
      "DIR/sweep-summary.json, DIR/variants.csv, DIR/runs.csv. Exit 0; 2 bad sweep file or invalid variant (the "
      "valid ones still run); 4 a run failed (recorded; the others complete)");
  cmd->add_option("sweep", args->sweep_file, "Sweep file (JSON)")->required();
  cmd->add_option("--jobs,-j", args->jobs, "Runs at once (default, and 0: the number of cores); under mpirun, runs at once on each rank but rank 0 "
                  "(default: 1)")
      ->check(jobs_check());
  cmd->add_option("--out", args->out, "Output folder (default: ./out/sweep-<name>/)");
  cmd->add_flag("--resume", args->resume, "Continue the sweep in --out: runs already recorded are not run again");
  cmd->add_flag("--retry-failed", args->retry_failed, "With --resume: run the failed runs again");
  cmd->add_flag("--check", args->check_only, "Validate every variant and stop");
  cmd->add_flag("--report-only", args->report_only, "Rebuild the report and CSV files from the database");
  cmd->add_flag("--mpi", args->mpi, "Distribute over MPI ranks (implied when started by mpirun)");
  cmd->add_flag("--quiet,-q", args->quiet, "Print only the report's path and errors");
  cmd->callback([args, &exit_code]() { exit_code = guarded([&] { return sweep::run_sweep(*args); }, false); });

  auto w = std::make_shared<WorkerArgs>();
  CLI::App* worker = app.add_subcommand("__sweep-run", "internal: one run of a sweep");
  worker->group("");  // hidden from --help
  worker->add_option("--file", w->file, "what relative paths resolve against")->required();
  worker->add_option("--variant", w->variant)->required();
  worker->add_option("--replication", w->replication)->required();
  worker->callback([w, &exit_code]() {
    exit_code = guarded([&] { return sweep::run_sweep_worker(w->file, w->variant, w->replication); }, false);
  });
}

}  // namespace twin::cli

#pragma once
// `twin sweep`: every (variant, replication) of a sweep as its own run (both
// modes, its own process), locally with a pool of `jobs` or over MPI ranks;
// results into DIR/sweep.sqlite, then DIR/sweep.html, DIR/sweep-summary.json,
// DIR/variants.csv and DIR/runs.csv built from the database.
#include <functional>
#include <string>
#include <vector>

#include "twin/sweep/RunPool.hpp"

namespace twin::sweep {

struct SweepOptions {
  std::string sweep_file;
  std::string out;           ///< default ./out/sweep-<name>/
  int jobs = 0;              ///< 0: the number of cores; under MPI, per rank but rank 0 (0: 1)
  bool resume = false;       ///< continue the sweep already in `out`
  bool retry_failed = false; ///< with resume: run failed runs again
  bool check_only = false;   ///< validate every variant, run nothing
  bool report_only = false;  ///< rebuild the report and CSV from the database
  bool mpi = false;          ///< asked for MPI explicitly
  bool quiet = false;
};

/// Runs a sweep; returns the process exit code: 0 all runs ok; 2 the sweep
/// file or a variant is invalid (valid variants still run), or `out` holds
/// another sweep; 4 some run failed (recorded, the others complete).
/// Throws core::ScenarioError for a bad sweep file.
int run_sweep(const SweepOptions& options);

/// Runs `tasks` as a sweep runs its runs, for other commands that run many
/// (twin advise): each a child `__sweep-run` process, `jobs` at a time here,
/// or, under mpirun (or with `mpi`), handed out by rank 0 to the other ranks
/// (`jobs` each, default 1). `plan` runs on rank 0 only (alone without MPI):
/// it gets a `dispatch` that runs its tasks and hands each outcome to
/// `record` as it ends, in whatever order they end; under MPI it may be
/// called once. Returns `plan`'s exit code on rank 0, 0 on the others, or
/// 2 when MPI is asked for and this build has none.
using Dispatch =
    std::function<void(const std::vector<RunTask>& tasks, const std::function<void(const RunOutcome&)>& record)>;
int run_distributed(bool mpi, int jobs, const std::function<int(const Dispatch& dispatch)>& plan);

/// The hidden `__sweep-run` worker: reads a scenario's text on stdin (its
/// relative paths resolving against `file`), runs replication `replication`
/// in both modes, prints {"sims": [...]} on stdout. Returns the exit code.
int run_sweep_worker(const std::string& file, int variant, int replication);

}  // namespace twin::sweep

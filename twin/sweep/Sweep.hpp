#pragma once
// `twin sweep`: every (variant, replication) of a sweep as its own run (both
// modes, its own process), locally with a pool of `jobs` or over MPI ranks;
// results into DIR/sweep.sqlite, then DIR/sweep.html, DIR/sweep-summary.json,
// DIR/variants.csv and DIR/runs.csv built from the database.
#include <string>

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

/// The hidden `__sweep-run` worker: reads a scenario's text on stdin (its
/// relative paths resolving against `file`), runs replication `replication`
/// in both modes, prints {"sims": [...]} on stdout. Returns the exit code.
int run_sweep_worker(const std::string& file, int variant, int replication);

}  // namespace twin::sweep

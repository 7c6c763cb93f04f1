#pragma once
// `twin sweep SWEEP.json [--jobs N] [--out DIR] [--resume] [--retry-failed]
// [--check] [--report-only] [--mpi]`: what-if studies, one run per (variant,
// replication), results in DIR/sweep.sqlite, report in DIR/sweep.html (see
// twin/sweep/Sweep.hpp). Also the hidden `__sweep-run` subcommand that a
// sweep starts for each run (scenario text on stdin, result JSON on stdout).
#include <CLI/CLI.hpp>

namespace twin::cli {

/// Adds `sweep` and the hidden `__sweep-run`; when one runs it sets
/// `exit_code` (0; 2 bad sweep file or invalid variant; 3 internal; 4 a run failed).
void add_sweep_command(CLI::App& app, int& exit_code);

}  // namespace twin::cli

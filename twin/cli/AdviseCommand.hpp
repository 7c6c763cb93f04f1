#pragma once
// `twin advise [SCENARIO] [--replications N] [--horizon-days D] [--jobs N]
// [--mpi] [--out DIR]`: what to buy next. Every option of
// twin/cli/AdvisePlan.hpp as a paired variant in closed_loop mode, run on the
// sweep's machinery (child processes, N at a time, or MPI ranks), ranked by
// the change in discoveries per year (twin/cli/AdviseReport.hpp). Writes
// DIR/advice.json, DIR/advice.html and DIR/advise-info.json (wall time).
#include <CLI/CLI.hpp>

namespace twin::cli {

/// Adds `advise`; when it runs it sets `exit_code` (0; 2 bad scenario or
/// options; 3 internal; 4 a simulation failed: nothing is written).
void add_advise_command(CLI::App& app, int& exit_code);

}  // namespace twin::cli

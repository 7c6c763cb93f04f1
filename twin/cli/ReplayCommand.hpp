#pragma once
// `twin replay TRACE [--nodes N] --policy fcfs|easy|conservative [--out DIR]`:
// replays a Parallel Workloads Archive (SWF, plain or gzip) or Batsim JSON
// trace through one batch policy with no simulation around it, writes
// DIR/jobs.csv and DIR/summary.json, and prints the summary.
#include <CLI/CLI.hpp>

namespace twin::cli {

/// Adds the `replay` subcommand to `app`; when it runs it sets `exit_code`
/// (0; twin::core::ExitCode::SCENARIO for an unreadable trace or output
/// folder; CLI::ExitCodes::ValidationError for a value that does not suit
/// the trace). An unknown policy fails CLI11's validation during parse.
void add_replay_command(CLI::App& app, int& exit_code);

}  // namespace twin::cli

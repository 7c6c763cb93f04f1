#pragma once
// `twin inventory [SCENARIO] [--day D] [--out DIR]`: what the platform holds
// on day D (default 90): HPC systems online (nodes, GPUs, Rmax or peak,
// power), data stores, network links with the capacity in force that day
// (upgrades counted), robotic labs online (stations, robots, the share of
// steps that run without people: AI-directed readiness), campaigns active,
// and what is not on the platform that day and why. A table on the terminal;
// DIR/inventory.json and DIR/inventory.csv written whole. No simulation runs.
#include <CLI/CLI.hpp>

namespace twin::cli {

/// Adds the `inventory` subcommand to `app`; when it runs it sets
/// `exit_code`: 0, or twin::core::ExitCode::SCENARIO (2) for a scenario
/// error or an output that cannot be written.
void add_inventory_command(CLI::App& app, int& exit_code);

}  // namespace twin::cli

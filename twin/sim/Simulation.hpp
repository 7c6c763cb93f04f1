#pragma once
// One simulation: one mode of one replication, on one SimGrid engine. A
// process can run only one (SimGrid allows one engine per process), so
// twin run forks a child per simulation.
#include <string>
#include <vector>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"

namespace twin::sim {

/// `mode`: "closed_loop", "baseline", or a mode in between named by its
/// ingredients ("baseline+agent+cadence", twin/OperatingMode.hpp).
/// Extra SimGrid configuration for this process, e.g. "contexts/factory:thread"
/// under AddressSanitizer; read from the TWIN_SIMGRID_CFG environment variable
/// by the `twin` program, never by the simulation itself.
/// `record` says which per-item records and trace slices to keep (SimResult::log).
/// `clock_out`, if given, is kept at the simulated time reached (for progress).
/// `log`: SimGrid --log settings (XBT names, e.g. "twin_lab.thres:debug"),
/// applied after the default that silences SimGrid; diagnostics go to stderr.
core::SimResult run_simulation(const Scenario& sc, const std::string& mode, int replication,
                               const std::string& simgrid_cfg = "", const core::RecordOptions& record = {},
                               volatile double* clock_out = nullptr, const std::vector<std::string>& log = {});

}  // namespace twin::sim

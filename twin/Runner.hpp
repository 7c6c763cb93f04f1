#pragma once
// A run: every simulation (mode x replication) of a scenario, each in its
// own child process (one SimGrid engine per process), `jobs` at a time. The
// results come back over pipes and are stored in a fixed order (replication,
// then mode), so nothing downstream depends on `jobs` or on timing. With an
// attribution, each replication also runs the modes in between baseline and
// closed_loop; only their discoveries are kept (RunResult::attribution).
// Where a campaign bursts to a cloud, the closed loop also runs without
// bursting; where one is labelled above public, with every facility cleared
// for everything (RunResult::no_burst, ::no_rules: a few figures each).
#include <functional>
#include <string>
#include <vector>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"

namespace twin {

struct RunProgress {
  int done = 0, total = 0;       ///< simulations
  double simulated_s = 0;        ///< simulated time reached, summed over simulations
  double simulated_total_s = 0;  ///< horizon x simulations
};

struct RunOptions {
  int jobs = 1;
  std::string simgrid_cfg;  ///< extra SimGrid --cfg for children
  std::vector<std::string> log;  ///< SimGrid --log settings for children (diagnostics on stderr)
  core::RecordOptions record;  ///< per-item records and trace slices to keep
  /// Which replications to run: [first, first + count); count 0 = all of the scenario's.
  /// A replication's seed depends only on the scenario's seed and its index.
  int replication_first = 0;
  int replication_count = 0;
  /// The attribution of the multiplier: "ladder" or "shapley" adds the modes
  /// in between baseline and closed_loop (twin/AttributionPlan.hpp), run with
  /// the same seeds and without records or traces; "off" adds none.
  std::string attribution = "off";
  /// The paired counterfactual closed loops (without bursting, without the
  /// access rules) where the scenario has bursting or labels; sweeps and
  /// advise, which keep only the simulations, turn them off.
  bool counterfactuals = true;
  /// Called in the parent when a simulation ends and about twice a second
  /// while any runs (only if set).
  std::function<void(const RunProgress&)> on_progress;
};

/// Thrown when a child simulation fails (crash, signal, bad output).
class SimulationFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

core::RunResult run_scenario(const Scenario& sc, const RunOptions& options);

}  // namespace twin

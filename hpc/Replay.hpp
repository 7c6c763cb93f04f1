#pragma once
// Replays a workload through a scheduling policy with a plain event loop (no
// network or compute model): the metrics of the scheduling literature for
// HPC people who only want the scheduler. At one instant, finishes are
// handled first (in (end, job index) order), then submissions (in workload
// order), then one scheduling pass; a started job ends at start + run time,
// or at start + requested time if it would run past it and the overrun
// policy is KILL.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "hpc/Power.hpp"
#include "hpc/Scheduler.hpp"
#include "hpc/Workload.hpp"

namespace twin::hpc {

struct ReplayOptions {
  SchedulerOptions scheduler;    ///< overrun policy KILL by default
  double slowdown_tau_s = 10;    ///< bound of the bounded slowdown
  /// Jobs submitted before (first submit + warmup_s) are scheduled but left
  /// out of the wait and slowdown metrics; utilisation counts from then on.
  double warmup_s = 0;
  /// Node power for the energy figures; all zero (the default) leaves them out.
  NodePower node_power;
  /// Called after every scheduling pass (for checks and traces); may be empty.
  std::function<void(double now_s, const Scheduler& scheduler)> on_pass;
};

struct ReplayJobResult {
  double start_s = 0;
  double end_s = 0;
  std::vector<int> nodes;  ///< ascending; empty if skipped
  bool killed = false;     ///< ended at its requested time
  bool skipped = false;    ///< larger than the machine (less any reserved slice), never submitted
};

struct ReplaySummary {
  std::string policy;
  int nodes = 0;
  std::size_t jobs = 0;          ///< jobs replayed (not skipped)
  std::size_t measured = 0;      ///< jobs in the metrics (after warm-up)
  double mean_wait_s = 0;
  double max_wait_s = 0;
  double mean_bounded_slowdown = 0;
  double slowdown_tau_s = 10;
  double utilisation = 0;        ///< busy node-seconds / (nodes * span), span from warm-up end to the last end
  double makespan_s = 0;         ///< last end - first submit
  std::size_t killed = 0;
  std::size_t skipped = 0;       ///< skipped by the replay (larger than the machine)
  double warmup_s = 0;
  bool has_energy = false;       ///< node power was given
  double jobs_energy_j = 0;      ///< all replayed jobs on their nodes at busy power
  double system_energy_j = 0;    ///< whole machine from first submit to last end, idle nodes at idle power
};

struct ReplayResult {
  std::vector<ReplayJobResult> jobs;  ///< same order as the input jobs
  ReplaySummary summary;
};

/// Runs `jobs` (in (submit_s, id) order, as load_workload gives them) on a
/// machine of `nodes` nodes under the policy named `policy` (see
/// make_scheduler). Throws std::invalid_argument for a bad policy or size.
ReplayResult replay(const std::vector<WorkloadJob>& jobs, int nodes, const std::string& policy,
                    const ReplayOptions& options = {});

/// jobs.csv: job_id,submit_s,start_s,end_s,wait_s,nodes_requested,
/// nodes_allocated,killed — one line per replayed job in input order;
/// nodes_allocated as Batsim intervals ("0-7 12"); killed 0 or 1.
std::string jobs_csv(const std::vector<WorkloadJob>& jobs, const ReplayResult& result);

/// summary.json text (keys in a fixed order), with the workload's own counts.
std::string summary_json(const ReplaySummary& summary, const WorkloadInfo& info);

/// Writes `text` to `path` through a temporary file in the same folder and a
/// rename, so a reader never sees half a file. Throws std::runtime_error.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace twin::hpc

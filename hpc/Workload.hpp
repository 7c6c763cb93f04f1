#pragma once
// A batch workload: the jobs of a trace (SWF, Batsim JSON) or of the
// synthetic generator, as one record type, so a replay loop or the twin's
// HPC actor can feed them to a Scheduler next to campaign jobs.
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace twin::hpc {

struct WorkloadJob {
  std::string id;          ///< as in the trace (SWF field 1, Batsim "id")
  double submit_s = 0;     ///< submit time, trace time (SWF: seconds from the log's start)
  double run_s = 0;        ///< actual run time, > 0
  double requested_s = 0; ///< requested time (the estimate); the run time where the trace has none
  int nodes = 1;           ///< whole nodes (one trace processor = one node)
  int priority = 0;
  std::string account;     ///< SWF user (field 12), for fair-share; "" when unknown
};

/// What a reader found, and what it left out (never silently).
struct WorkloadInfo {
  std::string source;          ///< file name
  std::string format;          ///< "swf", "batsim" or "synthetic"
  int max_procs = -1;          ///< SWF MaxProcs, -1 when absent
  int max_nodes = -1;          ///< SWF MaxNodes, -1 when absent
  long long unix_start_time = -1;  ///< SWF UnixStartTime, -1 when absent
  int nb_res = -1;             ///< Batsim nb_res, -1 when absent
  std::size_t records = 0;     ///< job records read
  std::size_t skipped_no_runtime = 0;     ///< run time <= 0 (or unknown)
  std::size_t skipped_no_size = 0;        ///< neither allocated nor requested size > 0
  std::size_t skipped_unsupported = 0;    ///< Batsim profile not of type "delay"
  std::size_t skipped_too_large = 0;      ///< more nodes than the machine
  std::size_t outside_selection = 0;      ///< left out by the time window or first-N
  std::size_t requested_from_run = 0;     ///< requested time unknown, the run time used
  std::size_t run_exceeds_request = 0;    ///< run time > requested time (see OverrunPolicy)
  /// The machine's size in nodes as the trace states it: MaxProcs, else
  /// MaxNodes, else nb_res; -1 if the trace does not say.
  int machine_nodes() const;
  std::size_t skipped() const {
    return skipped_no_runtime + skipped_no_size + skipped_unsupported + skipped_too_large;
  }
};

struct Workload {
  WorkloadInfo info;
  std::vector<WorkloadJob> jobs;  ///< in (submit_s, id) order after load_workload
};

/// Selections and transformations users of traces expect. Applied in this
/// order: time window, first N, arrival scaling, size scaling, size limit.
struct WorkloadOptions {
  /// Keep jobs with from_s <= submit_s < to_s (trace time, before scaling).
  double from_s = -std::numeric_limits<double>::infinity();
  double to_s = std::numeric_limits<double>::infinity();
  std::size_t first_n = 0;        ///< keep the first N jobs in (submit, id) order; 0 = all
  /// Arrival-rate factor: submit times are divided by it, measured from the
  /// first kept job (2 = twice as many arrivals per second).
  double arrival_rate_scale = 1.0;
  /// Rescale sizes from the trace's machine to this many nodes:
  /// nodes' = max(1, round(nodes * target / source)); 0 = keep sizes.
  int scale_to_nodes = 0;
  /// The source machine size for scaling; 0 = the trace's machine_nodes().
  int source_nodes = 0;
  /// Skip (and count) jobs larger than this; 0 = the target size, else the
  /// trace's machine_nodes(), else no limit.
  int machine_nodes = 0;
};

/// Reads a trace: Batsim JSON if the file name ends in ".json" (or
/// ".json.gz"), else SWF; plain or gzip-compressed either way. Applies the
/// reading conventions (see read_swf, read_batsim), sorts by (submit_s, id)
/// (ids compared as numbers when both are integers) and applies `options`.
/// Throws twin::core::ScenarioError for an unreadable or malformed file.
Workload load_workload(const std::string& path, const WorkloadOptions& options = {});

/// Sorts by (submit_s, id) and applies `options` to an already read workload.
void apply_workload_options(Workload& workload, const WorkloadOptions& options);

/// The whole content of a file, gunzipped if it is gzip (zlib reads plain
/// files unchanged). Throws twin::core::ScenarioError if unreadable.
std::string read_maybe_gzip(const std::string& path);

}  // namespace twin::hpc

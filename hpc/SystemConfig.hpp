#pragma once
// An HPC system as the batch engine sees it (hpc/BatchEngine.hpp): its size,
// policy, background workload, node failures, power, and when it is up.
#include <memory>
#include <string>
#include <vector>

#include "hpc/NodeFailures.hpp"
#include "hpc/Power.hpp"
#include "hpc/Scheduler.hpp"
#include "hpc/SyntheticWorkload.hpp"
#include "hpc/Workload.hpp"
#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"

namespace twin::hpc {

/// A planned window [from_s, to_s) in which the whole system is down.
struct Outage {
  double from_s = 0;
  double to_s = 0;
  std::string reason;
};

/// What a node failure or an outage does to the campaign jobs it kills.
enum class OnFailure {
  REQUEUE,  ///< resubmitted at once (a new submission, same request)
  LOSE,     ///< ended as failed
};

/// Background jobs larger than the nodes they may use (the machine less the reserved slice).
enum class Oversize {
  CLAMP,  ///< the twin: sized down to the machine
  SKIP,   ///< the replay: never submitted, counted as skipped
};

struct BackgroundConfig {
  enum class Kind { NONE, SYNTHETIC, TRACE };
  Kind kind = Kind::NONE;
  /// SYNTHETIC: the generator (mean_interarrival_s already set for the load).
  SyntheticWorkloadSpec synthetic;
  /// SYNTHETIC: the load it was set for (reported beside the offered and achieved load).
  double stated_load = 0;
  /// TRACE: the jobs, in (submit_s, id) order; submit times are shifted by
  /// the system's online_from_s.
  std::shared_ptr<const std::vector<WorkloadJob>> trace;
  Oversize oversize = Oversize::CLAMP;
};

struct SystemConfig {
  std::string name = "hpc";
  int nodes = 1;
  double node_speed_flops = 1e12;
  std::string scheduler = "fcfs";  ///< a make_scheduler name (a queue-order suffix overrides scheduler_options.order)
  SchedulerOptions scheduler_options;  ///< reserved slice, overrun policy, fair-share half-life
  BackgroundConfig background;
  /// Node failures (node_failures(), keyed by failure_seed); node_mtbf_s <= 0: none.
  NodeFailureSpec node_failures;
  OnFailure on_failure = OnFailure::REQUEUE;
  NodePower power;
  /// Up from online_from_s, retired from offline_from_s (submissions from
  /// then on are discarded), down in each outage window (ordered, disjoint).
  double online_from_s = 0;
  double offline_from_s = core::NEVER;
  std::vector<Outage> outages;
  /// Random whole-system outages: exponential time between them (mean
  /// mtbf_s, counted from the last repair, a keyed stream of the system) and
  /// a drawn repair time; mtbf_s <= 0: none.
  double mtbf_s = 0;
  core::Distribution repair_s = core::Distribution::exponential(4 * 3600.0);
};

}  // namespace twin::hpc

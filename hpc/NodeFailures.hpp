#pragma once
// Node failures as a pure generator of events: each node fails after an
// exponential time to failure (mean node_mtbf_s, counted from its last
// repair) and is repaired after a drawn time (mean = MTTR). Each node draws
// from its own keyed stream (seed, "hpc.failures", node), so a node's
// failures do not depend on the machine's size or on other nodes. The
// caller (the twin's HPC actor, or a replay) kills the job on a failed node
// (Scheduler::job_on_node, finish), takes the node out of scheduling
// (Scheduler::set_node_down) and puts it back at repair (set_node_up); the
// killed job is requeued or lost as the scenario says, and counted.
#include <cstdint>
#include <vector>

#include "twin/core/Distribution.hpp"

namespace twin::hpc {

struct NodeFailureSpec {
  double node_mtbf_s = 0;  ///< mean time between failures of ONE node; <= 0: no failures
  core::Distribution repair_s = core::Distribution::exponential(4 * 3600.0);  ///< default MTTR 4 h
};

struct NodeFailure {
  double fail_s = 0;
  double repaired_s = 0;
  int node = 0;
};

/// Every failure that starts in [0, horizon_s) on nodes 0..nodes-1, sorted by
/// (fail_s, node). A repair may end after horizon_s.
std::vector<NodeFailure> node_failures(const NodeFailureSpec& spec, int nodes, double horizon_s, std::uint64_t seed);

}  // namespace twin::hpc

#pragma once
// A synthetic background workload for a system with no trace: Poisson
// arrivals (exponential gaps of mean mean_interarrival_s), job sizes and
// run times drawn from twin::core::Distribution, and a requested time that
// over-estimates the run time by a drawn factor (users over-request: in the
// PWA traces requests are typically 2-5x the run time). Per job, draws are
// made in a fixed order from the caller's stream: gap, nodes, run time,
// request factor. Defaults (all parameters of a scenario):
//   nodes:  lognormal(median 16, sigma 1.5), rounded, clamped to [1, max_nodes]
//   run:    lognormal(median 3600 s, sigma 1.2), clamped to [60 s, 43200 s]
//           (RAPS's min and max wall time for Frontier)
//   request factor: uniform(1, 4), requested = min(run x factor, max_walltime_s),
//           so a job never runs past its request
#include <string>
#include <vector>

#include "hpc/Workload.hpp"
#include "twin/core/Distribution.hpp"
#include "twin/core/Rng.hpp"

namespace twin::hpc {

struct SyntheticWorkloadSpec {
  double mean_interarrival_s = 600;
  core::Distribution nodes = core::Distribution::lognormal(16, 1.5);
  core::Distribution run_s = core::Distribution::lognormal(3600, 1.2);
  core::Distribution request_factor = core::Distribution::uniform(1, 4);
  int max_nodes = 1;            ///< the machine's size
  double min_run_s = 60;
  double max_walltime_s = 43200;
  std::string id_prefix = "bg-";  ///< ids are prefix + sequence number from 1
};

/// The expected node-seconds one job offers: E[nodes] x E[run time] of what
/// next() makes of the distributions, that is after sizes are rounded and
/// clamped to [1, max_nodes] and run times clamped to [min_run_s,
/// max_walltime_s] (sizes and run times are drawn independently). Exact
/// for every Distribution kind (closed forms of the clamped means; a size's
/// mean as a sum of P(size >= k) over the machine's nodes).
double offered_node_s_per_job(const SyntheticWorkloadSpec& spec);
/// The mean inter-arrival time at which the offered node-seconds over the
/// capacity (max_nodes x time) is `load` (> 0): offered_node_s_per_job /
/// (load x max_nodes). Before issue 16 it used the unclamped means, so a
/// heavy-tailed run time clamped at 12 h offered far less than stated.
double interarrival_for_load(const SyntheticWorkloadSpec& spec, double load);

class SyntheticWorkload {
 public:
  /// Throws std::invalid_argument for max_nodes < 1 or a non-positive gap.
  explicit SyntheticWorkload(const SyntheticWorkloadSpec& spec, double start_s = 0);
  /// The next job, in submit order.
  WorkloadJob next(core::Rng& rng);
  /// Every job submitted before `until_s` (the first job drawn past it is
  /// discarded, so a later next() continues after it).
  std::vector<WorkloadJob> generate(core::Rng& rng, double until_s);
  const SyntheticWorkloadSpec& spec() const { return spec_; }

 private:
  SyntheticWorkloadSpec spec_;
  double clock_s_;
  std::uint64_t count_ = 0;
};

}  // namespace twin::hpc

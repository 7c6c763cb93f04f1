#include "hpc/SyntheticWorkload.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace twin::hpc {

double interarrival_for_load(const SyntheticWorkloadSpec& spec, double load) {
  if (!(load > 0)) throw std::invalid_argument("synthetic workload: load must be > 0");
  const double node_s = spec.nodes.mean() * spec.run_s.mean();
  return node_s / (load * spec.max_nodes);
}

SyntheticWorkload::SyntheticWorkload(const SyntheticWorkloadSpec& spec, double start_s) : spec_(spec), clock_s_(start_s) {
  if (spec.max_nodes < 1) throw std::invalid_argument("synthetic workload: max_nodes must be >= 1");
  if (!(spec.mean_interarrival_s > 0)) throw std::invalid_argument("synthetic workload: mean_interarrival_s must be > 0");
}

WorkloadJob SyntheticWorkload::next(core::Rng& rng) {
  clock_s_ += rng.exponential(spec_.mean_interarrival_s);
  const double nodes = std::round(spec_.nodes.sample(rng));
  const double run_s = std::clamp(spec_.run_s.sample(rng), spec_.min_run_s, spec_.max_walltime_s);
  const double factor = std::max(1.0, spec_.request_factor.sample(rng));
  WorkloadJob j;
  j.id = spec_.id_prefix + std::to_string(++count_);
  j.submit_s = clock_s_;
  j.nodes = static_cast<int>(std::clamp(nodes, 1.0, static_cast<double>(spec_.max_nodes)));
  j.run_s = run_s;
  j.requested_s = std::min(run_s * factor, spec_.max_walltime_s);
  return j;
}

std::vector<WorkloadJob> SyntheticWorkload::generate(core::Rng& rng, double until_s) {
  std::vector<WorkloadJob> out;
  for (;;) {
    WorkloadJob j = next(rng);
    if (!(j.submit_s < until_s)) break;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace twin::hpc

#include "hpc/NodeFailures.hpp"

#include <algorithm>

#include "twin/core/Rng.hpp"

namespace twin::hpc {

std::vector<NodeFailure> node_failures(const NodeFailureSpec& spec, int nodes, double horizon_s, std::uint64_t seed) {
  std::vector<NodeFailure> out;
  if (!(spec.node_mtbf_s > 0)) return out;
  const std::uint64_t stream = core::stable_hash("hpc.failures");
  for (int n = 0; n < nodes; ++n) {
    core::Rng rng = core::Rng::keyed(seed, {stream, static_cast<std::uint64_t>(n)});
    double t_s = 0;
    for (;;) {
      t_s += rng.exponential(spec.node_mtbf_s);
      if (!(t_s < horizon_s)) break;
      const double repair_s = std::max(0.0, spec.repair_s.sample(rng));
      out.push_back({t_s, t_s + repair_s, n});
      t_s += repair_s;
    }
  }
  std::sort(out.begin(), out.end(), [](const NodeFailure& a, const NodeFailure& b) {
    return a.fail_s != b.fail_s ? a.fail_s < b.fail_s : a.node < b.node;
  });
  return out;
}

}  // namespace twin::hpc

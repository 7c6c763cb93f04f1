#include "agents/RandomPolicy.hpp"

#include <stdexcept>
#include <utility>

#include "agents/SpaceTools.hpp"

namespace twin::agents {

std::vector<models::Candidate> RandomPolicy::propose(const PolicyContext& ctx,
                                                     const std::vector<Observation>& observations, int q,
                                                     core::Rng& rng) {
  if (ctx.space == nullptr) throw std::invalid_argument("RandomPolicy::propose: no design space");
  const models::DesignSpace& space = *ctx.space;
  Exclusions taken(space, ctx.exclude, observations);
  std::vector<models::Candidate> out;
  last_flops_ = 0;
  if (q <= 0) return out;
  if (space.is_pool()) {
    std::vector<std::size_t> free = taken.free_rows();
    // Partial Fisher-Yates: the first q of a uniform permutation.
    const std::size_t k = std::min(free.size(), static_cast<std::size_t>(q));
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t j = i + static_cast<std::size_t>(rng.below(free.size() - i));
      std::swap(free[i], free[j]);
      out.push_back(space.pool_candidate(free[i]));
    }
    last_flops_ = static_cast<double>(space.pool_size());
    return out;
  }
  for (int i = 0; i < q; ++i) {
    models::Candidate c = random_box_point(space, rng);
    for (int attempt = 0; attempt < 100 && taken.contains(c); ++attempt) c = random_box_point(space, rng);
    if (taken.contains(c)) break;  // a finite (all-categorical) box that is exhausted
    taken.add(c);
    out.push_back(std::move(c));
  }
  last_flops_ = 10.0 * static_cast<double>(q) * static_cast<double>(space.dimension_count());
  return out;
}

}  // namespace twin::agents

#pragma once
// Grid search, the systematic human baseline, in a space-filling order so
// that any prefix of it covers the space evenly.
//
// Pool: the rows in greedy farthest-point (maximin) order over standardised
// features, starting from the row nearest the centroid; each proposal takes
// the first untaken rows of that fixed order.
// Box: a full factorial grid with `levels` points per continuous dimension
// (bounds included) times every level of each categorical dimension; on a
// simplex, the lattice of compositions with step 1/(levels-1). The grid is
// visited in farthest-point order (scaled coordinates, one-hot categories).
// When every grid point is taken the grid is refined (levels -> 2 levels - 1,
// which contains the old points). A grid is capped at 4096 points: a larger
// one is thinned to every k-th point before ordering.
#include <cstdint>

#include "agents/Policy.hpp"

namespace twin::agents {

class GridPolicy final : public Policy {
 public:
  explicit GridPolicy(int levels = 5);
  std::vector<models::Candidate> propose(const PolicyContext& ctx, const std::vector<Observation>& observations, int q,
                                         core::Rng& rng) override;
  double last_flops() const override { return last_flops_; }
  std::string name() const override { return "grid"; }

 private:
  void build(const models::DesignSpace& space, int levels);

  int initial_levels_;
  int levels_ = 0;
  std::uint64_t fingerprint_ = 0;
  bool built_ = false;
  std::vector<models::Candidate> order_;
  double last_flops_ = 0;
};

/// The points of the grid described above (box spaces), in lexicographic order.
std::vector<std::vector<double>> box_grid_points(const models::DesignSpace& space, int levels);

}  // namespace twin::agents

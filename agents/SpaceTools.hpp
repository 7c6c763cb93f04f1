#pragma once
// Helpers every policy shares: which candidates are taken, uniform draws over
// a space, and the scaled coordinates distances are measured in.
#include <Eigen/Dense>
#include <cstdint>
#include <set>
#include <vector>

#include "agents/Policy.hpp"
#include "models/DesignSpace.hpp"
#include "twin/core/Rng.hpp"

namespace twin::agents {

/// The candidates a policy may not propose: ctx.exclude plus every candidate
/// with a lab observation (failed ones included: a failure is never
/// re-proposed). A candidate that was only simulated (lab = false) stays
/// proposable, so that a multi-fidelity loop can send it to the lab; the
/// campaign lists it in ctx.exclude when it must not be simulated again.
class Exclusions {
 public:
  Exclusions(const models::DesignSpace& space, const std::vector<models::Candidate>* exclude,
             const std::vector<Observation>& observations);
  bool contains(const models::Candidate& c) const;
  void add(const models::Candidate& c);
  /// Pool only: whether row `row` is taken.
  bool row_taken(std::size_t row) const { return pool_taken_[row] != 0; }
  /// Pool only: rows not taken, in increasing order.
  std::vector<std::size_t> free_rows() const;

 private:
  bool is_pool_;
  std::vector<char> pool_taken_;
  std::set<std::vector<double>> box_taken_;
};

/// A uniform draw over a box: continuous dimensions uniform in [low, high],
/// categorical levels uniform; on a simplex, the continuous dimensions are
/// normalised exponentials (uniform on the simplex), redrawn while a bound is
/// violated (at most 1000 times, then clamped and renormalised).
models::Candidate random_box_point(const models::DesignSpace& space, core::Rng& rng);

/// Projects continuous coordinates of `x` back into the space: clamps to the
/// bounds, rounds categorical levels, and renormalises a simplex.
void repair_box_point(const models::DesignSpace& space, std::vector<double>& x);

/// Coordinates that distances are measured in. Pool: each feature column
/// standardised (z-score over the pool; a constant column becomes 0). Box:
/// continuous dimensions scaled to [0, 1] by their bounds; a categorical
/// dimension becomes one-hot columns (levels of them).
class FeatureMap {
 public:
  explicit FeatureMap(const models::DesignSpace& space);
  int width() const { return width_; }
  Eigen::VectorXd map(const std::vector<double>& x) const;
  /// Pool only: every row mapped (n x width).
  const Eigen::MatrixXd& pool_mapped() const { return pool_mapped_; }

 private:
  bool is_pool_ = false;
  std::vector<models::Dimension> dims_;
  Eigen::VectorXd shift_, scale_;
  int width_ = 0;
  Eigen::MatrixXd pool_mapped_;
};

/// Values turned to "larger is better" (negated for minimisation) and
/// standardised to mean 0, sd 1 (population sd; a constant set becomes 0).
Eigen::VectorXd larger_is_better_z(const std::vector<double>& values, models::Goal goal);

/// A fingerprint of a space (FNV-1a over its shape, bounds and pool
/// features), so a policy can tell that its cached state belongs to another
/// problem.
std::uint64_t space_fingerprint(const models::DesignSpace& space);

/// Greedy farthest-point (maximin) order of the rows of `points`, starting
/// from the row nearest their centroid; ties go to the lowest row.
std::vector<std::size_t> farthest_point_order(const Eigen::MatrixXd& points);

}  // namespace twin::agents

#include "agents/ForestPolicy.hpp"

#include <stdexcept>
#include <utility>

#include "agents/Acquisition.hpp"
#include "agents/MultiFidelity.hpp"
#include "agents/RandomPolicy.hpp"

namespace twin::agents {

using models::Candidate;
using models::DesignSpace;

ForestPolicy::ForestPolicy(ForestPolicyConfig config) : config_(config) {
  RandomForest check(config_.forest);  // validates the forest's options
}

std::vector<Candidate> ForestPolicy::propose(const PolicyContext& ctx, const std::vector<Observation>& observations,
                                             int q, core::Rng& rng) {
  if (ctx.space == nullptr) throw std::invalid_argument("rf-lcb: no design space");
  const DesignSpace& space = *ctx.space;
  last_flops_ = 0;
  if (q <= 0) return {};
  const std::uint64_t fp = space_fingerprint(space);
  if (!fmap_ || fp != fingerprint_) {
    fingerprint_ = fp;
    fmap_ = std::make_unique<FeatureMap>(space);
  }
  Exclusions taken(space, ctx.exclude, observations);

  const LabScaleData data = lab_scale_training_data(observations);
  const int n = static_cast<int>(data.rows.size());
  if (n < std::max(1, config_.initial_points)) {
    RandomPolicy random;
    auto picks = random.propose(ctx, observations, q, rng);
    last_flops_ = random.last_flops();
    return picks;
  }
  const int width = std::max(1, fmap_->width());
  Eigen::MatrixXd x(n, width);
  for (int i = 0; i < n; ++i) x.row(i) = fmap_->map(data.rows[static_cast<std::size_t>(i)]->candidate.x).transpose();
  Eigen::VectorXd z = larger_is_better_z(data.values, ctx.goal);

  std::vector<Candidate> picks;
  std::vector<Candidate> options;  // the candidates scored for the current pick
  std::vector<char> chosen;
  if (space.is_pool()) {
    for (std::size_t row : taken.free_rows()) options.push_back(space.pool_candidate(row));
    chosen.assign(options.size(), 0);
  }
  for (int k = 0; k < q; ++k) {
    if (!space.is_pool()) {
      options.clear();
      for (int i = 0; i < std::max(16, config_.box_samples); ++i) {
        Candidate c = random_box_point(space, rng);
        if (!taken.contains(c)) options.push_back(std::move(c));
      }
      chosen.assign(options.size(), 0);
    }
    if (options.empty()) break;
    forest_ = std::make_unique<RandomForest>(config_.forest);
    forest_->fit(x, z, rng);
    Eigen::MatrixXd xc(static_cast<Eigen::Index>(options.size()), width);
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (space.is_pool()) {
        xc.row(static_cast<Eigen::Index>(i)) = fmap_->pool_mapped().row(static_cast<Eigen::Index>(options[i].pool_index));
      } else {
        xc.row(static_cast<Eigen::Index>(i)) = fmap_->map(options[i].x).transpose();
      }
    }
    Eigen::VectorXd mean, sd;
    forest_->predict(xc, mean, sd);
    // The best score; exact ties uniformly at random (reservoir sampling).
    std::size_t best = options.size();
    double best_score = 0;
    std::uint64_t ties = 0;
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (chosen[i] != 0) continue;
      const double s = upper_confidence_bound(mean(static_cast<Eigen::Index>(i)), sd(static_cast<Eigen::Index>(i)),
                                              config_.kappa);
      if (best == options.size() || s > best_score) {
        best = i;
        best_score = s;
        ties = 1;
      } else if (s == best_score && rng.below(++ties) == 0) {
        best = i;
      }
    }
    last_flops_ += forest_->flops() + 4.0 * static_cast<double>(options.size());
    if (best == options.size()) break;
    chosen[best] = 1;
    taken.add(options[best]);
    picks.push_back(options[best]);
    if (k + 1 < q) {  // kriging believer: told its predicted mean
      x.conservativeResize(x.rows() + 1, Eigen::NoChange);
      x.row(x.rows() - 1) = xc.row(static_cast<Eigen::Index>(best));
      z.conservativeResize(z.size() + 1);
      z(z.size() - 1) = mean(static_cast<Eigen::Index>(best));
    }
  }
  return picks;
}

}  // namespace twin::agents

#pragma once
// Random-forest Bayesian optimisation, the `rf-lcb` policy (the study's other
// strong surrogate: Liang et al. 2021 found a random forest with LCB about as
// good as the ARD GP on its datasets).
//
// Each decision:
//  1. Training data as the GP policies': the successful lab observations and
//     the simulated ones put on the lab's scale (lab_scale_training_data);
//     with fewer than `initial_points` of them the policy proposes uniformly
//     at random (the protocol's 2 random initial points).
//  2. Inputs in the space's standard coordinates (FeatureMap: a tree only
//     needs their order); outputs "larger is better" and standardised.
//  3. A RandomForest (agents/RandomForest.hpp) fitted afresh on them, its
//     random numbers (bootstrap samples, feature orders) from the policy's
//     stream.
//  4. Acquisition: the confidence bound mu - kappa sd for minimisation (mu +
//     kappa sd in the larger-is-better units), mu the mean of the trees'
//     predictions and sd their standard deviation across trees, kappa = 2
//     as in the protocol's LCB. Maximised over the untaken pool rows, or over
//     `box_samples` uniform points of a box. A forest predicts the same
//     value on whole cells of the space, so exact ties are common: they are
//     broken uniformly at random from the same stream.
//  5. Batches (q > 1): kriging believer, as in the GP policies: the forest is
//     refitted with each pick told its predicted mean.
#include <memory>
#include <string>

#include "agents/Policy.hpp"
#include "agents/RandomForest.hpp"
#include "agents/SpaceTools.hpp"

namespace twin::agents {

struct ForestPolicyConfig {
  ForestOptions forest;
  double kappa = 2.0;
  int initial_points = 2;
  int box_samples = 1000;
};

class ForestPolicy final : public Policy {
 public:
  explicit ForestPolicy(ForestPolicyConfig config);
  std::vector<models::Candidate> propose(const PolicyContext& ctx, const std::vector<Observation>& observations, int q,
                                         core::Rng& rng) override;
  double last_flops() const override { return last_flops_; }
  std::string name() const override { return "rf-lcb"; }
  const ForestPolicyConfig& config() const { return config_; }
  /// The forest of the last decision's last pick (for tests and diagnostics).
  const RandomForest* surrogate() const { return forest_.get(); }

 private:
  ForestPolicyConfig config_;
  std::uint64_t fingerprint_ = 0;
  std::unique_ptr<FeatureMap> fmap_;
  std::unique_ptr<RandomForest> forest_;
  double last_flops_ = 0;
};

}  // namespace twin::agents

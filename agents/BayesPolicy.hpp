#pragma once
// Gaussian-process Bayesian optimisation, the `gp-*` policies.
//
// Each decision:
//  1. Training data: the successful lab observations (a failed one, value
//     empty, is skipped as training data and, like every observed
//     candidate, never proposed again); simulated observations (lab =
//     false) of candidates without a lab value join on the lab's scale,
//     shifted by the learnt sim-to-lab bias (MultiFidelity.hpp). With fewer
//     than `initial_points` training values the policy proposes uniformly
//     at random (the protocol's 2 random initial points).
//  2. Inputs mapped to standard coordinates (pool: z-scores over the pool;
//     box: [0, 1] per continuous dimension, one-hot categories); outputs
//     turned to "larger is better" (negated for minimisation) and
//     standardised (mean 0, sd 1) over the training values at each step.
//  3. Hyper-parameters by ML-II (GaussianProcess::fit), on a schedule: at
//     every decision while n <= refit_dense_until (with `restarts` starts),
//     then once max(refit_every, ceil(refit_growth x n_last)) new
//     observations have arrived since the last fit (with `late_restarts`
//     starts); every fit warm-starts from the last hyper-parameters, the
//     other starts are random. Beyond `fit_subset` observations the
//     hyper-parameters are fitted on an evenly strided subset of that size
//     (the likelihood costs O(n^3) per evaluation) and the GP then
//     conditions on all of them. Between refits the GP grows by O(n^2)
//     updates, and on a pool the whitened cross-covariance L^-1 K(X, pool)
//     grows by one row, so a decision costs O(n N) instead of O(n^2 N).
//     Beyond `condition_limit` training values (a problem that runs long,
//     e.g. a target never met on a box) the GP conditions on that many:
//     the best half by value, the most recent quarter, and the rest evenly
//     strided over the others, chosen again at every decision; a decision
//     then costs O(limit^2) per scored point, not O(n^2), and the
//     hyper-parameters are fitted within that subset.
//  4. Acquisition (EI, PI, or the optimistic confidence bound mu + kappa
//     sigma, called lcb for its minimisation form and ucb when kappa
//     follows the GP-UCB schedule) maximised over the untaken pool rows, or
//     over a box: `box_samples` random points, the best `local_starts`
//     refined by L-BFGS-B (LBFGS++) on the continuous coordinates (a
//     simplex through x = u / sum(u)), then each categorical input swept
//     over its levels at the refined point. The refinement uses the
//     acquisition's analytic gradient (GaussianProcess::predict_point with
//     gradients: one more triangular solve per step, not d more
//     predictions) and stops once a step gains less than 1e-6 (relative)
//     or after 20 steps. The random points are kept across decisions while
//     the GP's factorisation lasts (new observations extend their cached
//     posterior by rows) and drawn again after each refactorisation.
//  5. Batches (q > 1): kriging believer (the GP is told mu(x) at each pick),
//     constant liar (told the best, mean or worst value seen), or local
//     penalisation (Gonzalez et al. 2016: the acquisition times
//     Phi((L |x - x_j| - M + mu_j) / sigma_j) for each pick x_j, L the
//     largest posterior-mean gradient over the candidates, M the best value).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/Acquisition.hpp"
#include "agents/GaussianProcess.hpp"
#include "agents/Policy.hpp"
#include "agents/PoolPosterior.hpp"
#include "agents/SpaceTools.hpp"

namespace twin::agents {

enum class BatchMode { BELIEVER, LIAR, PENALISE };
enum class LiarValue { BEST, MEAN, WORST };

struct BayesConfig {
  CovarianceKind kernel = CovarianceKind::MATERN52;
  bool ard = true;
  AcquisitionKind acquisition = AcquisitionKind::LCB;
  double kappa = 2.0;            ///< lcb/ucb; ignored when kappa_auto
  bool kappa_auto = false;       ///< ucb default: ucb_kappa_schedule()
  double xi = 0.0;               ///< EI/PI margin, in standardised units
  double noise_variance = 0.01;  ///< in standardised output units (Liang et al.); the fit's start when fit_noise
  bool fit_noise = true;         ///< as GPy's GPRegression in the protocol's code: the noise is a hyper-parameter
  bool constant_term = true;
  int restarts = 3;       ///< ML-II starts per fit while n <= refit_dense_until
  int late_restarts = 2;  ///< starts per fit beyond (the warm start, then the best screened)
  int max_iterations = 60;
  int refit_dense_until = 100;
  int refit_every = 5;
  double refit_growth = 0.1;  ///< beyond the dense phase, also wait for this fraction of new data
  int fit_subset = 400;       ///< ML-II on at most this many observations (every k-th), the GP on all
  int condition_limit = 500;  ///< the GP conditions on at most this many (best, newest, strided); 0: all
  BatchMode batch = BatchMode::BELIEVER;
  LiarValue liar = LiarValue::BEST;
  int box_samples = 1000;
  int local_starts = 4;
  int initial_points = 2;
};

/// The rows a GP conditions on when there are more than `limit` training
/// values z (larger is better; limit > 0): the best half by value (ties by
/// row), then the newest of the others up to a quarter of the limit, then
/// the rest evenly strided over the remaining rows; in row order. All rows
/// when z.size() <= limit or limit <= 0.
std::vector<int> conditioning_subset(const Eigen::VectorXd& z, int limit);

class BayesPolicy final : public Policy {
 public:
  BayesPolicy(std::string name, BayesConfig config);
  std::vector<models::Candidate> propose(const PolicyContext& ctx, const std::vector<Observation>& observations, int q,
                                         core::Rng& rng) override;
  double last_flops() const override { return last_flops_; }
  std::string name() const override { return name_; }
  const BayesConfig& config() const { return config_; }
  /// The surrogate as of the last decision (for tests and diagnostics).
  const GaussianProcess* surrogate() const { return gp_.get(); }
  /// How many ML-II fits the policy has run.
  int fits() const { return fits_; }

 private:
  void reset(const models::DesignSpace& space);
  std::vector<models::Candidate> propose_pool(const models::DesignSpace& space, Exclusions& taken, int q,
                                              GaussianProcess& work, PoolPosterior& posterior, int n_obs);
  std::vector<models::Candidate> propose_box(const models::DesignSpace& space, Exclusions& taken, int q,
                                             GaussianProcess& work, int n_obs, core::Rng& rng);

  std::string name_;
  BayesConfig config_;
  std::uint64_t fingerprint_ = 0;
  bool ready_ = false;
  std::unique_ptr<FeatureMap> fmap_;
  std::unique_ptr<GaussianProcess> gp_;
  std::unique_ptr<PoolPosterior> pool_cache_;
  // Box: the random candidates and their posterior, kept while the GP's
  // factorisation (box_factorisation_) lasts.
  std::vector<std::vector<double>> box_points_;
  std::unique_ptr<PoolPosterior> box_cache_;
  long box_factorisation_ = -1;
  std::optional<Eigen::VectorXd> last_theta_;
  int n_at_last_fit_ = 0;
  int fits_ = 0;
  double last_flops_ = 0;
};

}  // namespace twin::agents

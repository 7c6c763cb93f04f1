#pragma once
// Acquisition functions, in the maximisation convention of the literature:
// the policies hand them f = y for a maximisation goal and f = -y for a
// minimisation goal, so "larger is better" everywhere. `best` is the best f
// observed so far.
//
//   EI  = sigma (phi(u) + u Phi(u)),  u = (mu - best - xi) / sigma
//   PI  = Phi(u)
//   UCB = mu + kappa sigma  (for a minimisation goal this is the LCB
//         mu_y - kappa sigma of y: the same optimistic rule)
#include <Eigen/Dense>
#include <string>

#include "twin/core/Rng.hpp"

namespace twin::agents {

enum class AcquisitionKind { EI, PI, LCB, UCB };

double normal_pdf(double z);
double normal_cdf(double z);

double expected_improvement(double mean, double sd, double best, double xi = 0.0);
double probability_of_improvement(double mean, double sd, double best, double xi = 0.0);
double upper_confidence_bound(double mean, double sd, double kappa);

/// The `ucb` policies' default kappa: sqrt(0.2 d log(2 t)) (Kandasamy et al.
/// 2015's practical form of the GP-UCB schedule of Srinivas et al. 2010), d
/// the input dimension, t the number of observations (>= 1).
double ucb_kappa_schedule(int input_dim, int observations);

/// d/dmu and d/dsigma of each acquisition, for gradient-based refinement.
struct AcquisitionSlope {
  double value = 0, d_mean = 0, d_sd = 0;
};
AcquisitionSlope acquisition_with_slope(AcquisitionKind kind, double mean, double sd, double best, double xi,
                                        double kappa);

/// Monte-Carlo q-EI: E[max(max_i f_i - best, 0)] for f ~ N(mean, cov), with
/// `samples` draws from `rng` (antithetic pairs). `std_error` receives the
/// standard error of the estimate.
double q_expected_improvement_mc(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov, double best, int samples,
                                 core::Rng& rng, double* std_error = nullptr);

}  // namespace twin::agents

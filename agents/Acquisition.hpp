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
#include <vector>

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

/// Local penalisation (Gonzalez et al. 2016) of a batch's later picks: the
/// acquisition (softplus'ed for the confidence bounds, so it is positive) is
/// multiplied by Phi((L |z - c_j| - best + mu_j) / sd_j) for every earlier
/// pick c_j, with mu_j and sd_j the posterior there and L a Lipschitz
/// constant of the mean.
struct LocalPenalty {
  double lipschitz = 0;
  std::vector<Eigen::VectorXd> centres;
  std::vector<double> mean, sd;
};

/// What a GP policy maximises at a point z (the GP's coordinates) whose
/// posterior has `mean` and `variance`: EI, PI or mean + kappa sd, then the
/// penalty when `penalty` has centres.
double acquisition_value(AcquisitionKind kind, double mean, double variance, double best, double xi, double kappa,
                         const Eigen::VectorXd& z, const LocalPenalty* penalty);
/// Its gradient with respect to z, given the gradients of the posterior's
/// mean and variance there (GaussianProcess::predict_point). Where the
/// variance is 0 the sd's share is 0.
Eigen::VectorXd acquisition_gradient(AcquisitionKind kind, double mean, double variance, const Eigen::VectorXd& d_mean,
                                     const Eigen::VectorXd& d_variance, double best, double xi, double kappa,
                                     const Eigen::VectorXd& z, const LocalPenalty* penalty);

/// Monte-Carlo q-EI: E[max(max_i f_i - best, 0)] for f ~ N(mean, cov), with
/// `samples` draws from `rng` (antithetic pairs). `std_error` receives the
/// standard error of the estimate.
double q_expected_improvement_mc(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov, double best, int samples,
                                 core::Rng& rng, double* std_error = nullptr);

}  // namespace twin::agents

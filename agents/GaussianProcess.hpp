#pragma once
// An exact Gaussian-process regressor (Rasmussen & Williams, ch. 2 and 5).
//
// Covariance k(x, x') = s2 * r(x, x') + c2, with r the squared-exponential
// exp(-d^2/2) or the Matern-5/2 (1 + sqrt5 d + 5/3 d^2) exp(-sqrt5 d), where
// d^2 = sum_m (x_m - x'_m)^2 / l_m^2 (ARD: one length-scale l_m per input;
// isotropic: one shared l), s2 the signal variance and c2 a constant term
// (a constant mean with a Gaussian prior; off: c2 = 0). Observations carry
// Gaussian noise of variance n2. The class is plain maths: it does no
// standardisation (the policies standardise inputs and outputs).
//
// Hyper-parameters live in log space as one vector theta =
// (log l_1..log l_L, log s2, [log c2 if the constant term is on], [log n2 if
// the noise is fitted]), L = input dimension (ARD) or 1 (isotropic).
//
// Numerics: the Cholesky factor of K + n2 I is computed once per data set
// (jitter retries: 1e-10, 1e-9, ... up to 1e-4 times the mean diagonal);
// adding one observation extends the factor in O(n^2) (a rank-one update of
// the bordered matrix); new targets for the same inputs only re-solve
// alpha in O(n^2). Every operation adds its floating-point work to flops().
#include <Eigen/Dense>
#include <vector>

#include "twin/core/Rng.hpp"

namespace twin::agents {

enum class CovarianceKind { SQUARED_EXPONENTIAL, MATERN52 };

/// In place: the lower triangle of `l`, a lower Cholesky factor L of A,
/// becomes the lower triangle of A^-1 = L^-T L^-1 (the upper triangle is
/// left as it was). Recursive blocked triangular inversion, then the
/// triangular product L^-T L^-1 by blocks: about 2n^3/3 flops, where
/// solving A X = I with the factor costs 2n^3 (what LAPACK's dpotri does,
/// on Eigen's matrix products).
void cholesky_inverse_lower(Eigen::MatrixXd& l);

struct GpOptions {
  CovarianceKind kind = CovarianceKind::MATERN52;
  bool ard = true;
  bool constant_term = true;
  double noise_variance = 0.01;  ///< n2 (fixed unless fit_noise)
  bool fit_noise = false;
};

/// Box bounds of the ML-II search, in natural units (the fit works on logs).
struct GpBounds {
  double lengthscale_low = 1e-2, lengthscale_high = 1e2;
  double signal_low = 1e-2, signal_high = 1e2;
  double constant_low = 1e-4, constant_high = 1e1;
  double noise_low = 1e-6, noise_high = 1.0;
};

struct GpFitReport {
  double log_marginal_likelihood = 0;
  int evaluations = 0;   ///< LML + gradient evaluations over all restarts
  int restarts = 0;
};

class GaussianProcess {
 public:
  GaussianProcess(GpOptions options, int input_dim);

  const GpOptions& options() const { return options_; }
  int input_dim() const { return dim_; }
  int theta_size() const;
  /// The default start: every length-scale 1, s2 = 1, c2 = 0.1, n2 as configured.
  Eigen::VectorXd default_theta() const;
  const Eigen::VectorXd& theta() const { return theta_; }
  /// Sets the hyper-parameters; refactorises when data are present.
  void set_theta(const Eigen::VectorXd& theta);
  Eigen::VectorXd lengthscales() const;
  double signal_variance() const;
  double constant_variance() const;
  double noise_variance() const;

  /// Replaces the training data and factorises (O(n^3)).
  void set_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);
  /// Sets the hyper-parameters and replaces the data with one factorisation.
  void set_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& theta);
  /// Adds one observation, extending the factor in O(n^2).
  void add_observation(const Eigen::VectorXd& x, double y);
  /// New targets for the same inputs (e.g. after re-standardising): O(n^2).
  void set_targets(const Eigen::VectorXd& y);
  int size() const { return n_; }
  const Eigen::MatrixXd& inputs() const { return x_; }
  const Eigen::VectorXd& targets() const { return y_; }
  /// The lower Cholesky factor of K + (n2 + jitter) I.
  Eigen::MatrixXd cholesky_factor() const;
  /// (K + n2 I)^-1 y.
  const Eigen::VectorXd& alpha() const { return alpha_; }
  /// The jitter added to the diagonal by the last factorisation (0 when none).
  double jitter() const { return jitter_; }

  /// Posterior mean and variance of the latent f at the rows of `xs`.
  void predict(const Eigen::MatrixXd& xs, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;
  /// The same at one point, by a vector solve (no matrix packing: the cheap
  /// path for an optimiser that probes one point at a time).
  void predict_point(const Eigen::VectorXd& x, double& mean, double& variance) const;
  /// The same, with the gradients of the mean and the variance with respect
  /// to x: one more triangular solve (L^-T L^-1 k) instead of the d extra
  /// predictions of finite differences. The mean and variance are the same
  /// bytes as predict_point's.
  void predict_point(const Eigen::VectorXd& x, double& mean, double& variance, Eigen::VectorXd& d_mean,
                     Eigen::VectorXd& d_variance) const;
  /// Gradient of the posterior mean at x (with respect to x).
  Eigen::VectorXd mean_gradient(const Eigen::VectorXd& x) const;

  /// log p(y | X, theta) for the current data and hyper-parameters.
  double log_marginal_likelihood() const;
  /// log p(y | X, theta) and its gradient with respect to theta, for the
  /// current data; does not change the model. The gradient's K^-1 comes
  /// from the factor by cholesky_inverse_lower (2n^3/3 flops, not 2n^3). Returns -inf if K is not
  /// positive definite even with jitter.
  double log_marginal_likelihood(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const;
  /// The same, given pair_differences() of the current data (what a fit
  /// computes once for all its evaluations).
  double log_marginal_likelihood(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient,
                                 const Eigen::MatrixXd& pairs) const;
  /// (x_i - x_j)^2 per input (rows) for every pair i < j of the training
  /// inputs (columns, in the order j = 1..n-1, i = 0..j-1).
  Eigen::MatrixXd pair_differences() const;

  /// Type-II maximum likelihood: L-BFGS-B (LBFGS++) on log hyper-parameters
  /// within `bounds`, from `restarts` starts: `start` when given, then the
  /// best by likelihood among default_theta() and `screen` points drawn
  /// log-uniformly over the box with `rng` (the likelihood is multi-modal;
  /// screening costs one factorisation per point, a local search dozens);
  /// keeps the best point seen and refactorises.
  GpFitReport fit(int restarts, core::Rng& rng, const Eigen::VectorXd* start = nullptr,
                  const GpBounds& bounds = GpBounds{}, int max_iterations = 60, int screen = 32);

  /// The prior covariance between the rows of `a` and of `b`.
  Eigen::MatrixXd covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) const;
  /// K(X, xs): the prior covariance between the training inputs and the rows
  /// of `xs` (n x m).
  Eigen::MatrixXd covariance_with(const Eigen::MatrixXd& xs) const;
  /// L^-1 b for the current factor L (n rows).
  Eigen::MatrixXd solve_lower(const Eigen::MatrixXd& b) const;
  /// Row i of the Cholesky factor, entries 0..i.
  Eigen::VectorXd cholesky_row(int i) const;
  /// L^-1 y: the posterior mean at x is (L^-1 k(X, x)) . (L^-1 y).
  Eigen::VectorXd whitened_targets() const;
  /// s2 + c2: the prior variance of f.
  double prior_variance() const;
  /// How many full factorisations the model has done (a cache of L^-1 K(X, .)
  /// stays valid across add_observation only while this does not change).
  long factorisations() const { return factorisations_; }

  /// Floating-point operations counted since construction (mutable: a
  /// prediction counts too).
  double flops() const { return flops_; }

 private:
  void factorise();
  void solve_alpha();
  Eigen::MatrixXd cross_covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                   const Eigen::VectorXd& theta) const;

  GpOptions options_;
  int dim_;
  Eigen::VectorXd theta_;
  Eigen::MatrixXd x_;
  Eigen::VectorXd y_;
  int n_ = 0;
  Eigen::MatrixXd l_buf_;  ///< capacity x capacity; the factor is its top-left n x n
  Eigen::VectorXd alpha_;
  double jitter_ = 0;
  long factorisations_ = 0;
  mutable double flops_ = 0;
};

}  // namespace twin::agents

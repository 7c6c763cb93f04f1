#include "agents/Acquisition.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace twin::agents {

namespace {
constexpr double INV_SQRT_2PI = 0.39894228040143267794;
constexpr double INV_SQRT2 = 0.70710678118654752440;
}  // namespace

double normal_pdf(double z) { return INV_SQRT_2PI * std::exp(-0.5 * z * z); }
double normal_cdf(double z) { return 0.5 * std::erfc(-z * INV_SQRT2); }

double expected_improvement(double mean, double sd, double best, double xi) {
  const double gain = mean - best - xi;
  if (!(sd > 0)) return std::max(gain, 0.0);
  const double u = gain / sd;
  return sd * (normal_pdf(u) + u * normal_cdf(u));
}

double probability_of_improvement(double mean, double sd, double best, double xi) {
  const double gain = mean - best - xi;
  if (!(sd > 0)) return gain > 0 ? 1.0 : 0.0;
  return normal_cdf(gain / sd);
}

double upper_confidence_bound(double mean, double sd, double kappa) { return mean + kappa * sd; }

double ucb_kappa_schedule(int input_dim, int observations) {
  const double t = std::max(1, observations);
  return std::sqrt(0.2 * std::max(1, input_dim) * std::log(2.0 * t));
}

AcquisitionSlope acquisition_with_slope(AcquisitionKind kind, double mean, double sd, double best, double xi,
                                        double kappa) {
  AcquisitionSlope s;
  const double sigma = std::max(sd, 1e-12);
  const double u = (mean - best - xi) / sigma;
  switch (kind) {
    case AcquisitionKind::EI:
      s.value = sigma * (normal_pdf(u) + u * normal_cdf(u));
      s.d_mean = normal_cdf(u);
      s.d_sd = normal_pdf(u);
      break;
    case AcquisitionKind::PI:
      s.value = normal_cdf(u);
      s.d_mean = normal_pdf(u) / sigma;
      s.d_sd = -u * normal_pdf(u) / sigma;
      break;
    case AcquisitionKind::LCB:
    case AcquisitionKind::UCB:
      s.value = mean + kappa * sd;
      s.d_mean = 1.0;
      s.d_sd = kappa;
      break;
  }
  return s;
}

double q_expected_improvement_mc(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov, double best, int samples,
                                 core::Rng& rng, double* std_error) {
  const Eigen::Index q = mean.size();
  if (cov.rows() != q || cov.cols() != q || samples < 2) throw std::invalid_argument("q_expected_improvement_mc: shapes");
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() != Eigen::Success) throw std::invalid_argument("q_expected_improvement_mc: covariance not positive definite");
  const Eigen::MatrixXd l = llt.matrixL();
  Eigen::VectorXd z(q);
  double sum = 0, sum2 = 0;
  const int pairs = samples / 2;
  for (int s = 0; s < pairs; ++s) {
    for (Eigen::Index i = 0; i < q; ++i) z(i) = rng.normal();
    const Eigen::VectorXd d = l * z;
    const double a = std::max(0.0, (mean + d).maxCoeff() - best);
    const double b = std::max(0.0, (mean - d).maxCoeff() - best);
    const double v = 0.5 * (a + b);  // one antithetic pair is one sample of the mean
    sum += v;
    sum2 += v * v;
  }
  const double m = sum / pairs;
  if (std_error != nullptr) *std_error = std::sqrt(std::max(0.0, sum2 / pairs - m * m) / pairs);
  return m;
}

}  // namespace twin::agents

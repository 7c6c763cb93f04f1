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

namespace {
double softplus(double a) { return a > 30 ? a : std::log1p(std::exp(a)); }
double logistic(double a) { return a > 30 ? 1.0 : 1.0 / (1.0 + std::exp(-a)); }
bool penalised(const LocalPenalty* p) { return p != nullptr && !p->centres.empty(); }
bool confidence_bound(AcquisitionKind k) { return k == AcquisitionKind::LCB || k == AcquisitionKind::UCB; }
}  // namespace

double acquisition_value(AcquisitionKind kind, double mean, double variance, double best, double xi, double kappa,
                         const Eigen::VectorXd& z, const LocalPenalty* penalty) {
  const double sd = std::sqrt(variance);
  double a = 0;
  switch (kind) {
    case AcquisitionKind::EI: a = expected_improvement(mean, sd, best, xi); break;
    case AcquisitionKind::PI: a = probability_of_improvement(mean, sd, best, xi); break;
    case AcquisitionKind::LCB:
    case AcquisitionKind::UCB: a = upper_confidence_bound(mean, sd, kappa); break;
  }
  if (!penalised(penalty)) return a;
  if (confidence_bound(kind)) a = softplus(a);
  for (std::size_t j = 0; j < penalty->centres.size(); ++j) {
    const double r = (z - penalty->centres[j]).norm();
    const double u = (penalty->lipschitz * r - best + penalty->mean[j]) / std::max(penalty->sd[j], 1e-9);
    a *= normal_cdf(u);
  }
  return a;
}

Eigen::VectorXd acquisition_gradient(AcquisitionKind kind, double mean, double variance, const Eigen::VectorXd& d_mean,
                                     const Eigen::VectorXd& d_variance, double best, double xi, double kappa,
                                     const Eigen::VectorXd& z, const LocalPenalty* penalty) {
  const double sd = std::sqrt(std::max(0.0, variance));
  const AcquisitionSlope s = acquisition_with_slope(kind, mean, sd, best, xi, kappa);
  Eigen::VectorXd g = s.d_mean * d_mean;
  if (sd > 0) g += (s.d_sd / (2.0 * sd)) * d_variance;
  if (!penalised(penalty)) return g;
  // a = b(a0) prod_j Phi(u_j): grad = b' grad a0 prod Phi + b sum_j phi(u_j)
  // prod_{i != j} Phi(u_i) grad u_j, with grad u_j = L / sd_j (z - c_j) / r_j.
  double base = s.value;
  if (confidence_bound(kind)) {
    g *= logistic(s.value);
    base = softplus(s.value);
  }
  const std::size_t c = penalty->centres.size();
  std::vector<double> u(c), cdf(c);
  for (std::size_t j = 0; j < c; ++j) {
    const double r = (z - penalty->centres[j]).norm();
    u[j] = (penalty->lipschitz * r - best + penalty->mean[j]) / std::max(penalty->sd[j], 1e-9);
    cdf[j] = normal_cdf(u[j]);
  }
  double product = 1;
  for (double v : cdf) product *= v;
  Eigen::VectorXd out = g * product;
  for (std::size_t j = 0; j < c; ++j) {
    const Eigen::VectorXd diff = z - penalty->centres[j];
    const double r = diff.norm();
    if (!(r > 0)) continue;
    double others = base * normal_pdf(u[j]);
    for (std::size_t i = 0; i < c; ++i) {
      if (i != j) others *= cdf[i];
    }
    out += (others * penalty->lipschitz / (std::max(penalty->sd[j], 1e-9) * r)) * diff;
  }
  return out;
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

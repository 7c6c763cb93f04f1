#include "agents/GaussianProcess.hpp"

#include <LBFGSB.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <vector>

namespace twin::agents {

namespace {

constexpr double SQRT5 = 2.23606797749978969641;
constexpr double LOG_2PI = 1.83787706640934548356;

struct Hyper {
  Eigen::VectorXd inv_l2;  ///< 1 / l_m^2 for every input dimension
  double s2 = 1, c2 = 0, n2 = 0;
};

Hyper unpack(const GpOptions& o, int dim, const Eigen::VectorXd& theta) {
  Hyper h;
  const int nl = o.ard ? dim : 1;
  h.inv_l2.resize(dim);
  for (int m = 0; m < dim; ++m) h.inv_l2(m) = std::exp(-2.0 * theta(o.ard ? m : 0));
  int k = nl;
  h.s2 = std::exp(theta(k++));
  h.c2 = o.constant_term ? std::exp(theta(k++)) : 0.0;
  h.n2 = o.fit_noise ? std::exp(theta(k++)) : o.noise_variance;
  return h;
}

double scaled_d2(const Eigen::MatrixXd& a, Eigen::Index i, const Eigen::MatrixXd& b, Eigen::Index j,
                 const Eigen::VectorXd& inv_l2) {
  double s = 0;
  for (Eigen::Index m = 0; m < a.cols(); ++m) {
    const double d = a(i, m) - b(j, m);
    s += d * d * inv_l2(m);
  }
  return s;
}

/// The correlation r(d) for squared scaled distance d2.
double correlation(CovarianceKind kind, double d2) {
  if (kind == CovarianceKind::SQUARED_EXPONENTIAL) return std::exp(-0.5 * d2);
  const double d = std::sqrt(d2);
  return (1.0 + SQRT5 * d + (5.0 / 3.0) * d2) * std::exp(-SQRT5 * d);
}

/// g(d) with d r / d log l_m = g(d) * delta_m^2 / l_m^2 (and d r / d x_m =
/// -g(d) * delta_m / l_m^2).
double correlation_slope(CovarianceKind kind, double d2) {
  if (kind == CovarianceKind::SQUARED_EXPONENTIAL) return std::exp(-0.5 * d2);
  const double d = std::sqrt(d2);
  return (5.0 / 3.0) * (1.0 + SQRT5 * d) * std::exp(-SQRT5 * d);
}

/// LLT of `k` with jitter retries; returns false when even the largest
/// jitter fails. `jitter` receives the jitter used.
bool robust_llt(Eigen::MatrixXd& k, Eigen::LLT<Eigen::MatrixXd>& llt, double& jitter) {
  jitter = 0;
  const Eigen::Index n = k.rows();
  const double mean_diag = n > 0 ? k.diagonal().mean() : 1.0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (attempt > 0) {
      const double next = mean_diag * std::pow(10.0, -11.0 + attempt);
      k.diagonal().array() += next - jitter;
      jitter = next;
    }
    llt.compute(k);
    if (llt.info() == Eigen::Success && (llt.matrixLLT().diagonal().array() > 0).all()) return true;
  }
  return false;
}

/// Below this size the blocks are done by Eigen's triangular solve.
constexpr Eigen::Index INVERSE_BLOCK = 48;

using Block = Eigen::Ref<Eigen::MatrixXd>;

/// In place: the lower triangle of `a` (lower triangular) becomes that of
/// its inverse. [[A, 0], [B, C]]^-1 = [[A^-1, 0], [-C^-1 B A^-1, C^-1]].
void invert_lower(Block a) {
  const Eigen::Index n = a.rows();
  if (n <= INVERSE_BLOCK) {
    Eigen::MatrixXd inv = Eigen::MatrixXd::Identity(n, n);
    a.triangularView<Eigen::Lower>().solveInPlace(inv);
    a.triangularView<Eigen::Lower>() = inv;
    return;
  }
  const Eigen::Index h = n / 2;
  invert_lower(a.topLeftCorner(h, h));
  auto b = a.bottomLeftCorner(n - h, h);
  a.bottomRightCorner(n - h, n - h).triangularView<Eigen::Lower>().solveInPlace(b);
  const Eigen::MatrixXd cb = b;
  b.noalias() = -(cb * a.topLeftCorner(h, h).triangularView<Eigen::Lower>());
  invert_lower(a.bottomRightCorner(n - h, n - h));
}

/// In place: the lower triangle of `m` (lower triangular) becomes that of
/// M^T M. With M = [[A, 0], [B, C]]: M^T M = [[A^T A + B^T B, B^T C],
/// [C^T B, C^T C]].
void lower_gram(Block m) {
  const Eigen::Index n = m.rows();
  if (n <= INVERSE_BLOCK) {
    const Eigen::MatrixXd l = m.triangularView<Eigen::Lower>();
    Eigen::MatrixXd g = Eigen::MatrixXd::Zero(n, n);
    g.selfadjointView<Eigen::Lower>().rankUpdate(l.transpose());
    m.triangularView<Eigen::Lower>() = g;
    return;
  }
  const Eigen::Index h = n / 2;
  auto b = m.bottomLeftCorner(n - h, h);
  lower_gram(m.topLeftCorner(h, h));
  m.topLeftCorner(h, h).selfadjointView<Eigen::Lower>().rankUpdate(b.transpose());
  const Eigen::MatrixXd bb = b;
  b.noalias() = m.bottomRightCorner(n - h, n - h).triangularView<Eigen::Lower>().transpose() * bb;
  lower_gram(m.bottomRightCorner(n - h, n - h));
}

}  // namespace

void cholesky_inverse_lower(Eigen::MatrixXd& l) {
  if (l.rows() != l.cols()) throw std::invalid_argument("cholesky_inverse_lower: not square");
  if (l.rows() == 0) return;
  invert_lower(l.topLeftCorner(l.rows(), l.cols()));
  lower_gram(l.topLeftCorner(l.rows(), l.cols()));
}

GaussianProcess::GaussianProcess(GpOptions options, int input_dim) : options_(options), dim_(input_dim) {
  if (input_dim < 1) throw std::invalid_argument("GaussianProcess: input dimension must be >= 1");
  theta_ = default_theta();
  x_.resize(0, dim_);
}

int GaussianProcess::theta_size() const {
  return (options_.ard ? dim_ : 1) + 1 + (options_.constant_term ? 1 : 0) + (options_.fit_noise ? 1 : 0);
}

Eigen::VectorXd GaussianProcess::default_theta() const {
  Eigen::VectorXd t = Eigen::VectorXd::Zero(theta_size());
  int k = options_.ard ? dim_ : 1;
  t(k++) = 0.0;  // s2 = 1
  if (options_.constant_term) t(k++) = std::log(0.1);
  if (options_.fit_noise) t(k++) = std::log(options_.noise_variance);
  return t;
}

void GaussianProcess::set_theta(const Eigen::VectorXd& theta) {
  if (theta.size() != theta_size()) throw std::invalid_argument("GaussianProcess::set_theta: wrong size");
  theta_ = theta;
  if (n_ > 0) factorise();
}

Eigen::VectorXd GaussianProcess::lengthscales() const {
  const Hyper h = unpack(options_, dim_, theta_);
  return h.inv_l2.array().rsqrt();
}
double GaussianProcess::signal_variance() const { return unpack(options_, dim_, theta_).s2; }
double GaussianProcess::constant_variance() const { return unpack(options_, dim_, theta_).c2; }
double GaussianProcess::noise_variance() const { return unpack(options_, dim_, theta_).n2; }

Eigen::MatrixXd GaussianProcess::cross_covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                                  const Eigen::VectorXd& theta) const {
  const Hyper h = unpack(options_, dim_, theta);
  Eigen::MatrixXd k(a.rows(), b.rows());
  for (Eigen::Index j = 0; j < b.rows(); ++j) {
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      k(i, j) = h.s2 * correlation(options_.kind, scaled_d2(a, i, b, j, h.inv_l2)) + h.c2;
    }
  }
  flops_ += static_cast<double>(a.rows() * b.rows()) * (3.0 * dim_ + 20.0);
  return k;
}

void GaussianProcess::set_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  if (x.cols() != dim_ || x.rows() != y.size()) throw std::invalid_argument("GaussianProcess::set_data: shapes");
  x_ = x;
  y_ = y;
  n_ = static_cast<int>(y.size());
  factorise();
}

void GaussianProcess::set_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& theta) {
  if (theta.size() != theta_size()) throw std::invalid_argument("GaussianProcess::set_data: wrong theta size");
  theta_ = theta;
  set_data(x, y);
}

void GaussianProcess::factorise() {
  if (n_ == 0) {
    alpha_.resize(0);
    return;
  }
  const Hyper h = unpack(options_, dim_, theta_);
  Eigen::MatrixXd k = cross_covariance(x_, x_, theta_);
  k.diagonal().array() += h.n2;
  Eigen::LLT<Eigen::MatrixXd> llt;
  if (!robust_llt(k, llt, jitter_)) {
    throw std::runtime_error("GaussianProcess: covariance matrix not positive definite even with jitter");
  }
  ++factorisations_;
  // Room for a few more rows: a data set mostly grows one observation at a time.
  if (l_buf_.rows() < n_) l_buf_.resize(n_ + 32, n_ + 32);
  l_buf_.topLeftCorner(n_, n_) = llt.matrixL();
  flops_ += static_cast<double>(n_) * n_ * n_ / 3.0;
  solve_alpha();
}

void GaussianProcess::solve_alpha() {
  const auto l = l_buf_.topLeftCorner(n_, n_);
  alpha_ = l.triangularView<Eigen::Lower>().solve(y_);
  l.transpose().triangularView<Eigen::Upper>().solveInPlace(alpha_);
  flops_ += 2.0 * n_ * n_;
}

Eigen::MatrixXd GaussianProcess::cholesky_factor() const { return l_buf_.topLeftCorner(n_, n_); }

Eigen::MatrixXd GaussianProcess::covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) const {
  return cross_covariance(a, b, theta_);
}

Eigen::MatrixXd GaussianProcess::covariance_with(const Eigen::MatrixXd& xs) const {
  return cross_covariance(x_, xs, theta_);
}

Eigen::MatrixXd GaussianProcess::solve_lower(const Eigen::MatrixXd& b) const {
  flops_ += static_cast<double>(n_) * n_ * static_cast<double>(b.cols());
  return l_buf_.topLeftCorner(n_, n_).triangularView<Eigen::Lower>().solve(b);
}

Eigen::VectorXd GaussianProcess::cholesky_row(int i) const { return l_buf_.block(i, 0, 1, i + 1).transpose(); }

Eigen::VectorXd GaussianProcess::whitened_targets() const {
  flops_ += static_cast<double>(n_) * n_;
  return l_buf_.topLeftCorner(n_, n_).triangularView<Eigen::Lower>().solve(y_);
}

double GaussianProcess::prior_variance() const {
  const Hyper h = unpack(options_, dim_, theta_);
  return h.s2 + h.c2;
}

void GaussianProcess::add_observation(const Eigen::VectorXd& x, double y) {
  if (x.size() != dim_) throw std::invalid_argument("GaussianProcess::add_observation: wrong input size");
  if (n_ == 0) {
    set_data(x.transpose(), Eigen::VectorXd::Constant(1, y));
    return;
  }
  const Hyper h = unpack(options_, dim_, theta_);
  const Eigen::MatrixXd xm = x.transpose();
  Eigen::VectorXd kv = cross_covariance(x_, xm, theta_).col(0);
  const double kss = h.s2 + h.c2 + h.n2 + jitter_;
  const auto l = l_buf_.topLeftCorner(n_, n_);
  Eigen::VectorXd lv = l.triangularView<Eigen::Lower>().solve(kv);
  flops_ += static_cast<double>(n_) * n_;
  const double d2 = kss - lv.squaredNorm();
  x_.conservativeResize(n_ + 1, Eigen::NoChange);
  x_.row(n_) = x.transpose();
  y_.conservativeResize(n_ + 1);
  y_(n_) = y;
  if (!(d2 > 1e-12 * kss)) {  // numerically singular: refactorise with jitter
    ++n_;
    factorise();
    return;
  }
  if (l_buf_.rows() < n_ + 1) {
    const int cap = n_ + std::max(32, n_ / 2);
    Eigen::MatrixXd bigger(cap, cap);
    bigger.topLeftCorner(n_, n_) = l_buf_.topLeftCorner(n_, n_);
    l_buf_.swap(bigger);
  }
  l_buf_.block(n_, 0, 1, n_) = lv.transpose();
  l_buf_.block(0, n_, n_, 1).setZero();
  l_buf_(n_, n_) = std::sqrt(d2);
  ++n_;
  solve_alpha();
}

void GaussianProcess::set_targets(const Eigen::VectorXd& y) {
  if (y.size() != n_) throw std::invalid_argument("GaussianProcess::set_targets: wrong size");
  y_ = y;
  if (n_ > 0) solve_alpha();
}

void GaussianProcess::predict(const Eigen::MatrixXd& xs, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const {
  const Hyper h = unpack(options_, dim_, theta_);
  const Eigen::Index m = xs.rows();
  if (n_ == 0) {
    mean = Eigen::VectorXd::Zero(m);
    variance = Eigen::VectorXd::Constant(m, h.s2 + h.c2);
    return;
  }
  const Eigen::MatrixXd ks = cross_covariance(x_, xs, theta_);  // n x m
  mean = ks.transpose() * alpha_;
  const auto l = l_buf_.topLeftCorner(n_, n_);
  const Eigen::MatrixXd v = l.triangularView<Eigen::Lower>().solve(ks);
  variance = (h.s2 + h.c2) - v.colwise().squaredNorm().transpose().array();
  variance = variance.cwiseMax(0.0);
  flops_ += static_cast<double>(m) * n_ * (n_ + 4.0);
}

void GaussianProcess::predict_point(const Eigen::VectorXd& x, double& mean, double& variance) const {
  const Hyper h = unpack(options_, dim_, theta_);
  if (n_ == 0) {
    mean = 0;
    variance = h.s2 + h.c2;
    return;
  }
  Eigen::VectorXd k = cross_covariance(x_, x.transpose(), theta_).col(0);
  mean = k.dot(alpha_);
  l_buf_.topLeftCorner(n_, n_).triangularView<Eigen::Lower>().solveInPlace(k);
  variance = std::max(0.0, (h.s2 + h.c2) - k.squaredNorm());
  flops_ += static_cast<double>(n_) * (n_ + 4.0);
}

void GaussianProcess::predict_point(const Eigen::VectorXd& x, double& mean, double& variance, Eigen::VectorXd& d_mean,
                                    Eigen::VectorXd& d_variance) const {
  d_mean = Eigen::VectorXd::Zero(dim_);
  d_variance = Eigen::VectorXd::Zero(dim_);
  const Hyper h = unpack(options_, dim_, theta_);
  if (n_ == 0) {
    mean = 0;
    variance = h.s2 + h.c2;
    return;
  }
  // k and the correlation's slope g(d) per training point, from one exp
  // each (the same bytes as cross_covariance's k).
  Eigen::VectorXd k(n_), slope(n_);
  const bool matern = options_.kind == CovarianceKind::MATERN52;
  for (Eigen::Index i = 0; i < n_; ++i) {
    double d2 = 0;
    for (int m = 0; m < dim_; ++m) {
      const double d = x_(i, m) - x(m);
      d2 += d * d * h.inv_l2(m);
    }
    if (matern) {
      const double d = std::sqrt(d2);
      const double e = std::exp(-SQRT5 * d);
      k(i) = h.s2 * ((1.0 + SQRT5 * d + (5.0 / 3.0) * d2) * e) + h.c2;
      slope(i) = h.s2 * ((5.0 / 3.0) * (1.0 + SQRT5 * d) * e);
    } else {
      const double e = std::exp(-0.5 * d2);
      k(i) = h.s2 * e + h.c2;
      slope(i) = h.s2 * e;
    }
  }
  mean = k.dot(alpha_);
  const auto l = l_buf_.topLeftCorner(n_, n_);
  Eigen::VectorXd v = k;
  l.triangularView<Eigen::Lower>().solveInPlace(v);
  const double raw = (h.s2 + h.c2) - v.squaredNorm();
  variance = std::max(0.0, raw);
  // var = s2 + c2 - |L^-1 k|^2, so d var / dx = -2 (L^-T L^-1 k)^T dk/dx;
  // mean = k^T alpha, so d mean / dx = alpha^T dk/dx; and dk_i / dx_m =
  // -s2 g(d_i) (x_m - x_im) / l_m^2. Where the variance is clipped at 0 its
  // gradient is 0.
  l.transpose().triangularView<Eigen::Upper>().solveInPlace(v);
  const bool clipped = !(raw > 0);
  for (Eigen::Index i = 0; i < n_; ++i) {
    const double wm = slope(i) * alpha_(i);
    const double wv = clipped ? 0.0 : 2.0 * slope(i) * v(i);
    for (int m = 0; m < dim_; ++m) {
      const double dk = (x(m) - x_(i, m)) * h.inv_l2(m);
      d_mean(m) -= wm * dk;
      d_variance(m) += wv * dk;
    }
  }
  flops_ += static_cast<double>(n_) * (2.0 * n_ + 10.0 * dim_ + 24.0);
}

Eigen::VectorXd GaussianProcess::mean_gradient(const Eigen::VectorXd& x) const {
  const Hyper h = unpack(options_, dim_, theta_);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(dim_);
  const Eigen::MatrixXd xm = x.transpose();
  for (Eigen::Index i = 0; i < n_; ++i) {
    const double d2 = scaled_d2(x_, i, xm, 0, h.inv_l2);
    const double slope = h.s2 * correlation_slope(options_.kind, d2) * alpha_(i);
    for (int m = 0; m < dim_; ++m) g(m) -= slope * (x(m) - x_(i, m)) * h.inv_l2(m);
  }
  flops_ += static_cast<double>(n_) * (6.0 * dim_ + 20.0);
  return g;
}

double GaussianProcess::log_marginal_likelihood() const {
  if (n_ == 0) return 0;
  const auto l = l_buf_.topLeftCorner(n_, n_);
  return -0.5 * y_.dot(alpha_) - l.diagonal().array().log().sum() - 0.5 * n_ * LOG_2PI;
}

Eigen::MatrixXd GaussianProcess::pair_differences() const {
  // Column p holds (x_i - x_j)^2 per input for the p-th pair i < j, pairs in
  // the order j = 1..n-1, i = 0..j-1.
  const Eigen::Index pairs = static_cast<Eigen::Index>(n_) * (n_ - 1) / 2;
  Eigen::MatrixXd sq(dim_, pairs);
  Eigen::Index p = 0;
  for (Eigen::Index j = 1; j < n_; ++j) {
    for (Eigen::Index i = 0; i < j; ++i, ++p) {
      for (int m = 0; m < dim_; ++m) {
        const double d = x_(i, m) - x_(j, m);
        sq(m, p) = d * d;
      }
    }
  }
  flops_ += static_cast<double>(pairs) * 3.0 * dim_;
  return sq;
}

double GaussianProcess::log_marginal_likelihood(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  if (n_ == 0) {
    if (gradient != nullptr) *gradient = Eigen::VectorXd::Zero(theta.size());
    return 0;
  }
  return log_marginal_likelihood(theta, gradient, pair_differences());
}

double GaussianProcess::log_marginal_likelihood(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient,
                                                const Eigen::MatrixXd& pairs) const {
  if (n_ == 0) {
    if (gradient != nullptr) *gradient = Eigen::VectorXd::Zero(theta.size());
    return 0;
  }
  const Hyper h = unpack(options_, dim_, theta);
  const Eigen::Index np = pairs.cols();
  const bool matern = options_.kind == CovarianceKind::MATERN52;
  // Scaled squared distances of all pairs at once, then one exp per pair
  // for both the correlation and its slope; K is filled symmetrically.
  const Eigen::VectorXd d2 = pairs.transpose() * h.inv_l2;
  Eigen::VectorXd slope(gradient != nullptr ? np : 0), corr(gradient != nullptr ? np : 0);
  Eigen::MatrixXd k(n_, n_);
  Eigen::Index p = 0;
  for (Eigen::Index j = 1; j < n_; ++j) {
    for (Eigen::Index i = 0; i < j; ++i, ++p) {
      double r = 0, g = 0;
      if (matern) {
        const double d = std::sqrt(d2(p));
        const double e = std::exp(-SQRT5 * d);
        r = (1.0 + SQRT5 * d + (5.0 / 3.0) * d2(p)) * e;
        g = (5.0 / 3.0) * (1.0 + SQRT5 * d) * e;
      } else {
        r = g = std::exp(-0.5 * d2(p));
      }
      k(i, j) = k(j, i) = h.s2 * r + h.c2;
      if (gradient != nullptr) {
        corr(p) = r;
        slope(p) = g;
      }
    }
  }
  k.diagonal().setConstant(h.s2 + h.c2 + h.n2);
  const double nd = static_cast<double>(n_);
  flops_ += static_cast<double>(np) * (2.0 * dim_ + 25.0);
  Eigen::LLT<Eigen::MatrixXd> llt;
  double jitter = 0;
  if (!robust_llt(k, llt, jitter)) return -std::numeric_limits<double>::infinity();
  const Eigen::VectorXd alpha = llt.solve(y_);
  const double lml = -0.5 * y_.dot(alpha) - llt.matrixLLT().diagonal().array().log().sum() - 0.5 * n_ * LOG_2PI;
  flops_ += nd * nd * nd / 3.0 + 2.0 * nd * nd;
  if (gradient == nullptr) return lml;

  // d lml / d theta_q = 1/2 tr(W dK/dtheta_q), W = alpha alpha^T - K^-1,
  // summed over the pairs i < j twice (W and dK are symmetric) and the
  // diagonal once (dK/dlog l is zero there).
  // K^-1 from the factor (lower triangle only, 2n^3/3 flops), then W's
  // entries for the pairs i < j (from the lower triangle, W is symmetric)
  // and its diagonal.
  Eigen::MatrixXd kinv = llt.matrixL();
  cholesky_inverse_lower(kinv);
  flops_ += 2.0 * nd * nd * nd / 3.0 + 2.0 * nd * nd;
  gradient->setZero(theta.size());
  const int nl = options_.ard ? dim_ : 1;
  Eigen::VectorXd wp(np);
  p = 0;
  for (Eigen::Index j = 1; j < n_; ++j) {
    for (Eigen::Index i = 0; i < j; ++i, ++p) wp(p) = alpha(i) * alpha(j) - kinv(j, i);
  }
  double w_trace = 0;
  for (Eigen::Index i = 0; i < n_; ++i) w_trace += alpha(i) * alpha(i) - kinv(i, i);
  const double g_s2 = w_trace + 2.0 * wp.dot(corr);
  const double g_c2 = w_trace + 2.0 * wp.sum();
  const Eigen::VectorXd gw = (wp.array() * slope.array()).matrix() * h.s2;  // one weight per pair
  if (options_.ard) {
    gradient->head(dim_) = (pairs * gw).cwiseProduct(h.inv_l2);
  } else {
    (*gradient)(0) = gw.dot(d2);
  }
  flops_ += static_cast<double>(np) * (2.0 * nl + 6.0);
  int k_index = nl;
  (*gradient)(k_index++) = 0.5 * h.s2 * g_s2;
  if (options_.constant_term) (*gradient)(k_index++) = 0.5 * h.c2 * g_c2;
  if (options_.fit_noise) (*gradient)(k_index++) = 0.5 * h.n2 * w_trace;
  return lml;
}

namespace {

/// -lml and its gradient for L-BFGS-B, on the pair differences of the fit's
/// data computed once; remembers the best point it saw.
struct NegativeLml {
  const GaussianProcess* gp;
  const Eigen::MatrixXd* pairs;
  double best_value = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_theta;
  int evaluations = 0;
  double operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
    ++evaluations;
    Eigen::VectorXd g;
    const double lml = gp->log_marginal_likelihood(theta, &g, *pairs);
    if (!std::isfinite(lml)) {
      grad.setZero(theta.size());
      return 1e30;
    }
    grad = -g;
    if (-lml < best_value) {
      best_value = -lml;
      best_theta = theta;
    }
    return -lml;
  }
};

}  // namespace

GpFitReport GaussianProcess::fit(int restarts, core::Rng& rng, const Eigen::VectorXd* start, const GpBounds& bounds,
                                 int max_iterations, int screen) {
  GpFitReport report;
  if (n_ == 0) return report;
  const int p = theta_size();
  const int nl = options_.ard ? dim_ : 1;
  Eigen::VectorXd lb(p), ub(p);
  lb.head(nl).setConstant(std::log(bounds.lengthscale_low));
  ub.head(nl).setConstant(std::log(bounds.lengthscale_high));
  int k = nl;
  lb(k) = std::log(bounds.signal_low);
  ub(k++) = std::log(bounds.signal_high);
  if (options_.constant_term) {
    lb(k) = std::log(bounds.constant_low);
    ub(k++) = std::log(bounds.constant_high);
  }
  if (options_.fit_noise) {
    lb(k) = std::log(bounds.noise_low);
    ub(k++) = std::log(bounds.noise_high);
  }
  LBFGSpp::LBFGSBParam<double> param;
  param.epsilon = 1e-5;
  param.max_iterations = max_iterations;
  param.max_linesearch = 30;
  LBFGSpp::LBFGSBSolver<double> solver(param);
  const Eigen::MatrixXd pairs = pair_differences();
  NegativeLml objective{this, &pairs, std::numeric_limits<double>::infinity(), theta_, 0};
  // The starts. The likelihood of an ARD kernel is multi-modal and has
  // plateaus (a length-scale far below the spacing of the data or far above
  // their spread, where its gradient vanishes and L-BFGS-B stops where it
  // started), so a random start is a good one only by luck. Instead: the
  // warm start (the caller's, typically the last fit's) always, then the
  // best by likelihood of the default start and `screen` points drawn
  // log-uniformly over the whole box (one factorisation each, no gradient).
  std::vector<Eigen::VectorXd> starts;
  if (start != nullptr && start->size() == p) starts.push_back(start->cwiseMax(lb).cwiseMin(ub));
  const int wanted = std::max(1, restarts);
  if (static_cast<int>(starts.size()) < wanted) {
    std::vector<Eigen::VectorXd> pool{default_theta().cwiseMax(lb).cwiseMin(ub)};
    for (int s = 0; s < screen; ++s) {
      Eigen::VectorXd t(p);
      for (int i = 0; i < p; ++i) t(i) = lb(i) + (ub(i) - lb(i)) * rng.uniform01();
      pool.push_back(t);
    }
    std::vector<double> value(pool.size());
    for (std::size_t i = 0; i < pool.size(); ++i) {
      value[i] = pool.size() > 1 ? log_marginal_likelihood(pool[i], nullptr, pairs) : 0.0;
      if (!std::isfinite(value[i])) value[i] = -std::numeric_limits<double>::infinity();
    }
    report.evaluations += pool.size() > 1 ? static_cast<int>(pool.size()) : 0;
    std::vector<std::size_t> order(pool.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return value[x] > value[y]; });
    for (std::size_t i = 0; i < order.size() && static_cast<int>(starts.size()) < wanted; ++i) {
      starts.push_back(pool[order[i]]);
    }
  }
  for (Eigen::VectorXd t : starts) {
    double fx = 0;
    try {
      solver.minimize(objective, t, fx, lb, ub);
    } catch (const std::exception&) {
      // a failed line search: the best point seen so far is kept
    }
    ++report.restarts;
  }
  report.evaluations += objective.evaluations;
  if (std::isfinite(objective.best_value)) theta_ = objective.best_theta;
  factorise();
  report.log_marginal_likelihood = log_marginal_likelihood();
  return report;
}

}  // namespace twin::agents

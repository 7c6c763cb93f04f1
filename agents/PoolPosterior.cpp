#include "agents/PoolPosterior.hpp"

#include <algorithm>
#include <utility>

namespace twin::agents {

PoolPosterior::PoolPosterior(Eigen::MatrixXd pool) : pool_(std::move(pool)) {}

void PoolPosterior::rebuild(const GaussianProcess& gp) {
  n_ = gp.size();
  factorisations_ = gp.factorisations();
  v_.resize(n_ + 32, pool_.rows());
  if (n_ > 0) {
    v_.topRows(n_) = gp.solve_lower(gp.covariance_with(pool_));
    vsq_ = v_.topRows(n_).colwise().squaredNorm().transpose();
    flops_ += 2.0 * static_cast<double>(n_) * static_cast<double>(pool_.rows());
  } else {
    vsq_ = Eigen::VectorXd::Zero(pool_.rows());
  }
}

void PoolPosterior::sync(const GaussianProcess& gp) {
  if (gp.factorisations() != factorisations_ || gp.size() < n_) {
    rebuild(gp);
    return;
  }
  while (n_ < gp.size()) {
    const Eigen::VectorXd l = gp.cholesky_row(n_);  // n_ + 1 entries
    const Eigen::VectorXd k = gp.covariance(gp.inputs().row(n_), pool_).row(0).transpose();
    if (v_.rows() < n_ + 1) {
      Eigen::MatrixXd bigger(n_ + std::max(32, n_ / 2), pool_.rows());
      bigger.topRows(n_) = v_.topRows(n_);
      v_.swap(bigger);
    }
    Eigen::VectorXd row = k;
    if (n_ > 0) row -= v_.topRows(n_).transpose() * l.head(n_);
    row /= l(n_);
    v_.row(n_) = row.transpose();
    vsq_.array() += row.array().square();
    flops_ += 4.0 * static_cast<double>(n_ + 1) * static_cast<double>(pool_.rows());
    ++n_;
  }
}

void PoolPosterior::predict(const GaussianProcess& gp, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const {
  if (n_ == 0) {
    mean = Eigen::VectorXd::Zero(pool_.rows());
    variance = Eigen::VectorXd::Constant(pool_.rows(), gp.prior_variance());
    return;
  }
  mean = v_.topRows(n_).transpose() * gp.whitened_targets();
  flops_ += 2.0 * static_cast<double>(n_) * static_cast<double>(pool_.rows());
  variance = (gp.prior_variance() - vsq_.array()).cwiseMax(0.0);
}

}  // namespace twin::agents

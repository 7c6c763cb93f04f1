#pragma once
// The GP posterior over every row of a finite pool, kept up to date as the
// GP grows. It stores V = L^-1 K(X, pool) (n x N) and the column sums of
// squares of V: then mean = V^T (L^-1 y) and variance = s2 + c2 - |V_j|^2.
// Adding one observation adds one row to V in O(n N); only a new
// factorisation (new hyper-parameters, new data) rebuilds it in O(n^2 N).
#include <Eigen/Dense>

#include "agents/GaussianProcess.hpp"

namespace twin::agents {

class PoolPosterior {
 public:
  /// `pool`: the mapped features of every pool row (N x d).
  explicit PoolPosterior(Eigen::MatrixXd pool);
  /// Brings V in line with `gp` (extends it or rebuilds it).
  void sync(const GaussianProcess& gp);
  /// Posterior mean and variance of f at every pool row (after sync).
  void predict(const GaussianProcess& gp, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;
  const Eigen::MatrixXd& pool() const { return pool_; }
  int rows_in_sync() const { return n_; }
  /// Floating-point work of the updates and predictions (the GP counts its own).
  double flops() const { return flops_; }

 private:
  void rebuild(const GaussianProcess& gp);

  Eigen::MatrixXd pool_;
  Eigen::MatrixXd v_;  ///< capacity x N; the first n_ rows are V
  Eigen::VectorXd vsq_;
  int n_ = 0;
  long factorisations_ = -1;
  mutable double flops_ = 0;
};

}  // namespace twin::agents

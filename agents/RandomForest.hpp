#pragma once
// A small deterministic random forest for regression (Breiman 2001), the
// surrogate of the `rf-lcb` policy. Our own: Debian has no well-kept C++
// random-forest library on the project's stack, and what a forest needs here
// is short (bootstrap samples, random feature subsets, CART regression trees)
// and must draw every random number from the project's Rng streams so that
// decisions are the same bits on every compiler and process count.
//
// A tree (CART, Breiman et al. 1984) splits a node on the input and threshold
// that most reduce the sum of squared deviations of its targets (equivalently,
// maximise sum_L^2 / n_L + sum_R^2 / n_R); thresholds lie midway between
// consecutive distinct values of the input within the node; both children
// keep at least `min_leaf` samples. At each node the inputs are visited in a
// random order until `features_per_split` of them that vary within the node
// have been evaluated (as scikit-learn does: a constant input does not count,
// so a tree grown with min_leaf 1 separates every pair of distinct inputs). A
// node becomes a leaf (the mean of its targets) when its targets are all
// equal, it has fewer than 2 min_leaf samples, or no split keeps min_leaf on
// both sides. Ties between equally good splits go to the first evaluated.
//
// The forest's prediction is the mean of its trees' predictions and its
// spread their standard deviation (population form, as numpy's std over
// scikit-learn's estimators_), computed around the first tree's value so that
// trees that agree give a spread of exactly zero.
#include <Eigen/Dense>
#include <vector>

#include "twin/core/Rng.hpp"

namespace twin::agents {

struct ForestOptions {
  int trees = 100;             ///< scikit-learn's n_estimators default
  int min_leaf = 1;            ///< min_samples_leaf
  double max_features = 1.0;   ///< fraction of the inputs evaluated per split (at least one)
  bool bootstrap = true;       ///< each tree on n draws with replacement; false: every tree on all the data
};

class RegressionTree {
 public:
  /// Grows the tree on rows `sample` of (x, y) (indices, repeats allowed).
  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<int>& sample, int min_leaf,
           int features_per_split, core::Rng& rng);
  double predict(const Eigen::Ref<const Eigen::RowVectorXd>& x) const;
  int leaf_count() const;
  int depth() const { return depth_; }
  /// Floating-point work of the last fit (comparisons and sums, counted per sample visited).
  double fit_flops() const { return fit_flops_; }

 private:
  struct Node {
    int feature = -1;  ///< -1: a leaf
    double threshold = 0;
    int left = -1, right = -1;
    double value = 0;
  };
  int grow(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::vector<int>& idx, int begin, int end, int level,
           int min_leaf, int features_per_split, core::Rng& rng);
  std::vector<Node> nodes_;
  int depth_ = 0;
  double fit_flops_ = 0;
};

class RandomForest {
 public:
  explicit RandomForest(ForestOptions options = {});
  /// Fits every tree: tree t draws its bootstrap sample, then its feature
  /// orders, from `rng`, in turn.
  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, core::Rng& rng);
  /// Mean and spread (sd across trees) at each row of `x`.
  void predict(const Eigen::MatrixXd& x, Eigen::VectorXd& mean, Eigen::VectorXd& sd) const;
  const std::vector<RegressionTree>& trees() const { return trees_; }
  const ForestOptions& options() const { return options_; }
  /// Floating-point work so far (fits and predictions).
  double flops() const { return flops_; }

 private:
  ForestOptions options_;
  std::vector<RegressionTree> trees_;
  int depth_sum_ = 0;
  mutable double flops_ = 0;
};

}  // namespace twin::agents

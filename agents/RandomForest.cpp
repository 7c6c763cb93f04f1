#include "agents/RandomForest.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace twin::agents {

namespace {

double log2_ceil(int n) { return n > 1 ? std::ceil(std::log2(static_cast<double>(n))) : 1.0; }

}  // namespace

void RegressionTree::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<int>& sample,
                         int min_leaf, int features_per_split, core::Rng& rng) {
  if (sample.empty()) throw std::invalid_argument("RegressionTree::fit: no samples");
  if (x.rows() != y.size()) throw std::invalid_argument("RegressionTree::fit: x and y differ in rows");
  nodes_.clear();
  depth_ = 0;
  fit_flops_ = 0;
  std::vector<int> idx = sample;
  grow(x, y, idx, 0, static_cast<int>(idx.size()), 0, std::max(1, min_leaf),
       std::clamp(features_per_split, 1, static_cast<int>(std::max<Eigen::Index>(1, x.cols()))), rng);
}

int RegressionTree::grow(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::vector<int>& idx, int begin,
                         int end, int level, int min_leaf, int features_per_split, core::Rng& rng) {
  const int id = static_cast<int>(nodes_.size());
  nodes_.push_back(Node{});
  depth_ = std::max(depth_, level);
  const int n = end - begin;
  double sum = 0, lo = y(idx[static_cast<std::size_t>(begin)]), hi = lo;
  for (int k = begin; k < end; ++k) {
    const double v = y(idx[static_cast<std::size_t>(k)]);
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  nodes_[static_cast<std::size_t>(id)].value = sum / n;
  fit_flops_ += 3.0 * n;
  if (n < 2 * min_leaf || lo == hi) return id;

  // Inputs in a random order (Fisher-Yates); evaluate until enough varying ones were seen.
  const int d = static_cast<int>(x.cols());
  std::vector<int> order(static_cast<std::size_t>(d));
  std::iota(order.begin(), order.end(), 0);
  for (int i = d - 1; i > 0; --i) {
    std::swap(order[static_cast<std::size_t>(i)],
              order[static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(i) + 1))]);
  }
  int best_feature = -1;
  double best_gain = 0, best_threshold = 0;
  std::vector<std::pair<double, int>> col(static_cast<std::size_t>(n));
  int varying = 0;
  for (int f : order) {
    if (varying >= features_per_split) break;
    for (int k = 0; k < n; ++k) {
      const int i = idx[static_cast<std::size_t>(begin + k)];
      col[static_cast<std::size_t>(k)] = {x(i, f), i};
    }
    std::sort(col.begin(), col.end());
    fit_flops_ += static_cast<double>(n) * (log2_ceil(n) + 4.0);
    if (col.front().first == col.back().first) continue;  // constant within the node: does not count
    ++varying;
    double left = 0;
    for (int k = 0; k + 1 < n; ++k) {
      left += y(col[static_cast<std::size_t>(k)].second);
      const int nl = k + 1, nr = n - nl;
      if (nl < min_leaf) continue;
      if (nr < min_leaf) break;
      const double a = col[static_cast<std::size_t>(k)].first, b = col[static_cast<std::size_t>(k + 1)].first;
      if (a == b) continue;
      const double right = sum - left;
      const double gain = left * left / nl + right * right / nr;
      if (best_feature < 0 || gain > best_gain) {
        best_feature = f;
        best_gain = gain;
        const double mid = a + 0.5 * (b - a);
        best_threshold = mid < b ? mid : a;
      }
    }
  }
  if (best_feature < 0) return id;

  const auto first = idx.begin() + begin, last = idx.begin() + end;
  const auto cut = std::stable_partition(first, last, [&](int i) { return x(i, best_feature) <= best_threshold; });
  const int mid = begin + static_cast<int>(cut - first);
  const int l = grow(x, y, idx, begin, mid, level + 1, min_leaf, features_per_split, rng);
  const int r = grow(x, y, idx, mid, end, level + 1, min_leaf, features_per_split, rng);
  Node& node = nodes_[static_cast<std::size_t>(id)];
  node.feature = best_feature;
  node.threshold = best_threshold;
  node.left = l;
  node.right = r;
  return id;
}

double RegressionTree::predict(const Eigen::Ref<const Eigen::RowVectorXd>& x) const {
  if (nodes_.empty()) throw std::logic_error("RegressionTree::predict: not fitted");
  std::size_t k = 0;
  while (nodes_[k].feature >= 0) {
    const Node& node = nodes_[k];
    k = static_cast<std::size_t>(x(node.feature) <= node.threshold ? node.left : node.right);
  }
  return nodes_[k].value;
}

int RegressionTree::leaf_count() const {
  return static_cast<int>(std::count_if(nodes_.begin(), nodes_.end(), [](const Node& n) { return n.feature < 0; }));
}

RandomForest::RandomForest(ForestOptions options) : options_(options) {
  if (options_.trees < 1) throw std::invalid_argument("RandomForest: at least one tree");
  if (options_.min_leaf < 1) throw std::invalid_argument("RandomForest: min_leaf must be at least 1");
  if (!(options_.max_features > 0 && options_.max_features <= 1)) {
    throw std::invalid_argument("RandomForest: max_features must be in (0, 1]");
  }
}

void RandomForest::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, core::Rng& rng) {
  const int n = static_cast<int>(x.rows());
  if (n < 1 || y.size() != n) throw std::invalid_argument("RandomForest::fit: need as many targets as rows, at least one");
  const int d = static_cast<int>(std::max<Eigen::Index>(1, x.cols()));
  const int per_split = std::max(1, static_cast<int>(options_.max_features * d + 1e-9));
  trees_.assign(static_cast<std::size_t>(options_.trees), RegressionTree{});
  depth_sum_ = 0;
  std::vector<int> sample(static_cast<std::size_t>(n));
  for (auto& tree : trees_) {
    if (options_.bootstrap) {
      for (auto& s : sample) s = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
    } else {
      std::iota(sample.begin(), sample.end(), 0);
    }
    tree.fit(x, y, sample, options_.min_leaf, per_split, rng);
    flops_ += tree.fit_flops() + n;
    depth_sum_ += tree.depth();
  }
}

void RandomForest::predict(const Eigen::MatrixXd& x, Eigen::VectorXd& mean, Eigen::VectorXd& sd) const {
  if (trees_.empty()) throw std::logic_error("RandomForest::predict: not fitted");
  const auto rows = x.rows();
  mean.resize(rows);
  sd.resize(rows);
  const double t = static_cast<double>(trees_.size());
  for (Eigen::Index i = 0; i < rows; ++i) {
    const double first = trees_.front().predict(x.row(i));
    double s = 0, ss = 0;
    for (std::size_t k = 1; k < trees_.size(); ++k) {
      const double dev = trees_[k].predict(x.row(i)) - first;
      s += dev;
      ss += dev * dev;
    }
    const double m = s / t;
    mean(i) = first + m;
    sd(i) = std::sqrt(std::max(0.0, ss / t - m * m));
  }
  flops_ += static_cast<double>(rows) * (static_cast<double>(depth_sum_) + 4.0 * t);
}

}  // namespace twin::agents

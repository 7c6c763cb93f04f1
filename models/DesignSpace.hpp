#pragma once
// What an agent may propose: either a finite pool of candidates (rows of a
// feature matrix) or a box of continuous and categorical dimensions,
// optionally constrained to a simplex (the continuous dimensions sum to 1).
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

namespace twin::models {

enum class Goal { MINIMIZE, MAXIMIZE };

struct Dimension {
  enum class Kind { CONTINUOUS, CATEGORICAL };
  std::string name;
  Kind kind = Kind::CONTINUOUS;
  double low = 0;   ///< continuous: lower bound (in the dimension's own unit)
  double high = 1;  ///< continuous: upper bound
  int levels = 0;   ///< categorical: number of levels, coded 0..levels-1 in x
};

/// A point of the design space. For a pool, `pool_index` is its row among the
/// unique inputs (0-based, file order) and `x` that row's features; otherwise
/// `pool_index` is -1 and `x` holds one value per dimension (categorical
/// levels as whole numbers).
struct Candidate {
  std::vector<double> x;
  std::int64_t pool_index = -1;
  /// A stable 64-bit identity, used to key nature's noise: the pool index, or
  /// a hash of the bits of x.
  std::uint64_t key() const;
  bool operator==(const Candidate& o) const { return pool_index == o.pool_index && x == o.x; }
};

class DesignSpace {
 public:
  static DesignSpace pool(std::vector<std::string> feature_names, Eigen::MatrixXd features);
  static DesignSpace box(std::vector<Dimension> dims, bool simplex = false);

  bool is_pool() const { return is_pool_; }
  bool simplex() const { return simplex_; }
  std::size_t dimension_count() const { return dims_.size(); }
  const std::vector<Dimension>& dimensions() const { return dims_; }
  /// Pool only: n rows x d features.
  const Eigen::MatrixXd& features() const { return features_; }
  std::size_t pool_size() const { return static_cast<std::size_t>(features_.rows()); }
  Candidate pool_candidate(std::size_t row) const;

  /// Box only: `c.x` checked against the dimensions (size, bounds with a
  /// slack of 1e-9 of each range, categorical levels whole numbers within
  /// 0..levels-1) and returned with values inside the slack clamped onto the
  /// bounds and levels rounded. Throws std::invalid_argument naming the
  /// dimension.
  std::vector<double> checked_point(const Candidate& c) const;
  /// Box only: whether checked_point would accept `c`.
  bool contains(const Candidate& c) const;

 private:
  bool is_pool_ = false;
  bool simplex_ = false;
  std::vector<Dimension> dims_;
  Eigen::MatrixXd features_;
};

}  // namespace twin::models

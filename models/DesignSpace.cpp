#include "models/DesignSpace.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "models/StableHash.hpp"

namespace twin::models {

std::uint64_t Candidate::key() const {
  if (pool_index >= 0) return static_cast<std::uint64_t>(pool_index);
  return fnv1a_doubles(x);
}

DesignSpace DesignSpace::pool(std::vector<std::string> feature_names, Eigen::MatrixXd features) {
  if (static_cast<Eigen::Index>(feature_names.size()) != features.cols()) {
    throw std::invalid_argument("DesignSpace::pool: " + std::to_string(feature_names.size()) +
                                " feature names for " + std::to_string(features.cols()) +
                                " feature columns");
  }
  DesignSpace s;
  s.is_pool_ = true;
  s.dims_.reserve(feature_names.size());
  for (std::size_t j = 0; j < feature_names.size(); ++j) {
    Dimension d;
    d.name = std::move(feature_names[j]);
    d.kind = Dimension::Kind::CONTINUOUS;
    const auto col = static_cast<Eigen::Index>(j);
    if (features.rows() > 0) {
      d.low = features.col(col).minCoeff();
      d.high = features.col(col).maxCoeff();
    }
    s.dims_.push_back(std::move(d));
  }
  s.features_ = std::move(features);
  return s;
}

DesignSpace DesignSpace::box(std::vector<Dimension> dims, bool simplex) {
  for (const auto& d : dims) {
    if (d.kind == Dimension::Kind::CONTINUOUS && !(d.low <= d.high)) {
      throw std::invalid_argument("DesignSpace::box: dimension '" + d.name +
                                  "' has low > high (or a NaN bound)");
    }
    if (d.kind == Dimension::Kind::CATEGORICAL && d.levels < 1) {
      throw std::invalid_argument("DesignSpace::box: categorical dimension '" + d.name +
                                  "' needs at least one level");
    }
  }
  DesignSpace s;
  s.is_pool_ = false;
  s.simplex_ = simplex;
  s.dims_ = std::move(dims);
  return s;
}

Candidate DesignSpace::pool_candidate(std::size_t row) const {
  if (!is_pool_) throw std::logic_error("DesignSpace::pool_candidate on a box space");
  if (row >= pool_size()) {
    throw std::out_of_range("DesignSpace::pool_candidate: row " + std::to_string(row) +
                            " of a pool of " + std::to_string(pool_size()));
  }
  Candidate c;
  c.pool_index = static_cast<std::int64_t>(row);
  const auto r = static_cast<Eigen::Index>(row);
  c.x.resize(static_cast<std::size_t>(features_.cols()));
  for (Eigen::Index j = 0; j < features_.cols(); ++j) c.x[static_cast<std::size_t>(j)] = features_(r, j);
  return c;
}

}  // namespace twin::models

namespace twin::models {

std::vector<double> DesignSpace::checked_point(const Candidate& c) const {
  if (is_pool_) throw std::logic_error("DesignSpace::checked_point on a pool space");
  if (c.x.size() != dims_.size()) {
    throw std::invalid_argument("candidate has " + std::to_string(c.x.size()) +
                                " values for a space of " + std::to_string(dims_.size()) +
                                " dimensions");
  }
  std::vector<double> x = c.x;
  for (std::size_t j = 0; j < dims_.size(); ++j) {
    const Dimension& d = dims_[j];
    const std::string what = "candidate value " + std::to_string(x[j]) + " for dimension '" +
                             d.name + "' ";
    if (!std::isfinite(x[j])) throw std::invalid_argument(what + "is not finite");
    if (d.kind == Dimension::Kind::CATEGORICAL) {
      const double level = std::round(x[j]);
      if (std::abs(x[j] - level) > 1e-9 || level < 0 || level > d.levels - 1) {
        throw std::invalid_argument(what + "is not a level 0.." + std::to_string(d.levels - 1));
      }
      x[j] = level;
    } else {
      const double slack = 1e-9 * (d.high - d.low);
      if (x[j] < d.low - slack || x[j] > d.high + slack) {
        throw std::invalid_argument(what + "lies outside [" + std::to_string(d.low) + ", " +
                                    std::to_string(d.high) + "]");
      }
      x[j] = std::clamp(x[j], d.low, d.high);
    }
  }
  return x;
}

bool DesignSpace::contains(const Candidate& c) const {
  try {
    (void)checked_point(c);
  } catch (const std::invalid_argument&) {
    return false;
  }
  return true;
}

}  // namespace twin::models

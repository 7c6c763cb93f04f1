#include "agents/SpaceTools.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace twin::agents {

using models::Candidate;
using models::DesignSpace;
using models::Dimension;

Exclusions::Exclusions(const DesignSpace& space, const std::vector<Candidate>* exclude,
                       const std::vector<Observation>& observations)
    : is_pool_(space.is_pool()) {
  if (is_pool_) pool_taken_.assign(space.pool_size(), 0);
  if (exclude != nullptr) {
    for (const auto& c : *exclude) add(c);
  }
  for (const auto& o : observations) {
    if (o.lab) add(o.candidate);
  }
}

bool Exclusions::contains(const Candidate& c) const {
  if (is_pool_) {
    return c.pool_index >= 0 && static_cast<std::size_t>(c.pool_index) < pool_taken_.size() &&
           pool_taken_[static_cast<std::size_t>(c.pool_index)] != 0;
  }
  return box_taken_.count(c.x) != 0;
}

void Exclusions::add(const Candidate& c) {
  if (is_pool_) {
    if (c.pool_index >= 0 && static_cast<std::size_t>(c.pool_index) < pool_taken_.size()) {
      pool_taken_[static_cast<std::size_t>(c.pool_index)] = 1;
    }
    return;
  }
  box_taken_.insert(c.x);
}

std::vector<std::size_t> Exclusions::free_rows() const {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < pool_taken_.size(); ++r) {
    if (pool_taken_[r] == 0) rows.push_back(r);
  }
  return rows;
}

namespace {

bool within_bounds(const DesignSpace& space, const std::vector<double>& x) {
  const auto& dims = space.dimensions();
  for (std::size_t j = 0; j < dims.size(); ++j) {
    if (dims[j].kind == Dimension::Kind::CONTINUOUS && (x[j] < dims[j].low || x[j] > dims[j].high)) return false;
  }
  return true;
}

}  // namespace

void repair_box_point(const DesignSpace& space, std::vector<double>& x) {
  const auto& dims = space.dimensions();
  for (std::size_t j = 0; j < dims.size(); ++j) {
    if (dims[j].kind == Dimension::Kind::CATEGORICAL) {
      x[j] = std::clamp(std::round(x[j]), 0.0, static_cast<double>(dims[j].levels - 1));
    } else {
      x[j] = std::clamp(x[j], dims[j].low, dims[j].high);
    }
  }
  if (!space.simplex()) return;
  double sum = 0;
  for (std::size_t j = 0; j < dims.size(); ++j) {
    if (dims[j].kind == Dimension::Kind::CONTINUOUS) sum += x[j];
  }
  if (sum <= 0) {
    std::size_t count = 0;
    for (const auto& d : dims) count += d.kind == Dimension::Kind::CONTINUOUS ? 1 : 0;
    for (std::size_t j = 0; j < dims.size(); ++j) {
      if (dims[j].kind == Dimension::Kind::CONTINUOUS) x[j] = 1.0 / static_cast<double>(count);
    }
    return;
  }
  for (std::size_t j = 0; j < dims.size(); ++j) {
    if (dims[j].kind == Dimension::Kind::CONTINUOUS) x[j] /= sum;
  }
}

Candidate random_box_point(const DesignSpace& space, core::Rng& rng) {
  const auto& dims = space.dimensions();
  Candidate c;
  c.x.assign(dims.size(), 0.0);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    double sum = 0;
    for (std::size_t j = 0; j < dims.size(); ++j) {
      if (dims[j].kind == Dimension::Kind::CATEGORICAL) {
        c.x[j] = static_cast<double>(rng.below(static_cast<std::uint64_t>(dims[j].levels)));
      } else if (space.simplex()) {
        c.x[j] = rng.exponential(1.0);
        sum += c.x[j];
      } else {
        c.x[j] = dims[j].low + (dims[j].high - dims[j].low) * rng.uniform01();
      }
    }
    if (!space.simplex()) return c;
    for (std::size_t j = 0; j < dims.size(); ++j) {
      if (dims[j].kind == Dimension::Kind::CONTINUOUS) c.x[j] /= sum;
    }
    if (within_bounds(space, c.x)) return c;
  }
  repair_box_point(space, c.x);
  return c;
}

FeatureMap::FeatureMap(const DesignSpace& space) : is_pool_(space.is_pool()), dims_(space.dimensions()) {
  if (is_pool_) {
    const Eigen::MatrixXd& f = space.features();
    const auto n = f.rows();
    width_ = static_cast<int>(f.cols());
    shift_ = Eigen::VectorXd::Zero(width_);
    scale_ = Eigen::VectorXd::Ones(width_);
    if (n > 0) {
      for (int j = 0; j < width_; ++j) {
        const double mean = f.col(j).mean();
        const double var = (f.col(j).array() - mean).square().sum() / static_cast<double>(n);
        shift_(j) = mean;
        scale_(j) = var > 0 ? 1.0 / std::sqrt(var) : 0.0;
      }
    }
    pool_mapped_ = (f.rowwise() - shift_.transpose()).array().rowwise() * scale_.transpose().array();
    return;
  }
  for (const auto& d : dims_) width_ += d.kind == Dimension::Kind::CATEGORICAL ? d.levels : 1;
}

Eigen::VectorXd FeatureMap::map(const std::vector<double>& x) const {
  Eigen::VectorXd z(width_);
  if (is_pool_) {
    for (int j = 0; j < width_; ++j) z(j) = (x[static_cast<std::size_t>(j)] - shift_(j)) * scale_(j);
    return z;
  }
  int k = 0;
  for (std::size_t j = 0; j < dims_.size(); ++j) {
    const auto& d = dims_[j];
    if (d.kind == Dimension::Kind::CATEGORICAL) {
      const int level = static_cast<int>(std::lround(x[j]));
      for (int l = 0; l < d.levels; ++l) z(k++) = l == level ? 1.0 : 0.0;
    } else {
      const double span = d.high - d.low;
      z(k++) = span > 0 ? (x[j] - d.low) / span : 0.0;
    }
  }
  return z;
}

namespace {

void fnv_bytes(std::uint64_t& h, const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
}

void fnv_double(std::uint64_t& h, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  fnv_bytes(h, &bits, sizeof bits);
}

}  // namespace

Eigen::VectorXd larger_is_better_z(const std::vector<double>& values, models::Goal goal) {
  Eigen::VectorXd z(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    z(static_cast<Eigen::Index>(i)) = goal == models::Goal::MAXIMIZE ? values[i] : -values[i];
  }
  if (z.size() == 0) return z;
  const double mean_z = z.mean();
  const double sd_z = std::sqrt((z.array() - mean_z).square().mean());
  z = (z.array() - mean_z) / (sd_z > 0 ? sd_z : 1.0);
  return z;
}

std::uint64_t space_fingerprint(const DesignSpace& space) {
  std::uint64_t h = 14695981039346656037ULL;
  const std::uint64_t shape[3] = {space.is_pool() ? 1ULL : 0ULL, space.simplex() ? 1ULL : 0ULL,
                                  static_cast<std::uint64_t>(space.dimension_count())};
  fnv_bytes(h, shape, sizeof shape);
  for (const auto& d : space.dimensions()) {
    fnv_double(h, d.low);
    fnv_double(h, d.high);
    fnv_double(h, d.levels);
  }
  if (space.is_pool()) {
    const Eigen::MatrixXd& f = space.features();
    fnv_double(h, static_cast<double>(f.rows()));
    for (Eigen::Index i = 0; i < f.size(); ++i) fnv_double(h, f.data()[i]);
  }
  return h;
}

std::vector<std::size_t> farthest_point_order(const Eigen::MatrixXd& points) {
  const auto n = static_cast<std::size_t>(points.rows());
  std::vector<std::size_t> order;
  if (n == 0) return order;
  order.reserve(n);
  const Eigen::RowVectorXd centroid = points.colwise().mean();
  std::size_t first = 0;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    const double d = (points.row(static_cast<Eigen::Index>(i)) - centroid).squaredNorm();
    if (d < best) {
      best = d;
      first = i;
    }
  }
  std::vector<double> min_d2(n, std::numeric_limits<double>::infinity());
  std::vector<char> chosen(n, 0);
  std::size_t next = first;
  for (std::size_t k = 0; k < n; ++k) {
    order.push_back(next);
    chosen[next] = 1;
    const Eigen::RowVectorXd p = points.row(static_cast<Eigen::Index>(next));
    double far = -1;
    std::size_t far_i = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (chosen[i] != 0) continue;
      const double d = (points.row(static_cast<Eigen::Index>(i)) - p).squaredNorm();
      if (d < min_d2[i]) min_d2[i] = d;
      if (min_d2[i] > far) {
        far = min_d2[i];
        far_i = i;
      }
    }
    if (far_i == n) break;
    next = far_i;
  }
  return order;
}

}  // namespace twin::agents

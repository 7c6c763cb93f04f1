#include "agents/GridPolicy.hpp"

#include <stdexcept>

#include "agents/SpaceTools.hpp"

namespace twin::agents {

using models::Candidate;
using models::DesignSpace;
using models::Dimension;

namespace {

constexpr std::size_t MAX_GRID_POINTS = 4096;

// Compositions of `total` units into `parts` non-negative parts, in
// lexicographic order.
void compositions(int total, int parts, std::vector<int>& current, std::vector<std::vector<int>>& out) {
  if (parts == 1) {
    current.push_back(total);
    out.push_back(current);
    current.pop_back();
    return;
  }
  for (int k = 0; k <= total; ++k) {
    current.push_back(k);
    compositions(total - k, parts - 1, current, out);
    current.pop_back();
  }
}

}  // namespace

std::vector<std::vector<double>> box_grid_points(const DesignSpace& space, int levels) {
  if (levels < 2) levels = 2;
  const auto& dims = space.dimensions();
  std::vector<std::size_t> cont;
  for (std::size_t j = 0; j < dims.size(); ++j) {
    if (dims[j].kind == Dimension::Kind::CONTINUOUS) cont.push_back(j);
  }
  // Continuous parts first.
  std::vector<std::vector<double>> cont_points;
  if (space.simplex() && !cont.empty()) {
    std::vector<std::vector<int>> comps;
    std::vector<int> cur;
    compositions(levels - 1, static_cast<int>(cont.size()), cur, comps);
    for (const auto& c : comps) {
      std::vector<double> p;
      bool ok = true;
      for (std::size_t k = 0; k < cont.size(); ++k) {
        const double v = static_cast<double>(c[k]) / static_cast<double>(levels - 1);
        if (v < dims[cont[k]].low - 1e-12 || v > dims[cont[k]].high + 1e-12) ok = false;
        p.push_back(v);
      }
      if (ok) cont_points.push_back(std::move(p));
    }
  } else {
    cont_points.emplace_back();
    for (std::size_t k = 0; k < cont.size(); ++k) {
      const Dimension& d = dims[cont[k]];
      std::vector<std::vector<double>> next;
      for (const auto& p : cont_points) {
        for (int l = 0; l < levels; ++l) {
          auto q = p;
          q.push_back(d.low + (d.high - d.low) * static_cast<double>(l) / static_cast<double>(levels - 1));
          next.push_back(std::move(q));
        }
      }
      cont_points = std::move(next);
    }
  }
  // Then every combination of categorical levels.
  std::vector<std::vector<double>> points;
  std::vector<int> cat_level(dims.size(), 0);
  while (true) {
    for (const auto& cp : cont_points) {
      std::vector<double> x(dims.size(), 0.0);
      std::size_t k = 0;
      for (std::size_t j = 0; j < dims.size(); ++j) {
        x[j] = dims[j].kind == Dimension::Kind::CONTINUOUS ? cp[k++] : static_cast<double>(cat_level[j]);
      }
      points.push_back(std::move(x));
    }
    // Odometer over the categorical dimensions.
    std::size_t j = dims.size();
    bool carried = true;
    while (carried && j > 0) {
      --j;
      if (dims[j].kind != Dimension::Kind::CATEGORICAL) continue;
      if (++cat_level[j] < dims[j].levels) {
        carried = false;
      } else {
        cat_level[j] = 0;
      }
    }
    if (carried) break;
  }
  return points;
}

GridPolicy::GridPolicy(int levels) : initial_levels_(levels < 2 ? 2 : levels) {}

void GridPolicy::build(const DesignSpace& space, int levels) {
  levels_ = levels;
  order_.clear();
  FeatureMap fmap(space);
  if (space.is_pool()) {
    const auto order = farthest_point_order(fmap.pool_mapped());
    for (const auto r : order) order_.push_back(space.pool_candidate(r));
    last_flops_ += 3.0 * static_cast<double>(space.pool_size() * space.pool_size()) * fmap.width();
    return;
  }
  auto points = box_grid_points(space, levels);
  if (points.size() > MAX_GRID_POINTS) {
    const std::size_t stride = (points.size() + MAX_GRID_POINTS - 1) / MAX_GRID_POINTS;
    std::vector<std::vector<double>> thinned;
    for (std::size_t i = 0; i < points.size(); i += stride) thinned.push_back(points[i]);
    points = std::move(thinned);
  }
  Eigen::MatrixXd mapped(static_cast<Eigen::Index>(points.size()), fmap.width());
  for (std::size_t i = 0; i < points.size(); ++i) mapped.row(static_cast<Eigen::Index>(i)) = fmap.map(points[i]);
  const auto order = farthest_point_order(mapped);
  for (const auto i : order) {
    Candidate c;
    c.x = points[i];
    order_.push_back(std::move(c));
  }
  last_flops_ += 3.0 * static_cast<double>(points.size() * points.size()) * fmap.width();
}

std::vector<Candidate> GridPolicy::propose(const PolicyContext& ctx, const std::vector<Observation>& observations,
                                           int q, core::Rng& /*rng*/) {
  if (ctx.space == nullptr) throw std::invalid_argument("GridPolicy::propose: no design space");
  const DesignSpace& space = *ctx.space;
  last_flops_ = 0;
  const std::uint64_t fp = space_fingerprint(space);
  if (!built_ || fp != fingerprint_) {
    fingerprint_ = fp;
    built_ = true;
    build(space, initial_levels_);
  }
  Exclusions taken(space, ctx.exclude, observations);
  std::vector<Candidate> out;
  // A box grid is refined a few times at most per call; a pool simply runs out.
  for (int round = 0; round < 4 && static_cast<int>(out.size()) < q; ++round) {
    for (const auto& c : order_) {
      if (static_cast<int>(out.size()) >= q) break;
      if (taken.contains(c)) continue;
      taken.add(c);
      out.push_back(c);
    }
    last_flops_ += static_cast<double>(order_.size());
    if (static_cast<int>(out.size()) >= q || space.is_pool()) break;
    const auto before = order_.size();
    build(space, 2 * levels_ - 1);
    if (order_.size() <= before) break;  // nothing finer to offer (all-categorical box)
  }
  return out;
}

}  // namespace twin::agents

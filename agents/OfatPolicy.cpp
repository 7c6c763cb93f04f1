#include "agents/OfatPolicy.hpp"

#include <limits>
#include <stdexcept>

#include "agents/SpaceTools.hpp"

namespace twin::agents {

using models::Candidate;
using models::DesignSpace;
using models::Dimension;

namespace {

std::vector<double> centre_of(const DesignSpace& space) {
  const auto& dims = space.dimensions();
  std::vector<double> x(dims.size(), 0.0);
  for (std::size_t j = 0; j < dims.size(); ++j) {
    x[j] = dims[j].kind == Dimension::Kind::CATEGORICAL ? 0.0 : 0.5 * (dims[j].low + dims[j].high);
  }
  if (space.simplex()) repair_box_point(space, x);
  return x;
}

const Observation* best_observation(const std::vector<Observation>& observations, models::Goal goal) {
  const Observation* best = nullptr;
  for (const auto& o : observations) {
    if (!o.value.has_value()) continue;
    if (best == nullptr || (goal == models::Goal::MAXIMIZE ? *o.value > *best->value : *o.value < *best->value)) {
      best = &o;
    }
  }
  return best;
}

}  // namespace

OfatPolicy::OfatPolicy(int levels) : initial_levels_(levels < 2 ? 2 : levels) {}

std::vector<Candidate> OfatPolicy::propose(const PolicyContext& ctx, const std::vector<Observation>& observations,
                                           int q, core::Rng& rng) {
  if (ctx.space == nullptr) throw std::invalid_argument("OfatPolicy::propose: no design space");
  const DesignSpace& space = *ctx.space;
  last_flops_ = 0;
  const std::uint64_t fp = space_fingerprint(space);
  if (!started_ || fp != fingerprint_) {
    started_ = true;
    fingerprint_ = fp;
    levels_ = initial_levels_;
    factor_ = 0;
    queue_.clear();
  }
  Exclusions taken(space, ctx.exclude, observations);
  FeatureMap fmap(space);
  const auto& dims = space.dimensions();
  const std::size_t d = dims.size();
  std::vector<Candidate> out;
  if (d == 0 || q <= 0) return out;

  std::size_t empty_sweeps = 0;
  int refinements = 0;
  while (static_cast<int>(out.size()) < q) {
    while (!queue_.empty() && static_cast<int>(out.size()) < q) {
      Candidate c = std::move(queue_.front());
      queue_.pop_front();
      if (taken.contains(c)) continue;
      taken.add(c);
      out.push_back(std::move(c));
    }
    if (static_cast<int>(out.size()) >= q) break;
    if (refinements > 2) break;  // nothing new along the axes: fall back to random below

    // Build the next sweep around the anchor.
    const Observation* best = best_observation(observations, ctx.goal);
    std::vector<double> anchor;
    if (best != nullptr) {
      anchor = best->candidate.x;
    } else if (space.is_pool()) {
      anchor = space.pool_candidate(farthest_point_order(fmap.pool_mapped()).front()).x;
    } else {
      anchor = centre_of(space);
    }
    const std::size_t j = factor_;
    factor_ = (factor_ + 1) % d;
    std::vector<std::vector<double>> targets;
    if (dims[j].kind == Dimension::Kind::CATEGORICAL) {
      for (int l = 0; l < dims[j].levels; ++l) {
        auto x = anchor;
        x[j] = l;
        targets.push_back(std::move(x));
      }
    } else {
      for (int l = 0; l < levels_; ++l) {
        auto x = anchor;
        const double v = dims[j].low + (dims[j].high - dims[j].low) * l / static_cast<double>(levels_ - 1);
        if (space.simplex() && !space.is_pool()) {
          double rest = 0;
          for (std::size_t k = 0; k < d; ++k) {
            if (k != j && dims[k].kind == Dimension::Kind::CONTINUOUS) rest += x[k];
          }
          for (std::size_t k = 0; k < d; ++k) {
            if (k == j || dims[k].kind != Dimension::Kind::CONTINUOUS) continue;
            x[k] = rest > 0 ? x[k] * (1.0 - v) / rest : (1.0 - v) / static_cast<double>(d - 1);
          }
        }
        x[j] = v;
        targets.push_back(std::move(x));
      }
    }
    std::size_t added = 0;
    Exclusions queued = taken;
    for (auto& x : targets) {
      Candidate c;
      if (space.is_pool()) {
        const Eigen::VectorXd z = fmap.map(x);
        double best_d = std::numeric_limits<double>::infinity();
        std::size_t best_r = space.pool_size();
        for (std::size_t r = 0; r < space.pool_size(); ++r) {
          if (queued.row_taken(r)) continue;
          const double dd = (fmap.pool_mapped().row(static_cast<Eigen::Index>(r)).transpose() - z).squaredNorm();
          if (dd < best_d) {
            best_d = dd;
            best_r = r;
          }
        }
        last_flops_ += 3.0 * static_cast<double>(space.pool_size()) * fmap.width();
        if (best_r == space.pool_size()) break;
        c = space.pool_candidate(best_r);
      } else {
        c.x = std::move(x);
        repair_box_point(space, c.x);
      }
      if (queued.contains(c)) continue;
      queued.add(c);
      queue_.push_back(std::move(c));
      ++added;
    }
    if (added == 0) {
      if (++empty_sweeps >= d) {
        empty_sweeps = 0;
        ++refinements;
        levels_ = 2 * levels_ - 1;
      }
    } else {
      empty_sweeps = 0;
    }
    if (space.is_pool() && taken.free_rows().empty()) break;
  }
  // Fallback: random untaken candidates.
  for (int attempt = 0; static_cast<int>(out.size()) < q && attempt < 100 * q; ++attempt) {
    Candidate c;
    if (space.is_pool()) {
      const auto free = taken.free_rows();
      if (free.empty()) break;
      c = space.pool_candidate(free[static_cast<std::size_t>(rng.below(free.size()))]);
    } else {
      c = random_box_point(space, rng);
    }
    if (taken.contains(c)) continue;
    taken.add(c);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace twin::agents

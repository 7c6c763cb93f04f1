#pragma once
// One factor at a time, the classical bench-chemist baseline. From an anchor
// (the best successful observation so far, or the centre of the space before
// any), sweep one factor over `levels` evenly spaced values (a categorical
// factor over all its levels) holding the others fixed; when the sweep is
// done, move the anchor to the best result and sweep the next factor,
// cycling through the factors. On a simplex the other continuous coordinates
// are rescaled so the sum stays 1. In a pool, each target point is replaced
// by the nearest untaken row (standardised features). When a whole cycle of
// sweeps offers nothing new, the levels are refined (levels -> 2 levels - 1);
// if that still gives nothing, random untaken candidates fill the batch.
#include <cstdint>
#include <deque>

#include "agents/Policy.hpp"

namespace twin::agents {

class OfatPolicy final : public Policy {
 public:
  explicit OfatPolicy(int levels = 5);
  std::vector<models::Candidate> propose(const PolicyContext& ctx, const std::vector<Observation>& observations, int q,
                                         core::Rng& rng) override;
  double last_flops() const override { return last_flops_; }
  std::string name() const override { return "ofat"; }

 private:
  int initial_levels_;
  int levels_ = 0;
  std::size_t factor_ = 0;
  std::uint64_t fingerprint_ = 0;
  bool started_ = false;
  std::deque<models::Candidate> queue_;
  double last_flops_ = 0;
};

}  // namespace twin::agents

#pragma once
// Random search: the field's reference baseline. Pool: uniform over the
// untested rows (without replacement within a batch). Box: uniform over the
// box, categorical levels uniform, a simplex by normalised exponentials (see
// random_box_point).
#include "agents/Policy.hpp"

namespace twin::agents {

class RandomPolicy final : public Policy {
 public:
  std::vector<models::Candidate> propose(const PolicyContext& ctx, const std::vector<Observation>& observations, int q,
                                         core::Rng& rng) override;
  double last_flops() const override { return last_flops_; }
  std::string name() const override { return "random"; }

 private:
  double last_flops_ = 0;
};

}  // namespace twin::agents

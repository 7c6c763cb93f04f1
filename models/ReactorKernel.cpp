#include "models/ReactorKernel.hpp"

#include <utility>

namespace twin::models {

ReactorKernel::ReactorKernel(DesignSpace space, double lab_noise, double sim_gflop, double reference_evaluations)
    : space_(std::move(space)),
      lab_noise_(lab_noise),
      sim_gflop_(sim_gflop),
      reference_evaluations_(reference_evaluations) {}

double ReactorKernel::simulation_flops(const Candidate& c) const {
  const double n = static_cast<double>(run_point(c, true).rhs_evaluations);
  return sim_gflop_ * 1e9 * n / reference_evaluations_;
}

}  // namespace twin::models

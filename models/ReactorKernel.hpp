#pragma once
// What the reactor kernels (kinetics, snar) share: a yield to maximize,
// computed by integrating the reactor for real (Rk4.hpp); the truth at fine
// steps, the simulation at coarse ones, and the simulation's cost in
// proportion to its right-hand-side evaluations against those of a
// reference run, which costs sim_gflop.
#include "models/DesignSpace.hpp"
#include "models/Kernel.hpp"
#include "models/Rk4.hpp"

namespace twin::models {

class ReactorKernel : public Kernel {
 public:
  /// Final (or outlet) concentrations of the five species and the work done.
  using Run = ReactorRun<5>;

  const DesignSpace& space() const override { return space_; }
  Goal goal() const override { return Goal::MAXIMIZE; }
  double truth(const Candidate& c) const override { return run_point(c, false).yield; }
  double simulate(const Candidate& c) const override { return run_point(c, true).yield; }
  /// sim_gflop * 1e9 * n / n_ref, n the evaluations of the low-fidelity run.
  double simulation_flops(const Candidate& c) const override;
  double lab_noise_sd() const override { return lab_noise_; }

 protected:
  /// `reference_evaluations` is n_ref, those of the run that costs `sim_gflop`.
  ReactorKernel(DesignSpace space, double lab_noise, double sim_gflop, double reference_evaluations);

 private:
  /// One run at a candidate of the space; `low_fidelity` selects the simulation's solver.
  virtual Run run_point(const Candidate& c, bool low_fidelity) const = 0;

  DesignSpace space_;
  double lab_noise_;
  double sim_gflop_;
  double reference_evaluations_;
};

}  // namespace twin::models

#pragma once
// core::Runtime on SimGrid: simulated clock, sleeping, computing on the
// calling actor's host, and fork-join of simulated actors.
#include <simgrid/s4u.hpp>

#include "twin/core/Services.hpp"

namespace twin::sim {

class SimRuntime : public core::Runtime {
 public:
  explicit SimRuntime(double horizon_s) : horizon_s_(horizon_s) {}
  double now() const override { return simgrid::s4u::Engine::get_clock(); }
  double horizon() const override { return horizon_s_; }
  void sleep_until(double t_s) override;
  void compute(double flops) override;
  void run_parallel(std::vector<std::function<void()>> tasks) override;
  std::int64_t actors_started() const { return actors_started_; }

 private:
  double horizon_s_;
  std::int64_t actors_started_ = 0;
};

}  // namespace twin::sim

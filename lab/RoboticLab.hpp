#pragma once
// A robotic lab on the simulated clock: the thin SimGrid adapter of a
// LabEngine. One actor per lab (started on the first request, on the
// requester's host) sleeps until the engine's next event or a submission,
// advances the engine to the clock and wakes the requesters whose samples'
// lives ended. A request blocks its calling actor (a campaign agent) until
// then: one simulated wait per event, not a flurry of activities per step.
#include <map>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "lab/LabEngine.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"

namespace twin::lab {

class RoboticLab : public core::ExperimentService {
 public:
  /// `recorder` (may be null) receives each sample's record and step slices.
  RoboticLab(LabConfig config, std::uint64_t seed, core::Recorder* recorder = nullptr);
  core::ExperimentResult run_experiment(const core::ExperimentRequest& request) override;
  bool up_at(double t) const override { return engine_.up_at(t); }
  double next_up(double t) const override { return engine_.next_up(t); }
  /// Samples created, ended and (counted in the lab) still in flight.
  core::Conservation samples() const { return engine_.samples(); }
  /// Test only: see LabEngine::lose_sample_for_test.
  bool lose_sample_for_test() { return engine_.lose_sample_for_test(); }
  /// The lab's typed result (the lab, each station kind, its robots and
  /// technicians, samples and counters).
  core::LabSim result(double horizon_s) const { return engine_.result(horizon_s); }
  /// Samples submitted per owner (kind "lab"), as the lab counts them, for the independent access check.
  std::vector<core::Placement> placements() const;
  /// Records the samples still in the lab at the horizon (call once, after the run).
  void record_in_flight(double horizon_s) { engine_.record_in_flight(horizon_s); }
  const LabEngine& engine() const { return engine_; }

 private:
  struct Waiter {
    bool done = false;
    core::ExperimentResult result;
    simgrid::s4u::ConditionVariablePtr cv;
  };
  void serve();

  LabEngine engine_;
  std::map<int, Waiter*> waiting_;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr wake_;
  std::map<std::string, std::int64_t> per_owner_;  ///< samples submitted, by owner
  bool started_ = false;
};

}  // namespace twin::lab

#pragma once
// A robotic lab on the simulated clock: a sample goes through the workflow's
// stations in order, a robot moving it before each step; steps start only
// when a slot is free and, where the request or the step says so, when a
// technician is on shift. A step may fail (success probability): the sample
// is lost and the experiment reported failed, with the step named. Every
// draw is keyed by the sample's key, so both modes see the same lab.
#include <memory>
#include <vector>

#include "lab/LabConfig.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/core/SlotPool.hpp"

namespace twin::lab {

class RoboticLab : public core::ExperimentService {
 public:
  /// `recorder` (may be null) receives each sample's record and step slices.
  RoboticLab(LabConfig config, std::uint64_t seed, core::Recorder* recorder = nullptr);
  core::ExperimentResult run_experiment(const core::ExperimentRequest& request) override;
  const core::Conservation& samples() const { return samples_; }
  /// The lab, each station kind and its robots as report resources.
  std::vector<core::ResourceSim> resources(double horizon_s) const;

 private:
  LabConfig cfg_;
  std::uint64_t seed_;
  core::Recorder* recorder_;
  std::uint64_t name_hash_;
  std::vector<std::unique_ptr<core::SlotPool>> stations_;
  std::unique_ptr<core::SlotPool> robots_;
  core::Conservation samples_;
  double station_seconds_ = 0;
};

}  // namespace twin::lab

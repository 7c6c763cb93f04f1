#pragma once
// A cloud on the simulated clock: instances on demand, no batch queue. A
// job asks for one instance per node; it waits until the cloud's quota has
// room for all of them (in arrival order: a job that does not fit holds back
// the ones behind it), then for the instances to be provisioned (drawn from
// `provisioning_min` on the cloud's own stream), runs flops / (nodes x
// speed), and releases them. The bill is instances x GPUs x price per
// GPU-hour over the time the instances run the job; provisioning is not
// billed. A cloud has no outages and no walltime limit.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "twin/Scenario.hpp"
#include "twin/core/Rng.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"

namespace twin::sim {

class CloudService : public core::ComputeService {
 public:
  /// `seed` is the replication's: provisioning times come from the stream
  /// "cloud.<name>". `recorder` (may be null) receives a job record per job
  /// (jobs.csv, system = the cloud's name).
  CloudService(const CloudSpec& spec, std::uint64_t seed, core::Recorder* recorder = nullptr);
  core::ComputeOutcome run_job(const core::ComputeRequest& request) override;
  double node_speed_flops() const override { return spec_.node_speed_flops; }
  bool up_at(double) const override { return true; }
  double next_up(double t) const override { return t; }
  /// Jobs created, finished and (counted from the waiting and running ones) in flight.
  core::Conservation jobs() const;
  /// What the cloud ran for each owner (kind "cloud").
  std::vector<core::Placement> placements() const;
  /// Records the jobs still waiting or running at the horizon (call once, after the run).
  void record_unfinished();
  /// Its totals over the run.
  core::CloudSim result() const;

 private:
  struct Waiter {
    int instances = 0;
    bool granted = false;
    simgrid::s4u::ConditionVariablePtr cv;
  };
  void grant();

  /// A job under way, for its record.
  struct Active {
    std::string owner;
    int instances = 0;
    double submit_s = 0, start_s = -1;
  };
  void record(std::int64_t id, const Active& a, double end_s, const char* state);

  CloudSpec spec_;
  core::Rng rng_;
  core::Recorder* recorder_;
  std::map<std::int64_t, Active> active_;  ///< by job id (1, 2, ... in arrival order)
  simgrid::s4u::MutexPtr mutex_;
  std::deque<Waiter*> queue_;  ///< arrival order
  int in_use_ = 0;
  std::int64_t running_ = 0;
  core::Conservation jobs_;  ///< in_flight counted from queue_ and running_
  core::CloudSim totals_;
  std::map<std::string, std::int64_t> per_owner_;
};

}  // namespace twin::sim
